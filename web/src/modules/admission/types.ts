/**
 * The shapes of the admission API: the types inferred from the server's zod schemas
 * (src/modules/admission/admission.schema.ts), the same that validate its answers. Type-only.
 */
export type {
  ApplicationView,
  ApplyBody,
  ApplyReply,
  BedType,
  DetailReply,
  FacilitiesReply,
  QueueReply,
  TrackReply,
} from '../../../../src/modules/admission/admission.schema';
