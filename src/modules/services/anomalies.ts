import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { personLabels } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import { scopedRows } from './access.js';
import {
  REASON_CODES,
  RESOLUTION_CODES,
  type AnomaliesQuery,
  type AnomaliesReply,
  type AnomalyCodesReply,
  type AnomalyDetail,
  type AnomalyStatus,
  type AnomalyView,
  type ReasonCode,
  type ResolutionCode,
  type ResolveBody,
  type ReviewBody,
} from './anomalies.schema.js';
import { latestCorrections, periodCorrectionTimes } from './corrected.js';
import { appendHistory } from './history.js';
import { cellGapMeters } from './geo.js';
import { serviceSettingsOf, type ServiceSettings } from './services.settings.js';
import type { ServiceAnomalyRow } from './services.tables.js';

export { REASON_CODES, RESOLUTION_CODES };
export type { ReasonCode };

/**
 * EVV exceptions (issue 17): what the detector flags, and how it is kept.
 *
 * The detector reads numbers only — times, the distance and accuracy computed at check-in, the
 * ~1 km cells, minutes, fen — never a sealed location, so a month of 1,000,000 orders is judged
 * in seconds. Reasons:
 *
 * - far_checkin: check-in distance from the home minus the reported accuracy > farMeters (the
 *   benefit of the doubt goes to the phone's own error radius);
 * - too_short / too_long: minutes on site < shortPercent % / > longPercent % of the ordered minutes;
 *   (times on site, overlaps and travel read an officer's latest correction of an order's start and
 *   end instead of the phone's, corrections.ts: the order's own facts are never overwritten)
 * - overlap: one caregiver's two visits intersect by more than overlapToleranceMinutes (a visit
 *   not yet checked out counts from its check-in to the end of the visit it fell inside);
 * - impossible_travel: between a caregiver's consecutive visits (by check-in; and from the visit
 *   that ended last, when an overlapping one ended before its predecessor), the least distance
 *   between the previous check-out's cell and the next check-in's cell (cellGapMeters, so the
 *   rounding never makes a flag) over the time between them > maxSpeedKmh; no time at all with a
 *   distance counts. Two visits that intersect by more than the overlap tolerance are an overlap
 *   only (no speed between them); intersecting within it, their gap counts as 0 (never negative);
 * - over_entitlement: a person-month's orders (not cancelled) draw more than the month's
 *   entitlement — possible only after a re-run lowered it; the orders beyond it, by date and id,
 *   are flagged;
 * - cert_expired: the visit (checked in) was made by a caregiver with no 'caregiver' certificate
 *   valid on the scheduled date.
 *
 * The thresholds are the settings of the jurisdiction the order's provider is registered in
 * (providerSettings); a finding between two visits is judged by the later visit's.
 *
 * Worker protection (decided here, settlement follows it): location is taken only at check-in and
 * check-out, never between; an exception never cuts pay by itself — an open or resolved-but-
 * unreviewed exception holds the order's line (paid later as an adjustment once accepted); only an
 * officer's 'rejected' review, or the provider's own 'not_performed' resolution, rejects it. The
 * rows are unique per (order, code); one that was resolved or reviewed is never deleted nor
 * overwritten. An open one whose condition no longer holds (a setting changed, an entitlement was
 * restored) is removed by the next detection: nobody had acted on it.
 */

/** The numeric facts of one order the detector reads (none of them personal beyond ids). */
export interface OrderFacts {
  id: number;
  personId: number;
  period: string;
  caregiverId: number | null;
  scheduledOn: string;
  orderedMinutes: number;
  entitledFen: number;
  /** epoch milliseconds; null: not checked in (out) */
  checkInMs: number | null;
  checkOutMs: number | null;
  checkInCell: string | null;
  checkOutCell: string | null;
  checkInDistanceM: number | null;
  checkInAccuracyM: number | null;
}

export interface Finding {
  code: ReasonCode;
  detail: AnomalyDetail;
}

export type DetectSettings = Pick<ServiceSettings, 'farMeters' | 'shortPercent' | 'longPercent' | 'maxSpeedKmh' | 'overlapToleranceMinutes'>;

export interface DetectContext<O extends OrderFacts = OrderFacts> {
  /**
   * The thresholds: one set for every order, or each order's own (its provider's jurisdiction's,
   * providerSettings). A finding between two visits is judged by the later visit's.
   */
  settings: DetectSettings | ((o: O) => DetectSettings);
  /** `${personId}|${period}` → the month's entitlement in fen; a person-month absent has 0 */
  entitlements: Map<string, number>;
  /** `${caregiverId}|${date}`: the caregiver had no valid 'caregiver' certificate on that date */
  certProblems: Set<string>;
  /** only these reasons (default all); over_entitlement needs every order of a person-month passed */
  codes?: ReadonlySet<ReasonCode>;
}

export const ALL_REASONS = Object.keys(REASON_CODES) as ReasonCode[];

const MINUTE = 60_000;

function add(out: Map<number, Finding[]>, orderId: number, code: ReasonCode, detail: AnomalyDetail): void {
  const list = out.get(orderId);
  if (!list) out.set(orderId, [{ code, detail }]);
  else if (!list.some((f) => f.code === code)) list.push({ code, detail });
}

/**
 * The pure detector: every finding of every order passed, by order id (orders without findings
 * are absent). Cancelled orders must not be passed.
 */
export function detect<O extends OrderFacts>(orders: readonly O[], ctx: DetectContext<O>): Map<number, Finding[]> {
  const given = ctx.settings;
  const settingsOf: (o: O) => DetectSettings = typeof given === 'function' ? given : () => given;
  const want = (c: ReasonCode) => !ctx.codes || ctx.codes.has(c);
  const out = new Map<number, Finding[]>();
  const byCaregiver = new Map<number, O[]>();
  const byPersonMonth = new Map<string, Map<number, O[]>>();
  const wantOver = want('over_entitlement');
  const wantCert = want('cert_expired');
  // the caregivers with any certificate problem (few): the others' orders build no key
  const certCaregivers = new Set<number>();
  for (const k of ctx.certProblems) certCaregivers.add(Number(k.slice(0, k.indexOf('|'))));

  for (const o of orders) {
    if (wantOver && o.entitledFen > 0) {
      let persons = byPersonMonth.get(o.period);
      if (!persons) byPersonMonth.set(o.period, (persons = new Map()));
      const list = persons.get(o.personId);
      if (list) list.push(o);
      else persons.set(o.personId, [o]);
    }
    if (o.checkInMs === null) continue;
    if (o.caregiverId !== null) {
      const list = byCaregiver.get(o.caregiverId);
      if (list) list.push(o);
      else byCaregiver.set(o.caregiverId, [o]);
      if (wantCert && certCaregivers.has(o.caregiverId) && ctx.certProblems.has(`${o.caregiverId}|${o.scheduledOn}`)) {
        add(out, o.id, 'cert_expired', { caregiverId: o.caregiverId, date: o.scheduledOn });
      }
    }
    const s = settingsOf(o);
    if (want('far_checkin') && o.checkInDistanceM !== null) {
      const accuracy = o.checkInAccuracyM ?? 0;
      if (o.checkInDistanceM - accuracy > s.farMeters) {
        add(out, o.id, 'far_checkin', { distanceM: o.checkInDistanceM, accuracyM: accuracy, farMeters: s.farMeters });
      }
    }
    if (o.checkOutMs !== null && o.orderedMinutes > 0) {
      const onSite = (o.checkOutMs - o.checkInMs) / MINUTE;
      const ratio = (onSite * 100) / o.orderedMinutes;
      const detail = { minutesOnSite: Math.round(onSite), orderedMinutes: o.orderedMinutes, ratioPercent: Math.round(ratio) };
      if (ratio < s.shortPercent) {
        if (want('too_short')) add(out, o.id, 'too_short', { ...detail, shortPercent: s.shortPercent });
      } else if (ratio > s.longPercent) {
        if (want('too_long')) add(out, o.id, 'too_long', { ...detail, longPercent: s.longPercent });
      }
    }
  }

  const wantOverlap = want('overlap');
  const wantTravel = want('impossible_travel');
  if (wantOverlap || wantTravel) {
    // a month has a few thousand cells: each pair's least distance is computed once
    const cellIndex = new Map<string, number>();
    const gaps = new Map<number, number>();
    const indexOf = (cell: string) => {
      let i = cellIndex.get(cell);
      if (i === undefined) cellIndex.set(cell, (i = cellIndex.size));
      return i;
    };
    const gapOf = (a: string, b: string): number => {
      if (a === b) return 0;
      const key = indexOf(a) * 1_048_576 + indexOf(b);
      let g = gaps.get(key);
      if (g === undefined) gaps.set(key, (g = cellGapMeters(a, b)));
      return g;
    };
    /** the travel from one visit to the next, when faster than the next one's settings allow */
    const travel = (from: O, to: O, s: DetectSettings): AnomalyDetail | null => {
      const tolMs = s.overlapToleranceMinutes * MINUTE;
      const cell = from.checkOutCell ?? from.checkInCell;
      const fromMs = from.checkOutMs ?? from.checkInMs!;
      if (cell === null || to.checkInCell === null) return null;
      // visits that intersect are an overlap's matter (beyond the tolerance), not travel; within
      // the tolerance the time between them counts as none, so the gap shown is never negative
      let gapMs = to.checkInMs! - fromMs;
      if (gapMs < 0) {
        if (-gapMs > tolMs) return null;
        gapMs = 0;
      }
      const meters = gapOf(cell, to.checkInCell);
      if (meters <= 0) return null;
      const kmh = gapMs > 0 ? meters / 1000 / (gapMs / 3_600_000) : Infinity;
      if (kmh <= s.maxSpeedKmh) return null;
      return {
        otherOrderId: from.id,
        distanceM: Math.round(meters),
        minutes: Math.round(gapMs / MINUTE),
        speedKmh: Number.isFinite(kmh) ? Math.round(kmh) : null,
        maxSpeedKmh: s.maxSpeedKmh,
      };
    };
    for (const list of byCaregiver.values()) {
      list.sort((a, b) => a.checkInMs! - b.checkInMs! || a.id - b.id);
      // the visit, among those before, that ends last (visits not checked out end at their check-in)
      let last: O | null = null;
      let lastEnd = -Infinity;
      let prev: O | null = null;
      for (const o of list) {
        const start = o.checkInMs!;
        const s = settingsOf(o);
        const tolMs = s.overlapToleranceMinutes * MINUTE;
        if (wantOverlap && last !== null) {
          const end = o.checkOutMs ?? Infinity;
          const overlapMs = Math.min(lastEnd, end) - start;
          if (overlapMs > tolMs) {
            const minutes = Math.round(overlapMs / MINUTE);
            add(out, o.id, 'overlap', { otherOrderId: last.id, overlapMinutes: minutes });
            add(out, last.id, 'overlap', { otherOrderId: o.id, overlapMinutes: minutes });
          }
        }
        if (wantTravel && prev !== null) {
          // from the previous visit by check-in, and from the one that ended last if another (a
          // visit that overlapped its predecessor may have ended first)
          const worst = travel(prev, o, s);
          const other = last !== null && last !== prev ? travel(last, o, s) : null;
          const t = other !== null && (worst === null || (other.speedKmh ?? Infinity) > (worst.speedKmh ?? Infinity)) ? other : worst;
          if (t !== null) add(out, o.id, 'impossible_travel', t);
        }
        const end = o.checkOutMs ?? start;
        if (end > lastEnd) {
          lastEnd = end;
          last = o;
        }
        prev = o;
      }
    }
  }

  if (wantOver) {
    for (const [period, persons] of byPersonMonth) {
      for (const [personId, list] of persons) {
        const amount = ctx.entitlements.get(`${personId}|${period}`) ?? 0;
        let used = 0;
        for (const o of list) used += o.entitledFen;
        if (used <= amount) continue;
        list.sort((a, b) => (a.scheduledOn < b.scheduledOn ? -1 : a.scheduledOn > b.scheduledOn ? 1 : a.id - b.id));
        let sum = 0;
        for (const o of list) {
          sum += o.entitledFen;
          if (sum > amount) add(out, o.id, 'over_entitlement', { entitledFen: o.entitledFen, usedFen: sum, amountFen: amount });
        }
      }
    }
  }
  return out;
}

/* ---- loading the facts ---- */

const FACT_COLUMNS = [
  'id',
  'person_id',
  'period',
  'caregiver_id',
  'scheduled_on',
  'ordered_minutes',
  'entitled_fen',
  'check_in_at',
  'check_out_at',
  'check_in_cell',
  'check_out_cell',
  'check_in_distance_m',
  'check_in_accuracy_m',
  'provider_id',
  'region_code',
] as const;

/** An order's facts plus where its exception rows go. */
export interface LoadedOrder extends OrderFacts {
  providerId: number;
  regionCode: string;
}

const ms = (v: unknown): number | null => (v === null || v === undefined ? null : Date.parse(String(v)));

function factsOf(r: unknown[]): LoadedOrder {
  return {
    id: Number(r[0]),
    personId: Number(r[1]),
    period: r[2] as string,
    caregiverId: r[3] === null ? null : Number(r[3]),
    scheduledOn: r[4] as string,
    orderedMinutes: Number(r[5]),
    entitledFen: Number(r[6]),
    checkInMs: ms(r[7]),
    checkOutMs: ms(r[8]),
    checkInCell: (r[9] as string | null) ?? null,
    checkOutCell: (r[10] as string | null) ?? null,
    checkInDistanceM: r[11] === null ? null : Number(r[11]),
    checkInAccuracyM: r[12] === null ? null : Number(r[12]),
    providerId: Number(r[13]),
    regionCode: r[14] as string,
  };
}

function rowFacts(r: Record<string, unknown>): LoadedOrder {
  return factsOf(FACT_COLUMNS.map((c) => r[c]));
}

/**
 * Each order's thresholds: the settings of the jurisdiction its provider is registered in — the
 * government that buys the provider's visits sets how they are verified. By provider, not by the
 * order's own region: a month's facts carry no per-row region (monthFacts), and a visit checked
 * online (raiseOnline) and again with its month (redetect) must be judged alike. `providerIds`:
 * only these providers (a visit's neighbours); every provider when not given.
 */
async function providerSettings(ctx: AppContext, db: Executor, providerIds?: readonly number[]): Promise<(o: LoadedOrder) => DetectSettings> {
  let q = db.selectFrom('service_providers').select(['id', 'region_code']);
  if (providerIds) q = q.where('id', 'in', providerIds.length ? [...new Set(providerIds)] : [-1]);
  const byRegion = new Map<string, DetectSettings>();
  const of = (regionCode: string): DetectSettings => {
    let s = byRegion.get(regionCode);
    if (!s) byRegion.set(regionCode, (s = serviceSettingsOf(ctx, regionCode)));
    return s;
  };
  const byProvider = new Map((await q.execute()).map((p) => [p.id, of(p.region_code)]));
  // an order whose provider is not on record (never, the key is a provider's): the platform's
  const fallback = of(ctx.regions.top()?.code ?? '');
  return (o) => byProvider.get(o.providerId) ?? fallback;
}

/**
 * `${caregiverId}|${date}` for each pair asked whose caregiver holds no 'caregiver' certificate
 * valid on the date (issued on or before, expiring on or after it, or never) — the rule of the
 * providers' certificateProblem, over a whole month's pairs in one read.
 */
export async function certProblemsOf(db: Executor, pairs: Iterable<[number, string]>): Promise<Set<string>> {
  const byCaregiver = new Map<number, Set<string>>();
  for (const [c, d] of pairs) {
    const dates = byCaregiver.get(c);
    if (dates) dates.add(d);
    else byCaregiver.set(c, new Set([d]));
  }
  const problems = new Set<string>();
  if (byCaregiver.size === 0) return problems;
  const ids = [...byCaregiver.keys()];
  const certs = new Map<number, { from: string; to: string | null }[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('service_certificates')
      .select(['caregiver_id', 'issued_on', 'expires_on'])
      .where('kind', '=', 'caregiver')
      .where('caregiver_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const list = certs.get(r.caregiver_id) ?? [];
      list.push({ from: r.issued_on, to: r.expires_on });
      certs.set(r.caregiver_id, list);
    }
  }
  for (const [c, dates] of byCaregiver) {
    const list = certs.get(c) ?? [];
    for (const d of dates) {
      if (!list.some((x) => x.from <= d && (x.to === null || x.to >= d))) problems.add(`${c}|${d}`);
    }
  }
  return problems;
}

/** 'YYYY-MM-DD' as the number YYYYMMDD, without allocating (a month's million orders are keyed by it). */
function dayNumber(date: string): number {
  let n = 0;
  for (let i = 0; i < date.length; i++) {
    const c = date.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) n = n * 10 + c;
  }
  return n;
}

function certPairs(orders: readonly OrderFacts[]): [number, string][] {
  // keyed by caregiver × 10⁸ + YYYYMMDD: a number, not a million strings
  const seen = new Set<number>();
  const out: [number, string][] = [];
  for (const o of orders) {
    if (o.caregiverId === null || o.checkInMs === null) continue;
    const k = o.caregiverId * 100_000_000 + dayNumber(o.scheduledOn);
    if (!seen.has(k)) {
      seen.add(k);
      out.push([o.caregiverId, o.scheduledOn]);
    }
  }
  return out;
}

/* ---- keeping the rows ---- */

interface ExistingRow {
  id: number;
  order_id: number;
  code: string;
  status: string;
  detail: string;
}

export interface PersistCounts {
  raised: number;
  updated: number;
  cleared: number;
}

/**
 * Brings the exception rows of `orders` for `codes` in line with `findings`: a new finding is
 * inserted open; an open row gets the latest figures; an open row whose finding is gone is
 * removed; a resolved or reviewed row is never touched. `insertOnly`: orders (a visit's
 * neighbours) whose rows may be added to but not cleared, since not all of their neighbours were read.
 */
async function persist(
  trx: Transaction<Database>,
  orders: readonly LoadedOrder[],
  findings: Map<number, Finding[]>,
  existing: readonly ExistingRow[],
  codes: ReadonlySet<ReasonCode>,
  insertOnly: ReadonlySet<number> = new Set(),
): Promise<PersistCounts> {
  const rows = new Map<string, ExistingRow>();
  for (const r of existing) rows.set(`${r.order_id}|${r.code}`, r);
  const at = nowIso();
  const inserts: {
    order_id: number;
    provider_id: number;
    region_code: string;
    code: string;
    detail: string;
    status: string;
    raised_at: string;
  }[] = [];
  const updates: { id: number; detail: string }[] = [];
  const clears: number[] = [];
  for (const o of orders) {
    const found = findings.get(o.id);
    for (const f of found ?? []) {
      if (!codes.has(f.code)) continue;
      const detail = JSON.stringify(f.detail);
      const row = rows.get(`${o.id}|${f.code}`);
      if (!row) inserts.push({ order_id: o.id, provider_id: o.providerId, region_code: o.regionCode, code: f.code, detail, status: 'open', raised_at: at });
      else if (row.status === 'open' && row.detail !== detail && !insertOnly.has(o.id)) updates.push({ id: row.id, detail });
    }
  }
  // which existing rows' orders were judged (a set of the rows' orders, not of a month's million)
  const judged = new Set<number>();
  const rowOrders = new Set(existing.map((r) => r.order_id));
  for (const o of orders) if (rowOrders.has(o.id)) judged.add(o.id);
  for (const r of existing) {
    if (r.status !== 'open' || !judged.has(r.order_id) || insertOnly.has(r.order_id) || !codes.has(r.code as ReasonCode)) continue;
    if (!(findings.get(r.order_id) ?? []).some((f) => f.code === r.code)) clears.push(r.id);
  }
  const unknown = inserts.filter((x) => x.region_code === '').map((x) => x.order_id);
  if (unknown.length > 0) {
    const regions = new Map<number, string>();
    const ids = [...new Set(unknown)];
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of await trx
        .selectFrom('service_orders')
        .select(['id', 'region_code'])
        .where('id', 'in', ids.slice(i, i + 500))
        .execute())
        regions.set(r.id, r.region_code);
    }
    for (const x of inserts) if (x.region_code === '') x.region_code = regions.get(x.order_id) ?? '';
  }
  for (let i = 0; i < inserts.length; i += 400) {
    await trx
      .insertInto('service_anomalies')
      .values(inserts.slice(i, i + 400))
      .onConflict((oc) => oc.columns(['order_id', 'code']).doNothing())
      .execute();
  }
  for (const u of updates) {
    await trx.updateTable('service_anomalies').set({ detail: u.detail }).where('id', '=', u.id).where('status', '=', 'open').execute();
  }
  for (let i = 0; i < clears.length; i += 500) {
    await trx
      .deleteFrom('service_anomalies')
      .where('id', 'in', clears.slice(i, i + 500))
      .where('status', '=', 'open')
      .execute();
  }
  return { raised: inserts.length, updated: updates.length, cleared: clears.length };
}

/* ---- online: one visit ---- */

const ONLINE_CODES: ReadonlySet<ReasonCode> = new Set(['far_checkin', 'too_short', 'too_long', 'overlap', 'impossible_travel', 'cert_expired']);
const NEIGHBOUR_CODES: ReadonlySet<ReasonCode> = new Set(['overlap', 'impossible_travel']);
const DAY = 86_400_000;

/**
 * After a check-in or check-out (evv calls it in its transaction, after writing): the visit's
 * exceptions (far check-in, time on site, overlap, impossible travel, certificate) and its
 * caregiver's neighbouring visits' overlap and travel with it. Reads through `trx` only.
 */
export async function raiseOnline(ctx: AppContext, trx: Transaction<Database>, orderId: number): Promise<Finding[]> {
  const row = await trx.selectFrom('service_orders').select(FACT_COLUMNS).select('status').where('id', '=', orderId).executeTakeFirst();
  if (!row || row.status === 'cancelled' || row.check_in_at === null) return [];
  const target = rowFacts(row as unknown as Record<string, unknown>);
  let orders: LoadedOrder[] = [target];
  if (target.caregiverId !== null) {
    const from = new Date(target.checkInMs! - DAY).toISOString();
    const to = new Date(Math.max(target.checkInMs!, target.checkOutMs ?? 0) + DAY).toISOString();
    const near = await trx
      .selectFrom('service_orders')
      .select(FACT_COLUMNS)
      .where('caregiver_id', '=', target.caregiverId)
      .where('status', '<>', 'cancelled')
      .where('check_in_at', '>=', from)
      .where('check_in_at', '<=', to)
      .where('id', '<>', orderId)
      .execute();
    // the visit before the window too, so the target's travel always has its predecessor
    const before = await trx
      .selectFrom('service_orders')
      .select(FACT_COLUMNS)
      .where('caregiver_id', '=', target.caregiverId)
      .where('status', '<>', 'cancelled')
      .where('check_in_at', '<', from)
      .orderBy('check_in_at', 'desc')
      .limit(1)
      .execute();
    orders = [target, ...[...near, ...before].map((r) => rowFacts(r as unknown as Record<string, unknown>))];
  }
  // an officer's corrections (corrections.ts): the corrected start and end replace the phone's
  const corrected = await latestCorrections(
    trx,
    orders.map((o) => o.id),
  );
  for (const o of orders) {
    const c = corrected.get(o.id);
    if (c) {
      o.checkInMs = Date.parse(c.checkInAt);
      o.checkOutMs = Date.parse(c.checkOutAt);
    }
  }
  const certProblems = await certProblemsOf(trx, certPairs([target]));
  const settings = await providerSettings(
    ctx,
    trx,
    orders.map((o) => o.providerId),
  );
  const findings = detect(orders, { settings, entitlements: new Map(), certProblems, codes: ONLINE_CODES });
  // the target's own other findings are its alone; its neighbours keep only what involves it
  const own = findings.get(orderId) ?? [];
  const related = new Map<number, Finding[]>([[orderId, own]]);
  const neighbours: LoadedOrder[] = [];
  for (const o of orders) {
    if (o.id === orderId) continue;
    const theirs = (findings.get(o.id) ?? []).filter((f) => NEIGHBOUR_CODES.has(f.code) && f.detail.otherOrderId === orderId);
    if (theirs.length > 0) {
      related.set(o.id, theirs);
      neighbours.push(o);
    }
  }
  const touched = [target, ...neighbours];
  const existing = await trx
    .selectFrom('service_anomalies')
    .select(['id', 'order_id', 'code', 'status', 'detail'])
    .where(
      'order_id',
      'in',
      touched.map((o) => o.id),
    )
    .execute();
  await persist(trx, touched, related, existing, ONLINE_CODES, new Set(neighbours.map((o) => o.id)));
  return own;
}

/* ---- a month ---- */

export interface RedetectResult {
  period: string;
  orders: number;
  findings: number;
  raised: number;
  updated: number;
  cleared: number;
}

/** What the detector reads for a month: its orders (not cancelled), entitlements and certificate problems. */
export interface MonthFacts {
  orders: LoadedOrder[];
  entitlements: Map<string, number>;
  certProblems: Set<string>;
}

/**
 * A month's facts, read as arrays (no row objects on SQLite). With a provider: its orders, and
 * the other providers' orders of the persons it served that month (a person's month draws across
 * providers, so the sum needs them all).
 */
export async function monthFacts(ctx: AppContext, period: string, providerId?: number): Promise<MonthFacts> {
  // the instants as epoch milliseconds from the database, and no per-row strings the detector
  // does not need (the period is the filter's; a region is looked up for the rows written)
  const epochMs = (col: 'check_in_at' | 'check_out_at') =>
    ctx.dialect === 'sqlite'
      ? sql<number | null>`cast(round(unixepoch(${sql.ref(col)}, 'subsec') * 1000) as integer)`
      : sql<number | null>`(extract(epoch from ${sql.ref(col)}::timestamptz) * 1000)::bigint`;
  let q = ctx.db
    .selectFrom('service_orders')
    .select([
      'id',
      'person_id',
      'caregiver_id',
      'scheduled_on',
      'ordered_minutes',
      'entitled_fen',
      epochMs('check_in_at').as('in_ms'),
      epochMs('check_out_at').as('out_ms'),
      'check_in_cell',
      'check_out_cell',
      'check_in_distance_m',
      'check_in_accuracy_m',
      'provider_id',
    ])
    .where('period', '=', period)
    .where('status', '<>', 'cancelled');
  if (providerId !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('provider_id', '=', providerId),
        eb(
          'person_id',
          'in',
          eb.selectFrom('service_orders as mine').select('mine.person_id').where('mine.provider_id', '=', providerId).where('mine.period', '=', period),
        ),
      ]),
    );
  }
  // SQLite: the statement is iterated, one row array at a time (the covering index
  // service_orders_facts, migration 002, is read instead of the wide rows), so a million row
  // arrays are never held at once; PostgreSQL's driver answers with all rows at once
  const orders: LoadedOrder[] = [];
  const take = (r: unknown[]): void => {
    orders.push({
      id: Number(r[0]),
      personId: Number(r[1]),
      period,
      caregiverId: r[2] === null ? null : Number(r[2]),
      scheduledOn: r[3] as string,
      orderedMinutes: Number(r[4]),
      entitledFen: Number(r[5]),
      checkInMs: r[6] === null ? null : Number(r[6]),
      checkOutMs: r[7] === null ? null : Number(r[7]),
      checkInCell: (r[8] as string | null) ?? null,
      checkOutCell: (r[9] as string | null) ?? null,
      checkInDistanceM: r[10] === null ? null : Number(r[10]),
      checkInAccuracyM: r[11] === null ? null : Number(r[11]),
      providerId: Number(r[12]),
      regionCode: '',
    });
  };
  const compiled = q.compile();
  if (ctx.handle.dialect === 'sqlite' && ctx.handle.sqlite) {
    const stmt = ctx.handle.sqlite.prepare(compiled.sql).raw(true);
    for (const r of stmt.iterate(...(compiled.parameters as unknown[]))) take(r as unknown[]);
  } else {
    const rows = await ctx.handle.selectArrays(compiled);
    for (let i = 0; i < rows.length; i++) take(rows[i]!);
    rows.length = 0;
  }
  // an officer's corrections (corrections.ts): the corrected start and end replace the phone's
  const corrected = await periodCorrectionTimes(ctx.db, period);
  if (corrected.size > 0) {
    for (const o of orders) {
      const c = corrected.get(o.id);
      if (c) {
        o.checkInMs = c.inMs;
        o.checkOutMs = c.outMs;
      }
    }
  }
  const entitlements = new Map<string, number>();
  const ents = await ctx.handle.selectArrays(
    ctx.db.selectFrom('service_entitlements').select(['person_id', 'amount_fen']).where('period', '=', period).compile(),
  );
  // a person entitled by their county and by their city (issue 21) has the sum (entitlements.ts balanceOf)
  for (const [p, a] of ents) {
    const key = `${Number(p)}|${period}`;
    entitlements.set(key, (entitlements.get(key) ?? 0) + Number(a));
  }
  const certProblems = await certProblemsOf(ctx.db, certPairs(orders));
  return { orders, entitlements, certProblems };
}

/**
 * Detects a month again over every order of the period (of one provider, if given) — settlement
 * calls it before computing a month; it is how an over-entitlement after a re-run, or a setting
 * changed, reaches the rows. Reads numbers as arrays (no row objects on SQLite), then writes the
 * differences in one transaction.
 */
export async function redetect(ctx: AppContext, opts: { period: string; providerId?: number }): Promise<RedetectResult> {
  const { period, providerId } = opts;
  const month = await monthFacts(ctx, period, providerId);
  const all = month.orders;
  const settings = await providerSettings(ctx, ctx.db);
  const findings = detect(all, { settings, entitlements: month.entitlements, certProblems: month.certProblems });
  const mine = providerId === undefined ? all : all.filter((o) => o.providerId === providerId);

  let existingQ = ctx.db
    .selectFrom('service_anomalies as a')
    .innerJoin('service_orders as o', 'o.id', 'a.order_id')
    .select(['a.id', 'a.order_id', 'a.code', 'a.status', 'a.detail'])
    .where('o.period', '=', period);
  if (providerId !== undefined) existingQ = existingQ.where('a.provider_id', '=', providerId);
  const existing = (await ctx.handle.selectArrays(existingQ.compile())).map((r): ExistingRow => ({
    id: Number(r[0]),
    order_id: Number(r[1]),
    code: r[2] as string,
    status: r[3] as string,
    detail: r[4] as string,
  }));
  const counts = await ctx.db.transaction().execute((trx) => persist(trx, mine, findings, existing, new Set(ALL_REASONS)));
  let n = 0;
  for (const o of mine) n += findings.get(o.id)?.length ?? 0;
  return { period, orders: mine.length, findings: n, ...counts };
}

/** For tests and the bench: the epoch-ms facts of orders as the detector reads them. */
export function asFacts(rows: Record<string, unknown>[]): LoadedOrder[] {
  return rows.map(rowFacts);
}

/* ---- the queue: list, resolve, review ---- */

const parseDetail = (text: string): AnomalyDetail => {
  try {
    return JSON.parse(text) as AnomalyDetail;
  } catch {
    return {};
  }
};

/** Views of exception rows: provider, person, caregiver and the resolver's and reviewer's names. */
export async function anomalyViews(db: Executor, rows: readonly ServiceAnomalyRow[]): Promise<AnomalyView[]> {
  if (rows.length === 0) return [];
  const orderIds = [...new Set(rows.map((r) => r.order_id))];
  const orders = new Map<number, { person_id: number; caregiver_id: number | null; scheduled_on: string }>();
  for (let i = 0; i < orderIds.length; i += 500) {
    const chunk = await db
      .selectFrom('service_orders')
      .select(['id', 'person_id', 'caregiver_id', 'scheduled_on'])
      .where('id', 'in', orderIds.slice(i, i + 500))
      .execute();
    for (const o of chunk) orders.set(o.id, o);
  }
  const providerIds = [...new Set(rows.map((r) => r.provider_id))];
  const caregiverIds = [...new Set([...orders.values()].map((o) => o.caregiver_id).filter((v): v is number => v !== null))];
  const [providers, caregivers, persons, users] = await Promise.all([
    db.selectFrom('service_providers').select(['id', 'name']).where('id', 'in', providerIds).execute(),
    caregiverIds.length ? db.selectFrom('service_caregivers').select(['id', 'name']).where('id', 'in', caregiverIds).execute() : Promise.resolve([]),
    personLabels(
      db,
      [...orders.values()].map((o) => o.person_id),
    ),
    displayNames(
      db,
      rows.flatMap((r) => [r.resolved_by, r.reviewed_by]),
    ),
  ]);
  const providerName = new Map(providers.map((p) => [p.id, p.name]));
  const caregiverName = new Map(caregivers.map((c) => [c.id, c.name]));
  return rows.map((r) => {
    const o = orders.get(r.order_id);
    return {
      id: r.id,
      orderId: r.order_id,
      providerId: r.provider_id,
      providerName: providerName.get(r.provider_id) ?? '',
      personId: o?.person_id ?? 0,
      personName: (o && persons.get(o.person_id)?.name) ?? '',
      caregiverName: o?.caregiver_id != null ? (caregiverName.get(o.caregiver_id) ?? null) : null,
      scheduledOn: o?.scheduled_on ?? '',
      code: r.code as ReasonCode,
      detail: parseDetail(r.detail),
      status: r.status as AnomalyStatus,
      resolutionCode: r.resolution_code as ResolutionCode | null,
      resolutionNote: r.resolution_note,
      resolvedByName: r.resolved_by !== null ? (users.get(r.resolved_by) ?? null) : null,
      resolvedAt: r.resolved_at,
      reviewNote: r.review_note,
      reviewedByName: r.reviewed_by !== null ? (users.get(r.reviewed_by) ?? null) : null,
      reviewedAt: r.reviewed_at,
      raisedAt: r.raised_at,
    };
  });
}

/** GET /services/anomalies: the exceptions in the viewer's scope (a provider's staff: their own), open first, audited. */
export function listAnomalies(ctx: AppContext, scope: Scope, f: AnomaliesQuery): Promise<AnomaliesReply> {
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let q = scopedRows(trx.selectFrom('service_anomalies'), scope, 'service_anomalies');
      if (f.status) q = q.where('service_anomalies.status', '=', f.status);
      if (f.code) q = q.where('service_anomalies.code', '=', f.code);
      if (f.providerId) q = q.where('service_anomalies.provider_id', '=', f.providerId);
      if (f.period) {
        const period = f.period;
        q = q.where((eb) =>
          eb('service_anomalies.order_id', 'in', eb.selectFrom('service_orders').select('service_orders.id').where('service_orders.period', '=', period)),
        );
      }
      const { n } = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      const rows = await q
        .selectAll('service_anomalies')
        // the queue: open first, then resolved (waiting for review), then the reviewed; newest first within
        .orderBy(sql`case service_anomalies.status when 'open' then 0 when 'resolved' then 1 else 2 end`)
        .orderBy('service_anomalies.id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute();
      return { items: await anomalyViews(trx, rows), total: Number(n), page: f.page, pageSize: f.pageSize };
    },
    (r) => ({ action: 'services.anomalies_read', entityType: 'service_anomaly', persons: r.items.map((a) => a.personId) }),
  );
}

/** The reason and resolution codes with their labels (the console's dialogs). */
export function anomalyCodes(): AnomalyCodesReply {
  return {
    reasons: ALL_REASONS.map((code) => ({ code, zh: REASON_CODES[code].zh, en: REASON_CODES[code].en, allowed: [...REASON_CODES[code].allowed] })),
    resolutions: (Object.keys(RESOLUTION_CODES) as ResolutionCode[]).map((code) => ({ code, ...RESOLUTION_CODES[code] })),
  };
}

async function anomalyInScope(db: Executor, scope: Scope, id: number): Promise<ServiceAnomalyRow> {
  const row = await scopedRows(db.selectFrom('service_anomalies'), scope, 'service_anomalies')
    .selectAll('service_anomalies')
    .where('service_anomalies.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('SERVICE_ANOMALY_NOT_FOUND', { id });
  return row;
}

async function oneView(trx: Executor, id: number): Promise<AnomalyView> {
  const row = await trx.selectFrom('service_anomalies').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return (await anomalyViews(trx, [row]))[0]!;
}

/**
 * POST /services/anomalies/:id/resolve: the provider says why (a resolution code that fits the
 * reason, and a note). The order itself is never changed: the resolution is kept on the exception
 * and appended to the order's history.
 */
export function resolveAnomaly(ctx: AppContext, scope: Scope, id: number, body: ResolveBody): Promise<AnomalyView> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await anomalyInScope(trx, scope, id);
    if (row.status !== 'open') throw new AppError('SERVICE_ANOMALY_NOT_OPEN', { id });
    const reason = REASON_CODES[row.code as ReasonCode];
    if (!reason || !reason.allowed.includes(body.code)) {
      throw new AppError('SERVICE_RESOLUTION_NOT_ALLOWED', { id, code: body.code, reason: row.code, allowed: (reason?.allowed ?? []).join(', ') });
    }
    const at = nowIso();
    const by = scope.userId ?? 0;
    const done = await trx
      .updateTable('service_anomalies')
      .set({ status: 'resolved', resolution_code: body.code, resolution_note: body.note, resolved_by: by, resolved_at: at })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('SERVICE_ANOMALY_NOT_OPEN', { id });
    await appendHistory(trx, row.order_id, 'anomaly', { anomalyId: id, reason: row.code, step: 'resolved', resolutionCode: body.code, note: body.note }, by);
    await recordAudit(trx, scope, {
      action: 'services.anomaly_resolved',
      entityType: 'service_anomaly',
      entityId: id,
      regionCode: row.region_code,
      detail: { orderId: row.order_id, reason: row.code, resolutionCode: body.code },
    });
    return oneView(trx, id);
  });
}

/**
 * POST /services/anomalies/:id/review: an officer accepts or rejects a resolved exception. A
 * rejection (or the provider's own 'not_performed') rejects the order's settlement line; an
 * acceptance releases it (as an adjustment if its month was already closed).
 */
export function reviewAnomaly(ctx: AppContext, scope: Scope, id: number, body: ReviewBody): Promise<AnomalyView> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await anomalyInScope(trx, scope, id);
    if (row.status !== 'resolved') throw new AppError('SERVICE_ANOMALY_NOT_RESOLVED', { id });
    const at = nowIso();
    const by = scope.userId ?? 0;
    const done = await trx
      .updateTable('service_anomalies')
      .set({ status: body.decision, review_note: body.note, reviewed_by: by, reviewed_at: at })
      .where('id', '=', id)
      .where('status', '=', 'resolved')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('SERVICE_ANOMALY_NOT_RESOLVED', { id });
    await appendHistory(trx, row.order_id, 'anomaly', { anomalyId: id, reason: row.code, step: body.decision, note: body.note }, by);
    await recordAudit(trx, scope, {
      action: 'services.anomaly_reviewed',
      entityType: 'service_anomaly',
      entityId: id,
      regionCode: row.region_code,
      detail: { orderId: row.order_id, reason: row.code, decision: body.decision },
    });
    return oneView(trx, id);
  });
}

/**
 * For supervision's credit ratings: per provider, the anomalies raised between two civil dates
 * (inclusive, by the UTC date of raising) that were upheld — an officer's 'rejected' review or the
 * provider's own 'not_performed' resolution. Open, resolved-but-unreviewed and accepted ones do not
 * count: an exception alone is not a fault (the worker protection above). Counts only.
 */
export async function upheldAnomalyCountsByProvider(db: Executor, range: { from: string; to: string }): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('service_anomalies')
    .select(['provider_id', sql<number>`count(*)`.as('n')])
    .where('raised_at', '>=', range.from)
    .where('raised_at', '<', `${range.to}T99`)
    .where((eb) => eb.or([eb('status', '=', 'rejected'), eb('resolution_code', '=', 'not_performed')]))
    .groupBy('provider_id')
    .execute();
  return new Map(rows.map((r) => [r.provider_id, Number(r.n)]));
}
