/**
 * The shapes of the visits API the phone reads and writes: the types inferred from the server's zod
 * schemas (src/modules/visits/record.schema.ts), type-only.
 */
export type { FindingsReply, NotCountedReason, RecordBody, RecordReply, TodayItem, TodayReply } from '../../../../src/modules/visits/record.schema';
import type { FindingsReply, TodayItem } from '../../../../src/modules/visits/record.schema';

export type VisitMode = 'home' | 'phone' | 'video' | 'message';
export type FollowupKind = FindingsReply['followupKinds'][number]['key'];
export type FindingDef = FindingsReply['findings'][number];
export type DueStatus = TodayItem['status'];

/** The checklist as the phone keeps it (with the photo size limit); one kept by an older build may lack the limit. */
export type Checklist = Omit<FindingsReply, 'photoMaxBytes'> & { photoMaxBytes?: number };

/** What the device shows of a visit in its outbox (kept after the body has gone to the server). */
export interface VisitMeta {
  personId: number;
  name: string;
  mode: VisitMode;
  startedAt: string;
  endedAt: string;
  dueId: number | null;
}
