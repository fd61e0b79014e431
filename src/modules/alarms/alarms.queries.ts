import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, narrowScope, nowhere, requireAction, type Scope } from '../../platform/scope.js';
import { personLabels } from '../register/people.js';
import { activeUsersOfRole, displayNames } from '../users/accounts.js';
import { alarmRulesOf, whenWords } from './alarms.rules.js';
import type { AlarmDetail, AlarmItem, AlarmsQuery, AlarmsReply, RulesReply, ShiftReply } from './alarms.schema.js';
import type { AlarmRow, AlarmStepRow } from './alarms.tables.js';

/**
 * Reads of alarms (issue 18): the console's list and an alarm's detail with its steps (notes
 * unsealed for the operator) and events, the rules in force with their conditions in words, the
 * supervisor's shift view; `recentAlarmsOf` for the hotline's person summary. Every read that
 * shows a person is audited with the persons shown.
 */

const BEIJING = '+08:00';
/** The instant a Beijing civil date begins, as stored (UTC ISO). */
const dayStart = (date: string) => new Date(`${date}T00:00:00${BEIJING}`).toISOString();
const nextDay = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

async function items(ctx: AppContext, db: Executor, rows: AlarmRow[]): Promise<AlarmItem[]> {
  const labels = await personLabels(
    db,
    rows.map((r) => r.person_id),
  );
  const names = await displayNames(
    db,
    rows.flatMap((r) => [r.acknowledged_by, r.resolved_by]),
  );
  const deviceIds = [...new Set(rows.map((r) => r.device_id).filter((d): d is number => d !== null))];
  const kinds = new Map(
    deviceIds.length ? (await db.selectFrom('alarm_devices').select(['id', 'kind']).where('id', 'in', deviceIds).execute()).map((d) => [d.id, d.kind]) : [],
  );
  // each alarm's rule as its region's jurisdiction names it (the rules are a county's setting)
  const rulesOf = new Map<string, Map<string, AlarmItem['ruleLabel']>>();
  const labelOf = (regionCode: string, key: string) => {
    let rules = rulesOf.get(regionCode);
    if (!rules) rulesOf.set(regionCode, (rules = new Map(alarmRulesOf(ctx, regionCode).rules.map((r) => [r.key, r.label]))));
    return rules.get(key);
  };
  const ref = (id: number | null) => (id === null ? null : { id, name: id === 0 ? '系统' : (names.get(id) ?? String(id)) });
  return rows.map((r) => {
    const label = labels.get(r.person_id);
    return {
      id: r.id,
      personId: r.person_id,
      personName: label?.name ?? '',
      idMasked: label?.idMasked ?? '',
      regionCode: r.region_code,
      regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
      deviceId: r.device_id,
      deviceKind: r.device_id !== null ? (kinds.get(r.device_id) ?? null) : null,
      ruleKey: r.rule_key,
      ruleLabel: labelOf(r.region_code, r.rule_key) ?? { zh: r.rule_key, en: r.rule_key },
      kind: r.kind as AlarmItem['kind'],
      priority: r.priority,
      state: r.state as AlarmItem['state'],
      raisedAt: r.raised_at,
      eventCount: r.event_count,
      lastEventAt: r.last_event_at,
      escalation: r.escalation,
      escalatedAt: r.escalated_at,
      acknowledgedAt: r.acknowledged_at,
      acknowledgedBy: ref(r.acknowledged_by),
      resolvedAt: r.resolved_at,
      resolvedBy: ref(r.resolved_by),
      outcome: r.outcome as AlarmItem['outcome'],
      followUp: r.follow_up,
      version: r.version,
    };
  });
}

function filterScope(ctx: AppContext, scope: Scope, regionCode: string | undefined): Scope {
  if (!regionCode) return scope;
  const r = ctx.regions.get(regionCode);
  return r ? narrowScope(scope, r.code, r.prefix) : nowhere(scope);
}

/** GET /api/alarms/alarms: the queue (active: raised and acknowledged, by priority then age) or the history (audited). */
export async function listAlarms(ctx: AppContext, scope: Scope, q: AlarmsQuery): Promise<AlarmsReply> {
  requireAction(scope, 'alarms.read');
  const s = filterScope(ctx, scope, q.regionCode);
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let base = trx.selectFrom('alarms').where(inRegion(s, 'region_code'));
      if (q.state === 'active') base = base.where('state', 'in', ['raised', 'acknowledged']);
      else if (q.state !== 'all') base = base.where('state', '=', q.state);
      if (q.kind) base = base.where('kind', '=', q.kind);
      if (q.personId) base = base.where('person_id', '=', q.personId);
      if (q.from) base = base.where('raised_at', '>=', dayStart(q.from));
      if (q.to) base = base.where('raised_at', '<', dayStart(nextDay(q.to)));
      const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      let ordered = base.selectAll();
      ordered =
        q.state === 'active' || q.state === 'raised'
          ? ordered.orderBy('state', 'desc').orderBy('priority').orderBy('raised_at').orderBy('id')
          : ordered.orderBy('raised_at', 'desc').orderBy('id', 'desc');
      const rows = await ordered
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute();
      return { items: await items(ctx, trx, rows), total, page: q.page, pageSize: q.pageSize };
    },
    (r) => ({ action: 'alarms.alarms_read', entityType: 'alarm', persons: r.items.map((i) => i.personId) }),
  );
}

/** One step as the detail shows it: who (by name), what, the note unsealed (outside the audited read's call, so the audit's words are its own). */
function stepView(ctx: AppContext, s: AlarmStepRow, names: Map<number, string>): AlarmDetail['steps'][number] {
  return {
    id: s.id,
    at: s.at,
    by: s.by_user === 0 ? null : { id: s.by_user, name: names.get(s.by_user) ?? String(s.by_user) },
    kind: s.kind as AlarmDetail['steps'][number]['kind'],
    // an assignment's action is the new holder's account: shown by name
    action: s.kind === 'assigned' && s.action !== null ? (names.get(Number(s.action)) ?? s.action) : s.action,
    note: s.note_enc ? ctx.cipher.decrypt(s.note_enc) : null,
  };
}

/** GET /api/alarms/alarms/:id: the alarm with its steps (notes unsealed), its events and the person (audited). */
export async function alarmDetail(ctx: AppContext, scope: Scope, id: number): Promise<AlarmDetail> {
  requireAction(scope, 'alarms.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const row = await trx.selectFrom('alarms').selectAll().where('id', '=', id).where(inRegion(scope, 'region_code')).executeTakeFirst();
      if (!row) throw new AppError('ALARM_NOT_FOUND', { id });
      const [item] = await items(ctx, trx, [row]);
      const steps = await trx.selectFrom('alarm_steps').selectAll().where('alarm_id', '=', id).orderBy('id').execute();
      const names = await displayNames(trx, [
        ...steps.map((s) => s.by_user),
        ...steps
          .filter((s) => s.kind === 'assigned')
          .map((s) => Number(s.action))
          .filter(Number.isInteger),
      ]);
      const events = await trx
        .selectFrom('alarm_events')
        .select(['id', 'kind', 'occurred_at', 'received_at', 'via', 'battery', 'value'])
        .where('alarm_id', '=', id)
        .orderBy('occurred_at', 'desc')
        .orderBy('id', 'desc')
        .limit(50)
        .execute();
      const serial =
        row.device_id !== null
          ? ((await trx.selectFrom('alarm_devices').select('serial').where('id', '=', row.device_id).executeTakeFirst())?.serial ?? null)
          : null;
      return {
        ...item!,
        deviceSerial: serial,
        steps: steps.map((s) => stepView(ctx, s, names)),
        events: events.map((e) => ({
          id: e.id,
          kind: e.kind,
          occurredAt: e.occurred_at,
          receivedAt: e.received_at,
          via: e.via,
          battery: e.battery,
          value: e.value,
        })),
      };
    },
    (r) => ({ action: 'alarms.alarm_read', entityType: 'alarm', entityId: id, regionCode: r.regionCode, persons: [r.personId] }),
  );
}

/**
 * A person's latest alarms, newest first (the hotline's person summary, H4): no access check or
 * audit here — the caller checked the person and audits its own answer.
 */
export async function recentAlarmsOf(
  db: Executor,
  personId: number,
  limit: number,
): Promise<{ id: number; kind: string; priority: number; state: string; raisedAt: string; outcome: string | null; ruleKey: string }[]> {
  const rows = await db
    .selectFrom('alarms')
    .select(['id', 'kind', 'priority', 'state', 'raised_at', 'outcome', 'rule_key'])
    .where('person_id', '=', personId)
    .orderBy('raised_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, priority: r.priority, state: r.state, raisedAt: r.raised_at, outcome: r.outcome, ruleKey: r.rule_key }));
}

/** GET /api/alarms/rules: the rules in force for the jurisdiction, each condition in words. Nobody's data. */
export function rulesInForce(ctx: AppContext, scope: Scope): RulesReply {
  requireAction(scope, 'alarms.read');
  return {
    jurisdiction: ctx.regions.jurisdictionOf(scope.regionCode)?.code ?? '',
    rules: alarmRulesOf(ctx, scope.regionCode).rules.map((r) => ({ ...r, whenWords: whenWords(r.when) })),
  };
}

const HOTLINE_ROLES = ['hotline_operator', 'hotline_supervisor'] as const;

/**
 * GET /api/alarms/shift: the hotline's operators in the viewer's region (users' public accounts)
 * with the alarms each holds (acknowledged, not resolved), and the queue of alarms nobody has
 * acknowledged by escalation level, highest first (audited: the persons shown).
 */
export async function shiftView(ctx: AppContext, scope: Scope): Promise<ShiftReply> {
  requireAction(scope, 'alarms.supervise');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const accounts = (await Promise.all(HOTLINE_ROLES.map((role) => activeUsersOfRole(trx, role, scope.regionPrefix)))).flat();
      const open = await trx
        .selectFrom('alarms')
        .selectAll()
        .where(inRegion(scope, 'region_code'))
        .where('state', 'in', ['raised', 'acknowledged'])
        .orderBy('priority')
        .orderBy('raised_at')
        .limit(2000)
        .execute();
      const labels = await personLabels(
        trx,
        open.map((r) => r.person_id),
      );
      const view = (r: AlarmRow) => ({
        id: r.id,
        personId: r.person_id,
        personName: labels.get(r.person_id)?.name ?? '',
        idMasked: labels.get(r.person_id)?.idMasked ?? '',
        regionCode: r.region_code,
        kind: r.kind as ShiftReply['queue'][number]['alarms'][number]['kind'],
        priority: r.priority,
        state: r.state as 'raised' | 'acknowledged',
        raisedAt: r.raised_at,
        escalation: r.escalation,
        acknowledgedAt: r.acknowledged_at,
        version: r.version,
      });
      const operators = accounts.map((a) => ({ ...a, holding: open.filter((r) => r.state === 'acknowledged' && r.acknowledged_by === a.id).map(view) }));
      const raised = open.filter((r) => r.state === 'raised');
      const queue = [2, 1, 0].map((level) => ({ escalation: level, alarms: raised.filter((r) => r.escalation === level).map(view) }));
      return { operators, queue };
    },
    (r) => ({
      action: 'alarms.shift_read',
      entityType: 'alarm',
      persons: [...r.operators.flatMap((o) => o.holding.map((a) => a.personId)), ...r.queue.flatMap((q) => q.alarms.map((a) => a.personId))],
    }),
  );
}
