/**
 * The shapes of the public pages' API: the types inferred from the server's zod schemas
 * (src/modules/public/public.schema.ts), the same that validate its answers. Type-only.
 */
export type { FacilityPageReply, PortalReply, ServiceItem, ServicesReply } from '../../../../src/modules/public/public.schema';
