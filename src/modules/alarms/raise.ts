import { sql, type Transaction } from 'kysely';
import { dialectOf } from '../../db/dialect.js';
import type { Database } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { publish, type LiveEvent } from '../../platform/events.js';
import { can } from '../../platform/policy.js';
import { regionInScope } from '../../platform/scope.js';
import {
  beijingMinute,
  compiledRulesOf,
  effectiveRule,
  holds,
  inWindow,
  parseOverrideParams,
  type AlarmRule,
  type CompiledRule,
  type EventFacts,
  type PersonOverride,
} from './alarms.rules.js';
import type { EventKind } from './events.schema.js';

/** An event just stored (not a duplicate), as the rules see it. */
export interface StoredEvent {
  id: number;
  deviceId: number;
  deviceKind: string;
  personId: number;
  regionCode: string;
  kind: EventKind;
  occurredAt: string;
  receivedAt: string;
  battery: number | null;
  value: number | null;
}

/** An alarm raised or changed, for the live console once the transaction has committed. */
export interface AlarmChange {
  id: number;
  personId: number;
  regionCode: string;
  kind: string;
  state: string;
  escalation: number;
  priority: number;
  /** when it changed (ISO) */
  at: string;
  /** raised now (not folded into an open one) */
  raised: boolean;
}

/** IN lists stay well under both databases' parameter limits. */
const CHUNK = 500;
const chunks = <T>(xs: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
};

/** The overrides of these persons, by person then rule key: one query per 500 persons. */
export async function overridesOf(
  trx: Transaction<Database> | AppContext['db'],
  personIds: readonly number[],
): Promise<Map<number, Map<string, PersonOverride>>> {
  const out = new Map<number, Map<string, PersonOverride>>();
  for (const part of chunks([...new Set(personIds)])) {
    const rows = await trx.selectFrom('alarm_rule_overrides').select(['person_id', 'rule_key', 'enabled', 'params']).where('person_id', 'in', part).execute();
    for (const r of rows) {
      let m = out.get(r.person_id);
      if (!m) out.set(r.person_id, (m = new Map()));
      m.set(r.rule_key, { enabled: r.enabled === 1, params: parseOverrideParams(r.params) });
    }
  }
  return out;
}

export interface NewAlarm {
  personId: number;
  regionCode: string;
  deviceId: number | null;
  rule: AlarmRule;
  raisedAt: string;
  lastEventAt: string;
  followUp?: string | null;
}

/** Inserts an alarm and its 'raised' step (by the platform). */
export async function insertAlarm(trx: Transaction<Database>, a: NewAlarm): Promise<number> {
  const { id } = await trx
    .insertInto('alarms')
    .values({
      person_id: a.personId,
      region_code: a.regionCode,
      device_id: a.deviceId,
      rule_key: a.rule.key,
      kind: a.rule.alarmKind,
      priority: a.rule.priority,
      state: 'raised',
      raised_at: a.raisedAt,
      event_count: 1,
      last_event_at: a.lastEventAt,
      escalation: 0,
      escalated_at: null,
      acknowledged_at: null,
      acknowledged_by: null,
      resolved_at: null,
      resolved_by: null,
      outcome: null,
      follow_up: a.followUp ?? null,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('alarm_steps').values({ alarm_id: id, at: a.raisedAt, by_user: 0, kind: 'raised', action: null, note_enc: null }).execute();
  return id;
}

interface Known {
  id: number;
  state: string;
  lastEventMs: number;
  resolvedMs: number | null;
  kind: string;
  priority: number;
  escalation: number;
  regionCode: string;
  personId: number;
  /** events folded in by this batch */
  added: number;
  lastEventAt: string;
  raisedNow: boolean;
}

const MINUTE = 60_000;

/** The advisory-lock namespace of the devices whose events applyRules is raising or folding (issue 18). */
const DEVICE_RULES_LOCK = 18_001;

/**
 * On PostgreSQL, takes the devices' rule lock, held until the transaction ends: two ingests (two
 * app servers, or the MQTT subscriber and the HTTP ingest of one process) applying the rules to
 * events of one device run one after the other from here, and the second one's read of the open
 * alarms (READ COMMITTED: a new snapshot per statement) sees what the first committed. Without
 * it both read "no open alarm" and both raise. Taken in device id order, all in one statement
 * (a function scan over the sorted array, locked row by row in its order), so two batches naming
 * the same devices in any order cannot deadlock; after it the transaction writes only the alarms
 * of devices it holds and its own events. The clock's timed rules take it too (clock.ts raiseTimed,
 * one device per transaction), so two servers' clocks raise a device's timed alarm once. SQLite
 * writes one transaction at a time: nothing to do.
 */
export async function lockDevicesForRules(trx: Transaction<Database>, deviceIds: readonly number[]): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  const ids = [...deviceIds].sort((a, b) => a - b);
  await sql`select pg_advisory_xact_lock(${DEVICE_RULES_LOCK}::int, k) from unnest(${ids}::int[]) as t(k)`.execute(trx);
}

/**
 * The event-to-alarm rules over events just stored, inside the ingest's transaction. Per event,
 * the 'event' rules whose `when` is true for its facts and whose effective hours hold its Beijing
 * time (compiled once per setting value; nothing is read from the database for an event no rule
 * matches: heartbeats cost the evaluation only). For the devices whose events matched, one query
 * reads the persons' overrides and one the alarms of those devices and rules still open or
 * resolved within the longest silence. Then, in the events' order: an open alarm of the same
 * device and rule whose last event is within `aggregateMinutes` takes the event (event_count + 1,
 * last_event_at, a 'folded' step); within `silenceMinutes` of one resolved, the event is counted
 * on the resolved alarm and raises nothing; else a new alarm is raised. alarm_events.alarm_id is
 * set for every event that raised, folded or was counted. Folding does not bump `version`: the
 * operators' acknowledge and resolve, serialised on it, are not disturbed by a repeat press.
 *
 * Concurrent ingests: on PostgreSQL the devices of the matched events are locked (in id order)
 * before their alarms are read, so two transactions raising the same device and rule at once give
 * one alarm, the later one folding into it (lockDevicesForRules). This is a lock, not a unique
 * index on the open alarms of a device and rule, because two open alarms of one device and rule
 * are legitimate: an event past the aggregation window of the open one raises anew (a second red
 * button press an hour after the first, still acknowledged and not resolved, must enter the queue
 * and escalate, not be folded into the old one).
 */
export async function applyRules(ctx: AppContext, trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<AlarmChange[]> {
  if (events.length === 0) return [];
  // each event by the rules of its person's county (looked up once per region of the batch)
  const byRegion = new Map<string, CompiledRule[]>();
  const rulesOf = (regionCode: string) => {
    let rules = byRegion.get(regionCode);
    if (!rules) byRegion.set(regionCode, (rules = compiledRulesOf(ctx, regionCode).event));
    return rules;
  };

  const matches: { ev: StoredEvent; c: CompiledRule; minute: number; ms: number }[] = [];
  const facts: EventFacts = { kind: 'heartbeat', battery: null, value: null, deviceKind: '', hour: 0 };
  for (const ev of events) {
    const ms = Date.parse(ev.occurredAt);
    const minute = beijingMinute(ms);
    facts.kind = ev.kind;
    facts.battery = ev.battery;
    facts.value = ev.value;
    facts.deviceKind = ev.deviceKind;
    facts.hour = Math.floor(minute / 60);
    for (const c of rulesOf(ev.regionCode)) if (holds(c, facts)) matches.push({ ev, c, minute, ms });
  }
  if (matches.length === 0) return [];

  const overrides = await overridesOf(
    trx,
    matches.map((m) => m.ev.personId),
  );
  const applied: { ev: StoredEvent; rule: AlarmRule; ms: number }[] = [];
  for (const m of matches) {
    const eff = effectiveRule(m.c, overrides.get(m.ev.personId)?.get(m.c.rule.key));
    if (eff && inWindow(eff.hours, m.minute)) applied.push({ ev: m.ev, rule: eff.rule, ms: m.ms });
  }
  if (applied.length === 0) return [];
  applied.sort((a, b) => a.ms - b.ms || a.ev.id - b.ev.id);

  // one ingest at a time per device from here on (PostgreSQL); then the open alarms of these
  // devices and rules, and those resolved within the longest silence
  const deviceIds = [...new Set(applied.map((a) => a.ev.deviceId))];
  await lockDevicesForRules(trx, deviceIds);
  const ruleKeys = [...new Set(applied.map((a) => a.rule.key))];
  const longestSilence = Math.max(...applied.map((a) => a.rule.silenceMinutes));
  const earliestReceived = Math.min(...applied.map((a) => Date.parse(a.ev.receivedAt)));
  const silenceFrom = new Date(earliestReceived - longestSilence * MINUTE).toISOString();
  const known = new Map<string, Known>();
  const recentlyResolved = new Map<string, Known>();
  for (const part of chunks(deviceIds)) {
    const rows = await trx
      .selectFrom('alarms')
      .select(['id', 'device_id', 'rule_key', 'state', 'last_event_at', 'resolved_at', 'kind', 'priority', 'escalation', 'region_code', 'person_id'])
      .where('device_id', 'in', part)
      .where('rule_key', 'in', ruleKeys)
      .where((eb) => eb.or([eb('state', '!=', 'resolved'), eb('resolved_at', '>=', silenceFrom)]))
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const key = `${r.device_id}|${r.rule_key}`;
      const k: Known = {
        id: r.id,
        state: r.state,
        lastEventMs: Date.parse(r.last_event_at),
        resolvedMs: r.resolved_at ? Date.parse(r.resolved_at) : null,
        kind: r.kind,
        priority: r.priority,
        escalation: r.escalation,
        regionCode: r.region_code,
        personId: r.person_id,
        added: 0,
        lastEventAt: r.last_event_at,
        raisedNow: false,
      };
      // the latest of each (ids grow with time)
      (r.state === 'resolved' ? recentlyResolved : known).set(key, k);
    }
  }

  const linked = new Map<number, number[]>();
  const link = (alarmId: number, eventId: number) => {
    const l = linked.get(alarmId);
    if (l) l.push(eventId);
    else linked.set(alarmId, [eventId]);
  };
  const touched = new Map<number, Known>();
  const steps: { alarm_id: number; at: string; by_user: number; kind: string; action: null; note_enc: null }[] = [];

  for (const { ev, rule, ms } of applied) {
    const key = `${ev.deviceId}|${rule.key}`;
    const open = known.get(key);
    if (open && ms - open.lastEventMs <= rule.aggregateMinutes * MINUTE) {
      open.added++;
      if (ms > open.lastEventMs) {
        open.lastEventMs = ms;
        open.lastEventAt = ev.occurredAt;
      }
      link(open.id, ev.id);
      touched.set(open.id, open);
      steps.push({ alarm_id: open.id, at: ev.receivedAt, by_user: 0, kind: 'folded', action: null, note_enc: null });
      continue;
    }
    const quiet = recentlyResolved.get(key);
    if (!open && quiet && quiet.resolvedMs !== null && Date.parse(ev.receivedAt) - quiet.resolvedMs < rule.silenceMinutes * MINUTE) {
      // silenced: stored, counted on the resolved alarm, raises nothing
      quiet.added++;
      if (ms > quiet.lastEventMs) {
        quiet.lastEventMs = ms;
        quiet.lastEventAt = ev.occurredAt;
      }
      link(quiet.id, ev.id);
      touched.set(quiet.id, quiet);
      continue;
    }
    const id = await insertAlarm(trx, {
      personId: ev.personId,
      regionCode: ev.regionCode,
      deviceId: ev.deviceId,
      rule,
      raisedAt: ev.receivedAt,
      lastEventAt: ev.occurredAt,
    });
    const k: Known = {
      id,
      state: 'raised',
      lastEventMs: ms,
      resolvedMs: null,
      kind: rule.alarmKind,
      priority: rule.priority,
      escalation: 0,
      regionCode: ev.regionCode,
      personId: ev.personId,
      added: 0,
      lastEventAt: ev.occurredAt,
      raisedNow: true,
    };
    known.set(key, k);
    touched.set(id, k);
    link(id, ev.id);
  }

  for (const k of touched.values())
    if (k.added > 0)
      await trx
        .updateTable('alarms')
        .set((eb) => ({ event_count: eb('event_count', '+', k.added), last_event_at: k.lastEventAt }))
        .where('id', '=', k.id)
        .execute();
  if (steps.length) for (const part of chunks(steps)) await trx.insertInto('alarm_steps').values(part).execute();
  for (const [alarmId, ids] of linked)
    for (const part of chunks(ids)) await trx.updateTable('alarm_events').set({ alarm_id: alarmId }).where('id', 'in', part).execute();

  const at = new Date().toISOString();
  return [...touched.values()]
    .filter((k) => k.state !== 'resolved')
    .map((k) => ({
      id: k.id,
      personId: k.personId,
      regionCode: k.regionCode,
      kind: k.kind,
      state: k.state,
      escalation: k.escalation,
      priority: k.priority,
      at,
      raised: k.raisedNow,
    }));
}

/** The live event of an alarm: to viewers who may read alarms and whose region holds it. */
export function alarmEvent(c: AlarmChange): LiveEvent {
  const data = { id: c.id, state: c.state, kind: c.kind, priority: c.priority, escalation: c.escalation, regionCode: c.regionCode, at: c.at };
  return {
    name: 'alarms.alarm',
    for(scope) {
      if (scope.role === 'system' || scope.role === 'anonymous' || !can(scope.role, 'alarms.read')) return null;
      return regionInScope(scope, c.regionCode) ? data : null;
    },
  };
}

/** Tells the live consoles (after commit). */
export function publishAlarmChanges(_ctx: AppContext, changes: readonly AlarmChange[]): void {
  for (const c of changes) publish(alarmEvent(c));
}
