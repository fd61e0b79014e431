/**
 * The shapes of the catalogue API: the types inferred from the server's zod schemas
 * (src/modules/catalogue), the same that validate its answers and generate /api/openapi.json.
 * Type-only: nothing of src is bundled.
 */

export type {
  BenefitKind,
  CatalogueItem,
  CatalogueParameter,
  CatalogueView,
  FactInfo,
  ParameterOverride,
  ParamType,
  Schedule,
  SelfCheckProfile,
  UsedParam,
} from '../../../../src/modules/catalogue/catalogue.schema';
