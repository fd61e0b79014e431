import { createHash } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, narrowScope, regionInScope, requireAction, type Scope } from '../../platform/scope.js';
import { periodBounds, today } from '../../platform/time.js';
import { personLabels } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import { hotlineTargetsOf, type HotlineTargets } from './alarms.settings.js';
import {
  ATTEND_KINDS,
  REPORT_ALARM_KINDS,
  REPORT_TICKET_KINDS,
  type AlarmReport,
  type KindCount,
  type QualityQuery,
  type QualityReply,
  type ReportQuery,
  type TargetKey,
  type TargetStatus,
  type TimeFigures,
} from './reports.schema.js';

/**
 * Alarm and hotline reports (issue 18, reports part): what the hotline did in a period against its
 * targets (hotline_targets), for a region of the viewer's, by its child regions.
 *
 * - The period is civil dates in Beijing time: from 00:00 of `from` to 24:00 of `to`; an alarm
 *   belongs to the period it was raised in, a ticket to the one it was opened in, a return call to
 *   the one it is due in.
 * - Percentiles are computed in memory over the period's rows (at most tens of thousands of alarms
 *   a period, two ISO strings each), the same code on SQLite and PostgreSQL: nearest rank, so the
 *   median of an even count is the lower middle value and every figure is one alarm's real time.
 * - A share "within" a limit counts an alarm not acknowledged yet as a miss once it is older than
 *   the limit, and leaves it out while it could still make it: a queue nobody answers fails the
 *   target rather than vanishing from it.
 * - "Attended within" is the emergencies' target: red-button and fall alarms resolved as real,
 *   raised → resolved (the resolution is recorded when the operator hears the help has arrived).
 *
 * Counts only (no person named), so the report is not an audited read; the quality sample, which
 * names the elders of the sampled calls, is.
 */

const DAY = 86_400_000;
/** The longest period a report covers. */
export const MAX_REPORT_DAYS = 366;

const beijingMidnight = (on: string) => new Date(`${on}T00:00:00+08:00`).toISOString();
const addDays = (on: string, n: number) => new Date(Date.parse(`${on}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);

export interface ReportPeriod {
  from: string;
  to: string;
  /** UTC ISO instants: [start, end) */
  start: string;
  end: string;
}

/** The period asked for: default this month up to today (Beijing); refused when reversed or longer than MAX_REPORT_DAYS. */
export function reportPeriod(from: string | undefined, to: string | undefined, on: string = today()): ReportPeriod {
  const f = from ?? (to ? `${to.slice(0, 7)}-01` : `${on.slice(0, 7)}-01`);
  // from alone: to the end of its month, or today if that comes first (never before from)
  const monthEnd = periodBounds(f.slice(0, 7)).end;
  const t = to ?? (monthEnd < on ? monthEnd : on < f ? f : on);
  if (f > t || daysBetween(f, t) + 1 > MAX_REPORT_DAYS) throw new AppError('ALARM_REPORT_PERIOD', { from: f, to: t, maxDays: MAX_REPORT_DAYS });
  return { from: f, to: t, start: beijingMidnight(f), end: beijingMidnight(addDays(t, 1)) };
}

interface ReportRegion {
  code: string;
  name: string;
  scope: Scope;
  children: { code: string; name: string; prefix: string }[];
}

/** The region asked for (default the viewer's), within the viewer's scope, and its child regions. */
export function reportRegion(ctx: AppContext, scope: Scope, regionCode?: string): ReportRegion {
  const code = regionCode ?? (scope.regionCode || ctx.regions.top()?.code || '');
  const region = ctx.regions.get(code);
  if (!region || !regionInScope(scope, region.code) || !region.prefix.startsWith(scope.regionPrefix))
    throw new AppError('ALARM_REPORT_REGION', { region: code });
  const children = ctx.regions
    .all()
    .filter((r) => r.parent_code === region.code)
    .sort((a, b) => (a.code < b.code ? -1 : 1))
    .map((r) => ({ code: r.code, name: r.name, prefix: r.prefix }));
  return {
    code: region.code,
    name: region.name,
    scope: narrowScope(scope, region.code, region.prefix),
    children: children.length ? children : [{ code: region.code, name: region.name, prefix: region.prefix }],
  };
}

/** Nearest-rank percentile (0 < p ≤ 1) of ascending values; null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i]!;
}

/** Median, p90 and max of durations in milliseconds, as whole seconds. */
export function timeFigures(ms: readonly number[]): TimeFigures {
  const sorted = [...ms].sort((a, b) => a - b);
  const sec = (v: number | null) => (v === null ? null : Math.round(v / 1000));
  return {
    count: sorted.length,
    medianSeconds: sec(percentile(sorted, 0.5)),
    p90Seconds: sec(percentile(sorted, 0.9)),
    maxSeconds: sec(sorted.at(-1) ?? null),
  };
}

const pct = (permille: number) => `${(permille / 10).toFixed(1)}%`;
const limitWords = (seconds: number) =>
  seconds >= 120 && seconds % 60 === 0 ? { zh: `${seconds / 60} 分钟`, en: `${seconds / 60} min` } : { zh: `${seconds} 秒`, en: `${seconds} s` };

/** One target's status against the period, in numbers and in words (zh, en). */
export function targetStatus(key: TargetKey, limitSeconds: number, targetPermille: number, population: number, within: number): TargetStatus {
  const share = population > 0 ? Math.floor((within * 1000) / population) : null;
  // exact: within / population ≥ target / 1000 (floor keeps the shown share from rounding up into "met")
  const met = population > 0 ? within * 1000 >= targetPermille * population : null;
  const l = limitWords(limitSeconds);
  const what =
    key === 'attend'
      ? { zh: `${l.zh}内到场处置（紧急呼叫与跌倒，真实警情）`, en: `attended within ${l.en} (emergencies and falls, real)` }
      : { zh: `${l.zh}内接警`, en: `acknowledged within ${l.en}` };
  const unit = key === 'attend' ? { zh: '起', en: 'emergencies' } : { zh: '起告警', en: 'alarms' };
  let zh: string;
  let en: string;
  if (share === null) {
    zh = `无数据：${what.zh}（目标 ${pct(targetPermille)}），本期没有可计的告警`;
    en = `No data: ${what.en} (target ${pct(targetPermille)}), nothing to count in the period`;
  } else {
    zh = `${met ? '达标' : '未达标'}：${what.zh} ${pct(share)}（目标 ${pct(targetPermille)}，共 ${population} ${unit.zh}，${within} 起达到）`;
    en = `${met ? 'Met' : 'Not met'}: ${pct(share)} ${what.en} (target ${pct(targetPermille)}; ${within} of ${population} ${unit.en})`;
  }
  return { key, limitSeconds, targetPermille, population, within, sharePermille: share, met, zh, en };
}

interface AlarmFacts {
  kind: string;
  region_code: string;
  state: string;
  raised_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  outcome: string | null;
  escalation: number;
}

/** The share-within figures of the ack targets over alarm rows (pure; `now` decides which unacknowledged ones already missed). */
export function ackTargets(rows: readonly AlarmFacts[], t: HotlineTargets, now: number): TargetStatus[] {
  const measure = (limitSeconds: number) => {
    let population = 0;
    let within = 0;
    for (const a of rows) {
      const raised = Date.parse(a.raised_at);
      if (a.acknowledged_at !== null) {
        population++;
        if (Date.parse(a.acknowledged_at) - raised <= limitSeconds * 1000) within++;
      } else if (now - raised > limitSeconds * 1000) population++;
    }
    return { population, within };
  };
  const short = measure(t.ackSeconds);
  const long = measure(t.ackLongSeconds);
  return [
    targetStatus('ack', t.ackSeconds, t.ackSharePermille, short.population, short.within),
    targetStatus('ackLong', t.ackLongSeconds, t.ackLongSharePermille, long.population, long.within),
  ];
}

const isAttend = (kind: string) => (ATTEND_KINDS as readonly string[]).includes(kind);

function countKinds(known: readonly string[], kinds: Iterable<string>): KindCount[] {
  const n = new Map<string, number>(known.map((k) => [k, 0]));
  for (const k of kinds) n.set(k, (n.get(k) ?? 0) + 1);
  return [...n].map(([kind, count]) => ({ kind, count }));
}

async function periodAlarms(db: Executor, scope: Scope, p: ReportPeriod): Promise<AlarmFacts[]> {
  return db
    .selectFrom('alarms')
    .select(['kind', 'region_code', 'state', 'raised_at', 'acknowledged_at', 'resolved_at', 'outcome', 'escalation'])
    .where('raised_at', '>=', p.start)
    .where('raised_at', '<', p.end)
    .where(inRegion(scope, 'alarms.region_code'))
    .execute();
}

/** GET /alarms/reports: the period's figures for a region of the viewer's, by child region, against the targets. */
export async function alarmReport(ctx: AppContext, scope: Scope, q: ReportQuery, now: Date = new Date()): Promise<AlarmReport> {
  requireAction(scope, 'alarms.reports');
  const p = reportPeriod(q.from, q.to, today(now));
  const region = reportRegion(ctx, scope, q.regionCode);
  const s = region.scope;
  // the targets of the region reported on (a county's own; a city's, which its counties may replace)
  const t = hotlineTargetsOf(ctx, region.code);
  const db = ctx.db;
  const at = now.getTime();

  const alarms = await periodAlarms(db, s, p);
  const tickets = await db
    .selectFrom('hotline_tickets')
    .select(['kind', 'status', 'region_code', 'closed_at', 'due_at'])
    .where('opened_at', '>=', p.start)
    .where('opened_at', '<', p.end)
    .where(inRegion(s, 'hotline_tickets.region_code'))
    .execute();
  const callbacks = await db
    .selectFrom('hotline_callbacks')
    .select(['status'])
    .where('due_on', '>=', p.from)
    .where('due_on', '<=', p.to)
    .where(inRegion(s, 'hotline_callbacks.region_code'))
    .execute();
  const devices = await db
    .selectFrom('alarm_devices')
    .select(['region_code', 'link'])
    .where('status', '=', 'active')
    .where(inRegion(s, 'alarm_devices.region_code'))
    .execute();

  const childOf = (code: string) => region.children.find((c) => code.startsWith(c.prefix));
  const byRegion = new Map(
    region.children.map((c) => [c.code, { regionCode: c.code, regionName: c.name, alarms: 0, emergencies: 0, tickets: 0, devicesOffline: 0 }]),
  );
  const row = (code: string) => {
    const c = childOf(code);
    return c ? byRegion.get(c.code) : undefined;
  };

  const ackMs: number[] = [];
  const resolveMs: number[] = [];
  const attendMs: number[] = [];
  let attendWithin = 0;
  let real = 0;
  let falseAlarms = 0;
  let tests = 0;
  let open = 0;
  let pending = 0;
  let toAll = 0;
  let toSupervisor = 0;
  for (const a of alarms) {
    const r = row(a.region_code);
    if (r) {
      r.alarms++;
      if (isAttend(a.kind)) r.emergencies++;
    }
    const raised = Date.parse(a.raised_at);
    if (a.acknowledged_at !== null) ackMs.push(Date.parse(a.acknowledged_at) - raised);
    else pending++;
    if (a.state !== 'resolved') open++;
    if (a.escalation >= 1) toAll++;
    if (a.escalation >= 2) toSupervisor++;
    if (a.resolved_at !== null) {
      const took = Date.parse(a.resolved_at) - raised;
      resolveMs.push(took);
      if (a.outcome === 'real') {
        real++;
        if (isAttend(a.kind)) {
          attendMs.push(took);
          if (took <= t.attendMinutes * 60_000) attendWithin++;
        }
      } else if (a.outcome === 'false_alarm') falseAlarms++;
      else if (a.outcome === 'test') tests++;
    }
  }
  for (const k of tickets) {
    const r = row(k.region_code);
    if (r) r.tickets++;
  }
  let offline = 0;
  for (const d of devices) {
    if (d.link !== 'offline') continue;
    offline++;
    const r = row(d.region_code);
    if (r) r.devicesOffline++;
  }

  const complaints = tickets.filter((k) => k.kind === 'complaint');
  let closedInTime = 0;
  let closedLate = 0;
  let openOverdue = 0;
  let openInTime = 0;
  const nowIso = now.toISOString();
  for (const c of complaints) {
    if (c.closed_at !== null) {
      if (c.due_at === null || c.closed_at <= c.due_at) closedInTime++;
      else closedLate++;
    } else if (c.due_at !== null && c.due_at < nowIso) openOverdue++;
    else openInTime++;
  }
  const judged = closedInTime + closedLate + openOverdue;
  const resolved = resolveMs.length;

  return {
    from: p.from,
    to: p.to,
    regionCode: region.code,
    regionName: region.name,
    at: nowIso,
    alarms: {
      total: alarms.length,
      open,
      byKind: countKinds(
        REPORT_ALARM_KINDS,
        alarms.map((a) => a.kind),
      ),
      byRegion: [...byRegion.values()],
    },
    ack: { ...timeFigures(ackMs), pending },
    resolution: timeFigures(resolveMs),
    attend: timeFigures(attendMs),
    targets: [...ackTargets(alarms, t, at), targetStatus('attend', t.attendMinutes * 60, t.attendSharePermille, attendMs.length, attendWithin)],
    outcomes: { resolved, real, falseAlarms, tests, falseSharePermille: resolved ? Math.round((falseAlarms * 1000) / resolved) : null },
    escalations: { toAll, toSupervisor },
    devices: { active: devices.length, offline },
    tickets: {
      total: tickets.length,
      byKind: countKinds(
        REPORT_TICKET_KINDS,
        tickets.map((k) => k.kind),
      ),
    },
    complaints: {
      total: complaints.length,
      closedInTime,
      closedLate,
      openOverdue,
      openInTime,
      inTimeSharePermille: judged ? Math.floor((closedInTime * 1000) / judged) : null,
    },
    callbacks: {
      due: callbacks.length,
      done: callbacks.filter((c) => c.status === 'done').length,
      unreachable: callbacks.filter((c) => c.status === 'unreachable').length,
      open: callbacks.filter((c) => c.status === 'open').length,
    },
  };
}

// ---- the quality sample ----

/** The draw's rank of a ticket: hex sha256 of `${month}|${operatorId}|${ticketId}`; lowest first. Anyone can re-run it. */
export const qualityRank = (month: string, operatorId: number, ticketId: number): string =>
  createHash('sha256').update(`${month}|${operatorId}|${ticketId}`).digest('hex');

/** The tickets a draw takes from one operator's month: the `n` of lowest rank (pure). */
export function drawQuality(month: string, operatorId: number, ticketIds: readonly number[], n: number): { id: number; rank: string }[] {
  return ticketIds
    .map((id) => ({ id, rank: qualityRank(month, operatorId, id) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .slice(0, Math.max(0, n));
}

export const QUALITY_METHOD =
  'Per operator, the month’s tickets (opened in the month, Beijing time, in the region) ranked by sha256("YYYY-MM|operatorId|ticketId") in lowercase hex, ascending; the first qualitySamplePerOperator taken.';

/** GET /alarms/reports/quality: per operator a reproducible sample of the month's calls for quality review; audited (names the elders). */
export function qualitySample(ctx: AppContext, scope: Scope, q: QualityQuery): Promise<QualityReply> {
  requireAction(scope, 'alarms.reports');
  const region = reportRegion(ctx, scope, q.regionCode);
  const { start, end } = periodBounds(q.month);
  const n = hotlineTargetsOf(ctx, region.code).qualitySamplePerOperator;
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const rows = await trx
        .selectFrom('hotline_tickets')
        .select(['id', 'kind', 'status', 'opened_at', 'closed_at', 'subject', 'outcome', 'person_id', 'operator_id'])
        .where('opened_at', '>=', beijingMidnight(start))
        .where('opened_at', '<', beijingMidnight(addDays(end, 1)))
        .where(inRegion(region.scope, 'hotline_tickets.region_code'))
        .execute();
      const byOperator = new Map<number, typeof rows>();
      for (const r of rows) {
        let list = byOperator.get(r.operator_id);
        if (!list) byOperator.set(r.operator_id, (list = []));
        list.push(r);
      }
      const names = await displayNames(trx, [...byOperator.keys()]);
      const drawn = [...byOperator].map(([operatorId, list]) => {
        const byId = new Map(list.map((r) => [r.id, r]));
        return {
          operatorId,
          tickets: list.length,
          picks: drawQuality(
            q.month,
            operatorId,
            list.map((r) => r.id),
            n,
          ).map((d) => ({ row: byId.get(d.id)!, rank: d.rank })),
        };
      });
      const labels = await personLabels(
        trx,
        drawn.flatMap((d) => d.picks.map((p) => p.row.person_id)).filter((id): id is number => id !== null),
      );
      return {
        month: q.month,
        regionCode: region.code,
        perOperator: n,
        method: QUALITY_METHOD,
        operators: drawn
          .map((d) => ({
            operatorId: d.operatorId,
            operatorName: names.get(d.operatorId) ?? `#${d.operatorId}`,
            tickets: d.tickets,
            sample: d.picks.map(({ row, rank }) => ({
              ticketId: row.id,
              kind: row.kind,
              status: row.status,
              openedAt: row.opened_at,
              closedAt: row.closed_at,
              subject: row.subject,
              outcome: row.outcome,
              personId: row.person_id,
              personName: row.person_id === null ? null : (labels.get(row.person_id)?.name ?? null),
              rank,
            })),
          }))
          .sort((a, b) => a.operatorId - b.operatorId),
      };
    },
    (r) => ({
      action: 'alarms.quality_read',
      entityType: 'hotline_ticket',
      fields: ['name'],
      detail: { month: q.month, regionCode: r.regionCode, tickets: r.operators.flatMap((o) => o.sample.map((s) => s.ticketId)) },
      persons: r.operators.flatMap((o) => o.sample.flatMap((s) => (s.personId === null ? [] : [s.personId]))),
    }),
  );
}

// ---- the workbench card ----

export interface HotlineCard {
  /** raised or acknowledged, in the viewer's region */
  openAlarms: number;
  /** of them still raised (nobody has acknowledged) */
  raised: number;
  /** open and escalated (to all operators or the supervisor) */
  escalated: number;
  /** open return calls due today or earlier */
  callbacksDue: number;
  /** this month (Beijing) so far */
  monthAlarms: number;
  ackSeconds: number;
  ackTargetPermille: number;
  ackSharePermille: number | null;
  ackMet: boolean | null;
}

/** The hotline's figures for the workbench (counts only): the queue now and this month's acknowledgement share against the target. */
export async function hotlineCard(ctx: AppContext, scope: Scope, now: Date = new Date()): Promise<HotlineCard> {
  const db = ctx.db;
  const on = today(now);
  const t = hotlineTargetsOf(ctx, scope.regionCode);
  const live = await db
    .selectFrom('alarms')
    .select(['state', 'escalation'])
    .where('state', 'in', ['raised', 'acknowledged'])
    .where(inRegion(scope, 'alarms.region_code'))
    .execute();
  const due = await db
    .selectFrom('hotline_callbacks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'open')
    .where('due_on', '<=', on)
    .where(inRegion(scope, 'hotline_callbacks.region_code'))
    .executeTakeFirstOrThrow();
  const month = await periodAlarms(db, scope, reportPeriod(`${on.slice(0, 7)}-01`, on, on));
  const [ack] = ackTargets(month, t, now.getTime());
  return {
    openAlarms: live.length,
    raised: live.filter((a) => a.state === 'raised').length,
    escalated: live.filter((a) => a.escalation > 0).length,
    callbacksDue: Number(due.n),
    monthAlarms: month.length,
    ackSeconds: t.ackSeconds,
    ackTargetPermille: t.ackSharePermille,
    ackSharePermille: ack!.sharePermille,
    ackMet: ack!.met,
  };
}
