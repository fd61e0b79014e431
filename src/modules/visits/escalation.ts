import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { everywhere, inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { personLabels, personPermitted } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import { regionFilter, visitorOnly } from './assignments.js';
import { closeEscalationTickets, insertFollowup } from './followups.js';
import { visitSettingsOf } from './visits.settings.js';

/**
 * Escalation (issue 16: "two missed windows in a row for a high-risk elder escalate to the village
 * head and the hotline"): for every open member of a high-risk plan, the last `escalateAfter`
 * (setting) dues of that plan whose windows end on or before `on` are looked at; when there are
 * that many and all were missed, one escalation is raised for the person and the last missed
 * window's end (unique: a second run the same day, or the next day, raises nothing new) together
 * with a hotline follow-up, in one transaction, audited as the system. The village head's
 * workbench and the hotline operator's queue read them the same day.
 */

/** Days looked back: enough for `n` monthly windows in a row (a person with older gaps is not "in a row"). */
function lookbackStart(on: string, n: number): string {
  const d = new Date(`${on}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - (n * 31 + 7));
  return d.toISOString().slice(0, 10);
}

interface Candidate {
  person_id: number;
  region_code: string;
  due_ids: string;
  last_end: string;
  n: number;
  missed: number;
}

/**
 * Raises the escalations due on `on`; returns how many were raised. Called by the daily refresh after dues are marked missed.
 * Each person's `escalateAfter` is their county's (the setting where their membership is): the dues are read
 * for the largest of the jurisdictions' values, then each person's own last `n` are looked at.
 */
export async function raiseEscalations(ctx: AppContext, on: string): Promise<number> {
  const afterCache = new Map<string, number>();
  const afterOf = (regionCode: string) => {
    let n = afterCache.get(regionCode);
    if (n === undefined) {
      n = visitSettingsOf(ctx, regionCode).escalateAfter;
      afterCache.set(regionCode, n);
    }
    return n;
  };
  const top = ctx.regions.top();
  const jurisdictions = top ? ctx.regions.jurisdictionsWithin(top.code) : [];
  const maxN = Math.max(...(jurisdictions.length ? jurisdictions.map((j) => afterOf(j.code)) : [afterOf('')]));
  const from = lookbackStart(on, maxN);
  // the last n dues of the person's current high-risk plan ending on or before `on`
  const ranked = await sql<{ person_id: number; region_code: string; id: number; window_end: string; status: string; rn: number }>`
    select r.person_id, r.region_code, r.id, r.window_end, r.status, r.rn from (
      select d.person_id, m.region_code, d.id, d.window_end, d.status,
        row_number() over (partition by d.person_id order by d.window_end desc) as rn
      from visit_dues d
      join visit_plan_members m on m.person_id = d.person_id and m.plan_key = d.plan_key and m.left_on is null and m.high_risk = 1
      where d.window_end <= ${on} and d.window_end >= ${from} and d.status <> 'cancelled'
    ) r where r.rn <= ${maxN}
    order by r.person_id, r.rn`.execute(ctx.db);
  const byPerson = new Map<number, Candidate & { ids: number[] }>();
  for (const r of ranked.rows) {
    // the person's own n and look-back (the rows are newest first: theirs are a prefix of these)
    const n = afterOf(r.region_code);
    if (Number(r.rn) > n || r.window_end < lookbackStart(on, n)) continue;
    let c = byPerson.get(Number(r.person_id));
    if (!c) {
      c = { person_id: Number(r.person_id), region_code: r.region_code, due_ids: '', last_end: r.window_end, n: 0, missed: 0, ids: [] };
      byPerson.set(c.person_id, c);
    }
    c.n++;
    if (r.status === 'missed') c.missed++;
    c.ids.push(Number(r.id));
  }
  const due = [...byPerson.values()].filter((c) => c.n === afterOf(c.region_code) && c.missed === c.n);
  if (!due.length) return 0;
  // by each person's n, so that an audit entry names the n its persons were escalated after
  const groups = new Map<number, (Candidate & { ids: number[] })[]>();
  for (const c of due) {
    const g = groups.get(c.n);
    if (g) g.push(c);
    else groups.set(c.n, [c]);
  }
  let raised = 0;
  for (const [n, group] of groups) raised += await escalate(ctx, on, n, group);
  return raised;
}

async function escalate(ctx: AppContext, on: string, n: number, due: (Candidate & { ids: number[] })[]): Promise<number> {
  const scope = everywhere('system:visits-escalation');
  let raised = 0;
  for (let i = 0; i < due.length; i += 200) {
    const batch = due.slice(i, i + 200);
    raised += await ctx.db.transaction().execute(async (trx) => {
      const made: { escalation: number; followup: number; person: number }[] = [];
      const at = nowIso();
      for (const c of batch) {
        const row = await trx
          .insertInto('visit_escalations')
          .values({
            person_id: c.person_id,
            region_code: c.region_code,
            due_ids: JSON.stringify([...c.ids].sort((a, b) => a - b)),
            last_window_end: c.last_end,
            raised_at: at,
            status: 'open',
            acknowledged_by: null,
            acknowledged_at: null,
            closed_by: null,
            closed_at: null,
            resolution: null,
          })
          .onConflict((oc) => oc.columns(['person_id', 'last_window_end']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row) continue; // raised already (an earlier run)
        const followup = await insertFollowup(ctx, trx, {
          personId: c.person_id,
          regionCode: c.region_code,
          eventId: null,
          kind: 'hotline',
          finding: 'escalation',
          note: null,
          assessmentRequestId: null,
          escalationId: row.id,
          raisedBy: 0,
        });
        made.push({ escalation: row.id, followup, person: c.person_id });
      }
      if (made.length)
        await recordAudit(trx, scope, {
          action: 'visits.escalate',
          entityType: 'visit_escalation',
          entityId: made.length === 1 ? made[0]!.escalation : undefined,
          detail: { on, after: n, persons: made.map((m) => m.person), escalations: made.map((m) => m.escalation), followups: made.map((m) => m.followup) },
        });
      return made.length;
    });
  }
  return raised;
}

// ---- the escalations' list and handling ----

export interface EscalationFilter {
  status: 'open' | 'acknowledged' | 'closed' | 'active' | 'all';
  region?: string;
  page: number;
  pageSize: number;
}

export interface EscalationView {
  id: number;
  personId: number;
  name: string;
  regionCode: string;
  regionName: string;
  missedWindows: number;
  lastWindowEnd: string;
  raisedAt: string;
  status: 'open' | 'acknowledged' | 'closed';
  acknowledgedBy: { id: number; name: string } | null;
  acknowledgedAt: string | null;
  closedBy: { id: number; name: string } | null;
  closedAt: string | null;
  resolution: string | null;
  followupId: number | null;
}

/** The escalations query over the scope (region; a visitor's own people). */
export function escalationsQuery(db: Executor, scope: Scope, status: EscalationFilter['status']) {
  let q = db.selectFrom('visit_escalations').where(inRegion(scope, 'region_code'));
  if (status === 'active') q = q.where('status', 'in', ['open', 'acknowledged']);
  else if (status !== 'all') q = q.where('status', '=', status);
  if (visitorOnly(scope) || scope.assignedOnly)
    q = q.where(
      'person_id',
      'in',
      sql<number>`(select va.person_id from visit_assignments va where va.worker_id = ${scope.userId ?? -1} and va.ended_at is null)`,
    );
  return q;
}

async function escalationViews(ctx: AppContext, db: Executor, ids: readonly number[]): Promise<EscalationView[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('visit_escalations')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  const order = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const tickets = await db
    .selectFrom('visit_followups')
    .select(['id', 'escalation_id'])
    .where('escalation_id', 'in', [...ids])
    .execute();
  const ticket = new Map(tickets.map((t) => [t.escalation_id!, t.id]));
  const names = await displayNames(
    db,
    rows.flatMap((r) => [r.acknowledged_by, r.closed_by]),
  );
  const labels = await personLabels(
    db,
    rows.map((r) => r.person_id),
  );
  const ref = (id: number | null) => (id === null ? null : { id, name: names.get(id) ?? String(id) });
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    name: labels.get(r.person_id)?.name ?? '',
    regionCode: r.region_code,
    regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
    missedWindows: (JSON.parse(r.due_ids) as number[]).length,
    lastWindowEnd: r.last_window_end,
    raisedAt: r.raised_at,
    status: r.status as EscalationView['status'],
    acknowledgedBy: ref(r.acknowledged_by),
    acknowledgedAt: r.acknowledged_at,
    closedBy: ref(r.closed_by),
    closedAt: r.closed_at,
    resolution: r.resolution ? ctx.cipher.decrypt(r.resolution) : null,
    followupId: ticket.get(r.id) ?? null,
  }));
}

/** GET /api/visits/escalations (audited: the persons shown). */
export async function listEscalations(
  ctx: AppContext,
  scope: Scope,
  f: EscalationFilter,
): Promise<{ items: EscalationView[]; total: number; page: number; pageSize: number }> {
  requireAction(scope, 'visits.read');
  const s = regionFilter(ctx, scope, f.region);
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const base = escalationsQuery(trx, s, f.status);
      const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const ids = (
        await base
          .select('id')
          .orderBy('raised_at', 'desc')
          .orderBy('id', 'desc')
          .limit(f.pageSize)
          .offset((f.page - 1) * f.pageSize)
          .execute()
      ).map((r) => r.id);
      return { items: await escalationViews(ctx, trx, ids), total, page: f.page, pageSize: f.pageSize };
    },
    (r) => ({ action: 'visits.escalations_read', entityType: 'visit_escalation', persons: r.items.map((i) => i.personId) }),
  );
}

async function escalationInScope(trx: Executor, scope: Scope, id: number) {
  const row = await escalationsQuery(trx, scope, 'all').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || !(await personPermitted(trx, scope, row.person_id, { regionChecked: true }))) throw new AppError('VISIT_ESCALATION_NOT_FOUND', { id });
  return row;
}

/** POST /api/visits/escalations/:id/acknowledge: the village head or the hotline has seen it. */
export async function acknowledgeEscalation(ctx: AppContext, scope: Scope, id: number): Promise<EscalationView> {
  requireAction(scope, 'visits.followup_handle');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await escalationInScope(trx, scope, id);
    if (row.status === 'closed') throw new AppError('VISIT_ESCALATION_CLOSED', { id, at: today(new Date(row.closed_at!)) });
    if (row.status === 'open') {
      await trx
        .updateTable('visit_escalations')
        .set({ status: 'acknowledged', acknowledged_by: scope.userId ?? 0, acknowledged_at: nowIso() })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .execute();
      await recordAudit(trx, scope, {
        action: 'visits.escalation_acknowledge',
        entityType: 'visit_escalation',
        entityId: id,
        regionCode: row.region_code,
        detail: { person: row.person_id },
      });
    }
    return (await escalationViews(ctx, trx, [id]))[0]!;
  });
}

/**
 * POST /api/visits/escalations/:id/close: closed with what was done (once). Its open hotline ticket
 * is closed with it, with the same resolution, in the same transaction (followups.ts
 * closeEscalationTickets): the escalation and its ticket are one case.
 */
export async function closeEscalation(ctx: AppContext, scope: Scope, id: number, resolution: string): Promise<EscalationView> {
  requireAction(scope, 'visits.followup_handle');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await escalationInScope(trx, scope, id);
    if (row.status === 'closed') throw new AppError('VISIT_ESCALATION_CLOSED', { id, at: today(new Date(row.closed_at!)) });
    const at = nowIso();
    const sealed = ctx.cipher.encrypt(resolution);
    const closed = await trx
      .updateTable('visit_escalations')
      .set({
        status: 'closed',
        closed_by: scope.userId ?? 0,
        closed_at: at,
        resolution: sealed,
        acknowledged_by: row.acknowledged_by ?? scope.userId ?? 0,
        acknowledged_at: row.acknowledged_at ?? at,
      })
      .where('id', '=', id)
      .where('status', '<>', 'closed')
      .executeTakeFirst();
    // closed meanwhile by someone else (the village head and the hotline at once): once only
    if (Number(closed.numUpdatedRows) !== 1) throw new AppError('VISIT_ESCALATION_CLOSED', { id, at: today() });
    const tickets = await closeEscalationTickets(ctx, trx, scope, id, sealed, at);
    await recordAudit(trx, scope, {
      action: 'visits.escalation_close',
      entityType: 'visit_escalation',
      entityId: id,
      regionCode: row.region_code,
      detail: { person: row.person_id, ...(tickets.length ? { withFollowups: tickets } : {}) },
    });
    return (await escalationViews(ctx, trx, [id]))[0]!;
  });
}
