/**
 * The shapes of the facilities API: the types inferred from the server's zod schemas
 * (src/modules/facilities/facilities.schema.ts), the same that validate its answers. Type-only.
 */
export type {
  AddBedsBody,
  AdmitBody,
  BedView,
  CheckView,
  ChecksReply,
  EndStayBody,
  FacilitiesReply,
  FacilityBody,
  FacilityDetail,
  FacilityView,
  PublicFacility,
  PublicReply,
  ResidentView,
  StaffBody,
  StaffView,
  TransferBody,
} from '../../../../src/modules/facilities/facilities.schema';
