/**
 * The shapes of the entitlement API: the types inferred from the server's zod schemas
 * (src/modules/entitlements), the same that validate its answers and generate /api/openapi.json.
 * Type-only: nothing of src is bundled. The catalogue's shapes are in ../catalogue/types.ts.
 */

export type {
  Change,
  ChangeKind,
  Duties,
  Duty,
  Entitlement,
  Explanation,
  FactValue,
  ItemExplanation,
  ItemMeta,
  Jurisdictions,
  PublicPlaces,
  ParameterImpact,
  PaymentHistory,
  PausedQueue,
  PauseView,
  PersonPauses,
  PersonEntitlements,
  RerunChange,
  RerunInfo,
  Roll,
  RollAction,
  RollDetail,
  RollLine,
  RollList,
  RollStatus,
  RosterRow,
  Run,
  RunDetail,
  RunImpact,
  RunItemMeta,
  RunList,
  RunStatus,
  SelfCheckResult,
  StartedRun,
  Trace,
  WhatIf,
} from '../../../../src/modules/entitlements/entitlements.schema';
