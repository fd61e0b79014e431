/**
 * The shapes of the devices and vendors API (issue 18): the types inferred from the server's zod
 * schemas (src/modules/alarms/devices.schema.ts), the same that validate its answers. Type-only.
 */
export type {
  CreateVendorBody,
  DeviceDetail,
  DeviceEventView,
  DevicesReply,
  DeviceView,
  PersonDeviceView,
  RegisterDeviceBody,
  VendorSecretView,
  VendorsReply,
  VendorView,
} from '../../../../src/modules/alarms/devices.schema';
export type { DeviceKind } from '../../../../src/modules/alarms/events.schema';
