import { z } from 'zod';

/**
 * The device message: one event, as a device publishes it to MQTT and as a vendor's platform posts
 * it over HTTP (the contract; published in the API document with the topic layout).
 *
 * MQTT topics (QoS 1):
 * - device → platform: `yiyang/v1/devices/{serial}/events`, one DeviceMessage per publish (the
 *   topic's serial is the device's; a `serial` in the payload, if any, must match it);
 * - platform → device: `yiyang/v1/devices/{serial}/acks`, `{ "id", "status", "reason"? }` once the
 *   event is committed (stored, or a duplicate of one stored) or refused. A device keeps a message
 *   until this reply comes and sends it again with the same id until then: the id merges repeats.
 */
export const EVENT_KINDS = [
  'sos',
  'service_call',
  'fall',
  'in_bed',
  'out_of_bed',
  'movement',
  'door_open',
  'door_close',
  'heartbeat',
  'battery',
  'test',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const DEVICE_KINDS = ['emergency_button', 'call_terminal', 'mattress', 'bracelet', 'door_sensor', 'other'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** a device serial: letters, digits and - _ . (it is an MQTT topic level) */
export const serialSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/, 'serial: 3–64 letters, digits, “.”, “_” or “-”, starting with a letter or digit');

export const deviceMessage = z
  .object({
    /** the device's own message id: the same id is stored once */
    id: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'id: 1–64 letters, digits, “.”, “_”, “:” or “-”'),
    kind: z.enum(EVENT_KINDS),
    /** the device's clock: ISO-8601 with a zone ('2026-11-30T21:03:05+08:00' or '…Z') */
    at: z.iso.datetime({ offset: true }),
    /** battery 0-100 %, when the device reports it */
    battery: z.number().int().min(0).max(100).optional(),
    /** a kind's reading (minutes out of bed, heart rate), a whole number */
    value: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    /** the device's serial (required over HTTP; over MQTT the topic's, and must match if given) */
    serial: serialSchema.optional(),
  })
  .strict();
export type DeviceMessage = z.infer<typeof deviceMessage>;

/** What the platform says of one message (MQTT ack topic; HTTP reply line). */
export const ingestStatus = z.enum(['stored', 'duplicate', 'rejected']);
export type IngestStatus = z.infer<typeof ingestStatus>;
export const REJECT_REASONS = [
  'malformed',
  'unknown_device',
  'retired_device',
  'wrong_vendor',
  'wrong_serial',
  'clock_skew',
  'rate_limited',
  'too_large',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const ingestResult = z.object({
  id: z.string(),
  serial: z.string(),
  status: ingestStatus,
  reason: z.enum(REJECT_REASONS).optional(),
});
export type IngestResult = z.infer<typeof ingestResult>;

export const MQTT_EVENTS_TOPIC = 'yiyang/v1/devices/+/events';
export const eventsTopic = (serial: string) => `yiyang/v1/devices/${serial}/events`;
export const acksTopic = (serial: string) => `yiyang/v1/devices/${serial}/acks`;
