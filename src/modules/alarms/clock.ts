import type { Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import type { Serving } from '../../platform/module.js';
import { inRegion, systemScope, type Scope } from '../../platform/scope.js';
import { raiseFollowup } from '../visits/followups.js';
import { beijingMinute, compiledRulesOf, effectiveRule, holds, inWindow, type AlarmRule, type CompiledRule, type HourWindow } from './alarms.rules.js';
import { hotlineTargetsOf } from './alarms.settings.js';
import { DEVICE_KINDS, EVENT_KINDS, type EventKind } from './events.schema.js';
import { insertAlarm, lockDevicesForRules, overridesOf, publishAlarmChanges, type AlarmChange } from './raise.js';

/**
 * The alarms' clock (issue 18), run while the server serves (serve.ts):
 * - every 5 s, escalation: an alarm nobody acknowledged for escalateAllSeconds goes to every
 *   operator (escalation 1), for escalateSupervisorSeconds to the shift supervisor (2)
 *   (hotline_targets). Each is a conditional UPDATE on (id, state 'raised', escalation as read),
 *   so two servers on one database never escalate twice, and an acknowledge in between wins.
 *   Escalation does not bump `version`: the operators' changes are serialised on it and must not
 *   fail because the clock ticked.
 * - every 60 s, the timed rules (alarm_rules with trigger 'absence' or 'offline'): no movement,
 *   out of bed and not back, device offline (link 'offline' set once per episode by a conditional
 *   UPDATE, an alarm, and for action 'welfare_check' a visits follow-up for the grid worker).
 * `tickClock(ctx, now)` runs both at a given instant (tests; the intervals call it with the time).
 */

const MINUTE = 60_000;
const CHUNK = 500;
type Trx = Transaction<Database>;

export interface TickResult {
  changes: AlarmChange[];
}

/** Escalates the alarms nobody acknowledged in time, each county's by its own hotline targets. */
export async function escalate(ctx: AppContext, now: Date): Promise<AlarmChange[]> {
  const changes: AlarmChange[] = [];
  for (const j of ctx.regions.counties()) changes.push(...(await escalateIn(ctx, systemScope(j.code, j.prefix, 'alarms-clock'), now)));
  return changes;
}

/** Escalates the alarms of one county (`county`: its system scope). */
async function escalateIn(ctx: AppContext, county: Scope, now: Date): Promise<AlarmChange[]> {
  const t = hotlineTargetsOf(ctx, county.regionCode);
  const ms = now.getTime();
  const allCut = new Date(ms - t.escalateAllSeconds * 1000).toISOString();
  const supCut = new Date(ms - t.escalateSupervisorSeconds * 1000).toISOString();
  const rows = await ctx.db
    .selectFrom('alarms')
    .select(['id', 'escalation', 'raised_at', 'person_id', 'region_code', 'kind', 'priority'])
    .where(inRegion(county, 'alarms.region_code'))
    .where('state', '=', 'raised')
    .where('escalation', '<', 2)
    .where('priority', '<=', t.escalateMaxPriority)
    .where('raised_at', '<=', allCut)
    .orderBy('raised_at')
    .limit(1000)
    .execute();
  const at = now.toISOString();
  const changes: AlarmChange[] = [];
  for (const r of rows) {
    const level = r.raised_at <= supCut ? 2 : 1;
    if (level <= r.escalation) continue;
    const done = await ctx.db.transaction().execute(async (trx) => {
      const u = await trx
        .updateTable('alarms')
        .set({ escalation: level, escalated_at: at })
        .where('id', '=', r.id)
        .where('state', '=', 'raised')
        .where('escalation', '=', r.escalation)
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) !== 1) return false;
      await trx
        .insertInto('alarm_steps')
        .values({ alarm_id: r.id, at, by_user: 0, kind: 'escalated', action: level === 2 ? 'supervisor' : 'all_operators', note_enc: null })
        .execute();
      return true;
    });
    if (done)
      changes.push({
        id: r.id,
        personId: r.person_id,
        regionCode: r.region_code,
        kind: r.kind,
        state: 'raised',
        escalation: level,
        priority: r.priority,
        at,
        raised: false,
      });
  }
  return changes;
}

/**
 * The start of the last `minutes` minutes of the effective hours before `now` (whole minutes,
 * counting back from the last full minute): 720 minutes of 08:00–20:00 at 20:00 reach back to
 * 08:00 the same day; at 14:00, to 14:00 the day before.
 */
export function effectiveSince(nowMs: number, minutes: number, hours: HourWindow): number {
  if (!hours) return nowMs - minutes * MINUTE;
  let m = Math.floor(nowMs / MINUTE);
  let counted = 0;
  // at most 8 days back (a week's threshold in a one-minute window would never be met)
  for (let guard = 0; guard < 8 * 1440 && counted < minutes; guard++) {
    m--;
    if (inWindow(hours, beijingMinute(m * MINUTE))) counted++;
  }
  return m * MINUTE;
}

interface TimedTarget {
  personId: number;
  regionCode: string;
  deviceId: number;
  rule: AlarmRule;
  lastEventAt: string;
  /** an alarm of this person and rule raised at or after it: already raised for this absence */
  notSince?: string;
  /** the event that started the wait (out of bed): linked to the alarm */
  eventId?: number;
}

/**
 * Raises a timed rule's alarm unless one of the device and rule is open, one was resolved within
 * the silence, or one was raised for this absence already. Answers the alarm the event belongs to
 * (new, open, or silenced) and whether it was raised now; null when nothing was raised or linked.
 */
async function raiseTimed(ctx: AppContext, trx: Trx, t: TimedTarget, now: Date): Promise<{ id: number; change: AlarmChange | null } | null> {
  const at = now.toISOString();
  // two servers' clocks (or a clock and an ingest) on one PostgreSQL database: the second reads after the first commits
  await lockDevicesForRules(trx, [t.deviceId]);
  const recent = await trx
    .selectFrom('alarms')
    .select(['id', 'state', 'resolved_at', 'raised_at'])
    .where('person_id', '=', t.personId)
    .where('rule_key', '=', t.rule.key)
    .where((eb) => eb.or([eb('device_id', '=', t.deviceId), ...(t.notSince ? [eb('raised_at', '>=', t.notSince)] : [])]))
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  const open = recent.find((r) => r.state !== 'resolved');
  if (open) return { id: open.id, change: null };
  if (t.notSince && recent.some((r) => r.raised_at >= t.notSince!)) return null;
  const quiet = recent.find((r) => r.resolved_at && now.getTime() - Date.parse(r.resolved_at) < t.rule.silenceMinutes * MINUTE);
  if (quiet) return { id: quiet.id, change: null };
  const id = await insertAlarm(trx, {
    personId: t.personId,
    regionCode: t.regionCode,
    deviceId: t.deviceId,
    rule: t.rule,
    raisedAt: at,
    lastEventAt: t.lastEventAt,
  });
  if (t.rule.action === 'welfare_check') {
    // the person's county asks for the welfare check
    const j = ctx.regions.jurisdictionOf(t.regionCode);
    const followupId = await raiseFollowup(ctx, trx, systemScope(j?.code ?? '', j?.prefix ?? '', 'alarms-clock'), {
      personId: t.personId,
      eventId: null,
      kind: 'welfare_check',
      finding: `alarm.${t.rule.alarmKind}`,
      note: `告警编号 ${id}：${t.rule.label.zh} / alarm ${id}: ${t.rule.label.en}`,
    });
    await trx
      .updateTable('alarms')
      .set({ follow_up: `followup:${followupId}` })
      .where('id', '=', id)
      .execute();
  }
  return {
    id,
    change: {
      id,
      personId: t.personId,
      regionCode: t.regionCode,
      kind: t.rule.alarmKind,
      state: 'raised',
      escalation: 0,
      priority: t.rule.priority,
      at,
      raised: true,
    },
  };
}

const chunks = <T>(xs: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
};

/** Device kinds for which some event may make the rule's condition true at this hour. */
function kindsFor(c: CompiledRule, hour: number): string[] {
  return DEVICE_KINDS.filter((deviceKind) => EVENT_KINDS.some((kind) => holds(c, { kind, deviceKind, hour, battery: null, value: null })));
}

/** No event making `when` true on any of the person's devices for `minutes` of the effective hours. */
async function noMovement(ctx: AppContext, county: Scope, c: CompiledRule, now: Date): Promise<AlarmChange[]> {
  const nowMs = now.getTime();
  const lastMinute = beijingMinute(nowMs - MINUTE);
  const hour = Math.floor(lastMinute / 60);
  const kinds = kindsFor(c, hour);
  if (!kinds.length) return [];
  // the event kinds that may count (heartbeats, the bulk of the table, never read here by default)
  const eventKinds = EVENT_KINDS.filter((kind) => kinds.some((deviceKind) => holds(c, { kind, deviceKind, hour, battery: null, value: null })));
  const devices = await ctx.db
    .selectFrom('alarm_devices')
    .select(['id', 'person_id', 'region_code', 'kind', 'created_at'])
    .where(inRegion(county, 'alarm_devices.region_code'))
    .where('status', '=', 'active')
    .where('kind', 'in', kinds)
    .orderBy('id')
    .execute();
  if (!devices.length) return [];
  const overrides = await overridesOf(
    ctx.db,
    devices.map((d) => d.person_id),
  );
  const byPerson = new Map<number, typeof devices>();
  for (const d of devices) {
    const l = byPerson.get(d.person_id);
    if (l) l.push(d);
    else byPerson.set(d.person_id, [d]);
  }
  const watched: { personId: number; rule: AlarmRule; since: number; devices: typeof devices }[] = [];
  for (const [personId, ds] of byPerson) {
    const eff = effectiveRule(c, overrides.get(personId)?.get(c.rule.key));
    if (!eff || !inWindow(eff.hours, lastMinute)) continue;
    const since = effectiveSince(nowMs, eff.rule.minutes ?? 720, eff.hours);
    // a device watched for less than the threshold cannot have been still that long
    if (Math.min(...ds.map((d) => Date.parse(d.created_at))) > since) continue;
    watched.push({ personId, rule: eff.rule, since, devices: ds });
  }
  if (!watched.length) return [];
  const from = new Date(Math.min(...watched.map((w) => w.since))).toISOString();
  const kindOf = new Map(devices.map((d) => [d.id, d.kind]));
  const last = new Map<number, number>(); // device → its last event making `when` true
  for (const part of chunks(watched.flatMap((w) => w.devices.map((d) => d.id)))) {
    const rows = await ctx.db
      .selectFrom('alarm_events')
      .select(['device_id', 'kind', (eb) => eb.fn.max('occurred_at').as('last')])
      .where('device_id', 'in', part)
      .where('kind', 'in', eventKinds)
      .where('occurred_at', '>=', from)
      .groupBy(['device_id', 'kind'])
      .execute();
    for (const r of rows) {
      const ms = Date.parse(String(r.last));
      const facts = {
        kind: r.kind as EventKind,
        deviceKind: kindOf.get(r.device_id) ?? '',
        hour: Math.floor(beijingMinute(ms) / 60),
        battery: null,
        value: null,
      };
      if (holds(c, facts) && ms > (last.get(r.device_id) ?? 0)) last.set(r.device_id, ms);
    }
  }
  const changes: AlarmChange[] = [];
  for (const w of watched) {
    if (w.devices.some((d) => (last.get(d.id) ?? 0) >= w.since)) continue;
    const first = w.devices[0]!;
    const since = new Date(w.since).toISOString();
    const out = await ctx.db
      .transaction()
      .execute((trx) =>
        raiseTimed(
          ctx,
          trx,
          { personId: w.personId, regionCode: first.region_code, deviceId: first.id, rule: w.rule, lastEventAt: since, notSince: since },
          now,
        ),
      );
    if (out?.change) changes.push(out.change);
  }
  return changes;
}

/** An `after` event (out of bed) with no `until` event (in bed) of the same device within `minutes`, in the hours. */
async function notBack(ctx: AppContext, county: Scope, c: CompiledRule, now: Date): Promise<AlarmChange[]> {
  const after = c.rule.after!;
  const until = c.rule.until!;
  const nowMs = now.getTime();
  const overrideMinutes = await ctx.db.selectFrom('alarm_rule_overrides').select('params').where('rule_key', '=', c.rule.key).execute();
  const longest = Math.max(c.rule.minutes ?? 30, ...overrideMinutes.map((o) => (JSON.parse(o.params) as { minutes?: number }).minutes ?? 0));
  const from = new Date(nowMs - (longest + 6 * 60) * MINUTE).toISOString();
  const rows = await ctx.db
    .selectFrom('alarm_events as e')
    .innerJoin('alarm_devices as d', 'd.id', 'e.device_id')
    .select(['e.id', 'e.device_id', 'e.person_id', 'e.region_code', 'e.occurred_at', 'e.battery', 'e.value', 'd.kind as device_kind'])
    .where('e.kind', '=', after)
    .where(inRegion(county, 'e.region_code'))
    .where('e.alarm_id', 'is', null)
    .where('e.occurred_at', '>=', from)
    .where('e.occurred_at', '<=', now.toISOString())
    .where('d.status', '=', 'active')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('alarm_events as b')
            .select('b.id')
            .whereRef('b.device_id', '=', 'e.device_id')
            .where('b.kind', 'in', [until, after])
            .whereRef('b.occurred_at', '>', 'e.occurred_at'),
        ),
      ),
    )
    .orderBy('e.id')
    .execute();
  if (!rows.length) return [];
  const overrides = await overridesOf(
    ctx.db,
    rows.map((r) => r.person_id),
  );
  const changes: AlarmChange[] = [];
  for (const r of rows) {
    const eff = effectiveRule(c, overrides.get(r.person_id)?.get(c.rule.key));
    if (!eff) continue;
    const ms = Date.parse(r.occurred_at);
    const minute = beijingMinute(ms);
    if (!inWindow(eff.hours, minute) || nowMs - ms < (eff.rule.minutes ?? 30) * MINUTE) continue;
    if (!holds(c, { kind: after, deviceKind: r.device_kind, hour: Math.floor(minute / 60), battery: r.battery, value: r.value })) continue;
    const out = await ctx.db.transaction().execute(async (trx) => {
      const o = await raiseTimed(
        ctx,
        trx,
        { personId: r.person_id, regionCode: r.region_code, deviceId: r.device_id, rule: eff.rule, lastEventAt: r.occurred_at, eventId: r.id },
        now,
      );
      if (o) await trx.updateTable('alarm_events').set({ alarm_id: o.id }).where('id', '=', r.id).where('alarm_id', 'is', null).execute();
      return o;
    });
    if (out?.change) changes.push(out.change);
  }
  return changes;
}

/** Active devices not seen for `minutes`: link 'offline' (once per episode), an alarm, a welfare check. */
async function offline(ctx: AppContext, county: Scope, c: CompiledRule, now: Date): Promise<AlarmChange[]> {
  const nowMs = now.getTime();
  const overrideRows = await ctx.db.selectFrom('alarm_rule_overrides').select('params').where('rule_key', '=', c.rule.key).execute();
  const shortest = Math.min(c.rule.minutes ?? 1440, ...overrideRows.map((o) => (JSON.parse(o.params) as { minutes?: number }).minutes ?? Infinity));
  const cutoff = new Date(nowMs - shortest * MINUTE).toISOString();
  const devices = await ctx.db
    .selectFrom('alarm_devices')
    .select(['id', 'person_id', 'region_code', 'kind', 'last_seen_at', 'created_at'])
    .where(inRegion(county, 'alarm_devices.region_code'))
    .where('status', '=', 'active')
    .where('link', '!=', 'offline')
    .where((eb) => eb.or([eb('last_seen_at', '<', cutoff), eb.and([eb('last_seen_at', 'is', null), eb('created_at', '<', cutoff)])]))
    .orderBy('id')
    .execute();
  if (!devices.length) return [];
  const overrides = await overridesOf(
    ctx.db,
    devices.map((d) => d.person_id),
  );
  const hour = Math.floor(beijingMinute(nowMs) / 60);
  const changes: AlarmChange[] = [];
  for (const d of devices) {
    const eff = effectiveRule(c, overrides.get(d.person_id)?.get(c.rule.key));
    if (!eff) continue;
    const seen = d.last_seen_at ?? d.created_at;
    if (nowMs - Date.parse(seen) < (eff.rule.minutes ?? 1440) * MINUTE) continue;
    if (!holds(c, { kind: 'heartbeat', deviceKind: d.kind, hour, battery: null, value: null })) continue;
    const out = await ctx.db.transaction().execute(async (trx) => {
      // once per episode, and never over an event that arrived since the read
      const u = await trx
        .updateTable('alarm_devices')
        .set({ link: 'offline' })
        .where('id', '=', d.id)
        .where('link', '!=', 'offline')
        .where((eb) => (d.last_seen_at === null ? eb('last_seen_at', 'is', null) : eb('last_seen_at', '=', d.last_seen_at)))
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) !== 1) return null;
      return raiseTimed(ctx, trx, { personId: d.person_id, regionCode: d.region_code, deviceId: d.id, rule: eff.rule, lastEventAt: seen }, now);
    });
    if (out?.change) changes.push(out.change);
  }
  return changes;
}

/** The timed rules at `now`: each county's own, over its devices. */
export async function timedRules(ctx: AppContext, now: Date): Promise<AlarmChange[]> {
  const changes: AlarmChange[] = [];
  for (const j of ctx.regions.counties()) {
    const county = systemScope(j.code, j.prefix, 'alarms-clock');
    for (const c of compiledRulesOf(ctx, j.code).timed) {
      if (c.rule.trigger === 'offline') changes.push(...(await offline(ctx, county, c, now)));
      else if (c.rule.after && c.rule.until) changes.push(...(await notBack(ctx, county, c, now)));
      else changes.push(...(await noMovement(ctx, county, c, now)));
    }
  }
  return changes;
}

/** One tick of both at `now` (tests; the clock's intervals call the parts on their own periods). */
export async function tickClock(ctx: AppContext, now: Date): Promise<TickResult> {
  const changes = [...(await escalate(ctx, now)), ...(await timedRules(ctx, now))];
  publishAlarmChanges(ctx, changes);
  return { changes };
}

export const ESCALATION_MS = 5_000;
export const TIMED_MS = 60_000;

/**
 * Runs the clock while the server serves: escalation every 5 s, the timed rules every 60 s, each
 * never overlapping itself. A failure is reported to `onError` and the next tick tries again.
 */
export function startClock(
  ctx: AppContext,
  onError: (task: string, err: unknown) => void = (task, err) => console.error(`alarms clock (${task}):`, err),
): Serving {
  const running = new Set<Promise<void>>();
  const every = (task: string, ms: number, fn: (now: Date) => Promise<AlarmChange[]>) => {
    let busy = false;
    return setInterval(() => {
      if (busy) return;
      busy = true;
      const p = fn(new Date())
        .then((changes) => publishAlarmChanges(ctx, changes))
        .catch((err: unknown) => onError(task, err))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    }, ms);
  };
  const timers = [every('escalation', ESCALATION_MS, (now) => escalate(ctx, now)), every('timed rules', TIMED_MS, (now) => timedRules(ctx, now))];
  for (const t of timers) t.unref();
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...running]);
    },
  };
}
