import { z } from 'zod';
import { deviceMessage, ingestResult, serialSchema } from './events.schema.js';

/**
 * The vendors' HTTP intake (POST /api/alarms/ingest): the body is parsed only after its signature
 * is verified over the raw bytes (ingest.routes.ts), then checked against this schema. Its size in
 * events is the setting's perRequest (checked before the schema, for a clear answer).
 */
export const httpDeviceMessage = deviceMessage.extend({ serial: serialSchema });
export type HttpDeviceMessage = z.infer<typeof httpDeviceMessage>;

export const ingestBody = z.object({ events: z.array(httpDeviceMessage).min(1) }).strict();
export type IngestBody = z.infer<typeof ingestBody>;

export const ingestReply = z.object({ results: z.array(ingestResult) });
export type IngestReply = z.infer<typeof ingestReply>;

/** Bytes one request may carry (500 events of a few hundred bytes each fit many times over). */
export const INGEST_BODY_LIMIT = 1024 * 1024;
