import type { FindingDef, FollowupKind, RecordBody, TodayItem, VisitMode } from './types';
import type { zh } from './messages';

/**
 * The visit form's state and its checks on the device, before anything is queued: a visit the
 * server would refuse (an end before its start, a start in the future, over 24 hours) is refused
 * here with the same reason, where the worker can still fix it.
 */
export interface VisitForm {
  mode: VisitMode | null;
  /** device-local 'YYYY-MM-DDTHH:mm' (an <input type="datetime-local">), '' when not set */
  start: string;
  end: string;
  findings: string[];
  notes: string;
  /** follow-ups the worker ticked: `${kind}|${finding}` */
  followups: string[];
  confirmation: 'none' | 'person' | 'proxy';
  proxyName: string;
  photo: { dataBase64: string; bytes: number; keepLocation: boolean; name: string } | null;
}

export const emptyVisitForm = (): VisitForm => ({
  mode: null,
  start: '',
  end: '',
  findings: [],
  notes: '',
  followups: [],
  confirmation: 'none',
  proxyName: '',
  photo: null,
});

type Key = keyof typeof zh;
export interface Problem {
  field: 'mode' | 'start' | 'end' | 'proxy' | 'photo' | 'notes';
  key: Key;
  vars?: Record<string, string | number>;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** A Date as the device's local 'YYYY-MM-DDTHH:mm'. */
export function localInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
/** The device-local input as an instant (UTC ISO); null when empty or unreadable. */
export function instantOf(local: string): string | null {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
export function minutesBetween(start: string, end: string): number | null {
  const a = instantOf(start);
  const b = instantOf(end);
  if (!a || !b) return null;
  return Math.floor((Date.parse(b) - Date.parse(a)) / 60_000);
}

export const NOTES_MAX = 2000;

/** The problems that keep the visit from being queued (empty: it may be queued). */
export function validateVisit(f: VisitForm, opts: { now?: Date; photoMaxBytes: number | null; modes?: readonly VisitMode[] }): Problem[] {
  const now = opts.now ?? new Date();
  const out: Problem[] = [];
  if (!f.mode) out.push({ field: 'mode', key: 'vp.err.mode' });
  else if (opts.modes && !opts.modes.includes(f.mode)) out.push({ field: 'mode', key: 'vp.err.mode' });
  const start = instantOf(f.start);
  const end = instantOf(f.end);
  if (!start) out.push({ field: 'start', key: 'vp.err.startMissing' });
  if (!end) out.push({ field: 'end', key: 'vp.err.endMissing' });
  // a minute's slack: the phone's clock and the input's minutes
  if (start && Date.parse(start) > now.getTime() + 60_000) out.push({ field: 'start', key: 'vp.err.startFuture' });
  if (end && Date.parse(end) > now.getTime() + 60_000) out.push({ field: 'end', key: 'vp.err.endFuture' });
  if (start && end && Date.parse(end) < Date.parse(start)) out.push({ field: 'end', key: 'vp.err.endBeforeStart' });
  if (start && end && Date.parse(end) - Date.parse(start) > 24 * 3_600_000) out.push({ field: 'end', key: 'vp.err.tooLong' });
  if (f.confirmation === 'proxy' && !f.proxyName.trim()) out.push({ field: 'proxy', key: 'vp.err.proxyName' });
  if (f.notes.length > NOTES_MAX) out.push({ field: 'notes', key: 'vp.err.notesLong', vars: { max: NOTES_MAX } });
  if (f.photo && opts.photoMaxBytes !== null && f.photo.bytes > opts.photoMaxBytes)
    out.push({ field: 'photo', key: 'vp.err.photoLarge', vars: { max: megabytes(opts.photoMaxBytes) } });
  return out;
}

/** Warnings that do not stop the visit: it will be recorded, but it will not count (the server decides). */
export function countingHints(f: VisitForm, item: TodayItem | undefined): Problem[] {
  if (!item || !f.mode) return [];
  const out: Problem[] = [];
  const min = item.minMinutes[f.mode];
  const minutes = minutesBetween(f.start, f.end);
  if (min !== undefined && minutes !== null && minutes >= 0 && minutes < min) out.push({ field: 'end', key: 'vp.hint.short', vars: { min } });
  const start = instantOf(f.start);
  if (start) {
    const day = shanghaiDate(start);
    if (day < item.windowStart || day > item.windowEnd)
      out.push({ field: 'start', key: 'vp.hint.outside', vars: { from: item.windowStart, to: item.windowEnd } });
  }
  return out;
}

/** The civil date (Asia/Shanghai) of an instant: the server's calendar for the visit's window. */
export function shanghaiDate(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(bytes % 1_000_000 === 0 ? 0 : 1);
}

/** The follow-ups the ticked findings suggest: one per kind and finding, in the checklist's order. */
export function suggestedFollowups(findings: readonly string[], defs: readonly FindingDef[]): { id: string; kind: FollowupKind; finding: string }[] {
  const ticked = new Set(findings);
  return defs.filter((d) => ticked.has(d.code) && d.suggests).map((d) => ({ id: `${d.suggests}|${d.code}`, kind: d.suggests!, finding: d.code }));
}

/** Ticking a finding: an 'ok' finding of a group and that group's problems exclude each other. */
export function toggleFinding(findings: readonly string[], code: string, defs: readonly FindingDef[]): string[] {
  if (findings.includes(code)) return findings.filter((c) => c !== code);
  const def = defs.find((d) => d.code === code);
  if (!def) return [...findings, code];
  const isOk = !def.suggests;
  const sameGroup = new Set(defs.filter((d) => d.group === def.group && (isOk ? d.suggests : !d.suggests)).map((d) => d.code));
  return [...findings.filter((c) => !sameGroup.has(c)), code];
}

/** What goes into the outbox: the body POSTed to /api/visits/record. */
export function toBody(f: VisitForm, clientId: string, personId: number, defs: readonly FindingDef[]): RecordBody {
  const offered = new Set(suggestedFollowups(f.findings, defs).map((s) => s.id));
  const body: RecordBody = {
    clientId,
    personId,
    mode: f.mode!,
    startedAt: instantOf(f.start)!,
    endedAt: instantOf(f.end)!,
    findings: f.findings,
  };
  if (f.notes.trim()) body.notes = f.notes.trim();
  if (f.photo) body.photo = { dataBase64: f.photo.dataBase64, keepLocation: f.photo.keepLocation };
  if (f.confirmation === 'person') body.confirmation = { kind: 'person' };
  if (f.confirmation === 'proxy') body.confirmation = { kind: 'proxy', note: f.proxyName.trim() };
  const followups = f.followups
    .filter((id) => offered.has(id))
    .map((id) => {
      const [kind, finding] = id.split('|') as [FollowupKind, string];
      return { kind, finding };
    });
  if (followups.length) body.followups = followups;
  return body;
}
