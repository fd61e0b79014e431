import { z } from 'zod';
import { paging, pageOf } from '../../platform/paging.js';
import { DEVICE_KINDS, EVENT_KINDS, serialSchema } from './events.schema.js';

/** Devices, vendors and refusals (issue 18): the shapes of /api/alarms/devices, /vendors, /rejects. Pure zod: the console imports the types. */

const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const DEVICE_LINKS = ['online', 'offline'] as const;
export const DEVICE_STATUSES = ['active', 'retired'] as const;

export const devicesQuery = z.object({
  regionCode: z.string().max(20).optional(),
  kind: z.enum(DEVICE_KINDS).optional(),
  link: z.enum(DEVICE_LINKS).optional(),
  /** active (default), retired or all */
  status: z.enum([...DEVICE_STATUSES, 'all']).default('active'),
  personId: z.coerce.number().int().positive().optional(),
  /** a serial, or its beginning */
  serial: z.string().max(64).optional(),
  ...paging,
});
export type DevicesQuery = z.infer<typeof devicesQuery>;

export const registerDeviceBody = z
  .object({
    serial: serialSchema,
    kind: z.enum(DEVICE_KINDS),
    model: z.string().trim().min(1).max(80).optional(),
    /** the vendor whose platform posts this device's events over HTTP; none: MQTT only */
    vendorId: z.number().int().positive().optional(),
    personId: z.number().int().positive(),
    /** the address served, where a dispatch goes (sealed); none: the person's registered address */
    address: z.string().trim().min(2).max(200).optional(),
    /** the provider that installed it (a provider's staff: their own, filled in for them) */
    providerId: z.number().int().positive().optional(),
    installedOn: civilDate,
  })
  .strict();
export type RegisterDeviceBody = z.infer<typeof registerDeviceBody>;

export const deviceView = z.object({
  id: z.number().int(),
  serial: z.string(),
  kind: z.string(),
  model: z.string().nullable(),
  vendorId: z.number().int().nullable(),
  vendorName: z.string().nullable(),
  personId: z.number().int(),
  personName: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  providerId: z.number().int().nullable(),
  providerName: z.string().nullable(),
  installedOn: z.string(),
  status: z.enum(DEVICE_STATUSES),
  retiredOn: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  battery: z.number().int().nullable(),
  link: z.enum(DEVICE_LINKS),
  /** whether an address is on record (the detail shows it, audited) */
  hasAddress: z.boolean(),
});
export type DeviceView = z.infer<typeof deviceView>;

export const devicesReply = pageOf(deviceView);
export type DevicesReply = z.infer<typeof devicesReply>;

export const deviceEventView = z.object({
  id: z.number().int(),
  messageId: z.string(),
  kind: z.enum(EVENT_KINDS),
  occurredAt: z.string(),
  receivedAt: z.string(),
  via: z.enum(['mqtt', 'http']),
  battery: z.number().int().nullable(),
  value: z.number().int().nullable(),
  alarmId: z.number().int().nullable(),
});
export type DeviceEventView = z.infer<typeof deviceEventView>;

export const deviceDetail = deviceView.extend({
  /** the address served (unsealed for this answer; the read is audited) */
  address: z.string().nullable(),
  /** the last 50 events, newest first */
  events: z.array(deviceEventView),
});
export type DeviceDetail = z.infer<typeof deviceDetail>;

/** What other parts show of a person's devices (the hotline summary, the person's profile). */
export const personDeviceView = z.object({
  id: z.number().int(),
  serial: z.string(),
  kind: z.string(),
  model: z.string().nullable(),
  status: z.enum(DEVICE_STATUSES),
  lastSeenAt: z.string().nullable(),
  battery: z.number().int().nullable(),
  link: z.enum(DEVICE_LINKS),
  installedOn: z.string(),
});
export type PersonDeviceView = z.infer<typeof personDeviceView>;

/* ---- vendors ---- */

export const createVendorBody = z.object({ name: z.string().trim().min(2).max(80) }).strict();
export type CreateVendorBody = z.infer<typeof createVendorBody>;

export const vendorView = z.object({
  id: z.number().int(),
  name: z.string(),
  /** public: sent in x-yiyang-key */
  keyId: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  /** active devices naming this vendor */
  devices: z.number().int(),
});
export type VendorView = z.infer<typeof vendorView>;

export const vendorsReply = z.object({ items: z.array(vendorView) });
export type VendorsReply = z.infer<typeof vendorsReply>;

/** The answer of a creation or a rotation: the secret, shown this once (it is sealed at rest and never shown again). */
export const vendorSecretView = vendorView.extend({ secret: z.string() });
export type VendorSecretView = z.infer<typeof vendorSecretView>;

/* ---- refusals ---- */

export const rejectsQuery = z.object({
  /** days back, 7 by default */
  days: z.coerce.number().int().min(1).max(31).default(7),
});
export type RejectsQuery = z.infer<typeof rejectsQuery>;

export const rejectLine = z.object({
  via: z.enum(['mqtt', 'http']),
  /** a serial or a vendor's key id ('' when the request named none) */
  source: z.string(),
  reason: z.string(),
  count: z.number().int(),
  firstAt: z.string(),
  lastAt: z.string(),
});
export type RejectLine = z.infer<typeof rejectLine>;

export const rejectsReply = z.object({
  from: z.string(),
  /** per reason, all sources */
  byReason: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  /** per source and reason, most refused first (at most 200) */
  items: z.array(rejectLine),
});
export type RejectsReply = z.infer<typeof rejectsReply>;
