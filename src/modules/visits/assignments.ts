import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, narrowScope, regionInScope, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { personColumns } from '../register/history.queries.js';
import { permittedPersons, personLabels, personPermitted } from '../register/people.js';
import { activeAccounts, displayNames, type ActiveAccount } from '../users/accounts.js';

/**
 * Who visits whom (issue 16): a person is assigned to one grid worker or volunteer of their
 * village at a time. Assigning them to someone else ends the open row (ended_at / ended_by kept)
 * and opens a new one, so the history shows every hand-over; assigning them to the same worker
 * again changes nothing. The worker then sees those persons (reach.ts for a volunteer, whose scope
 * is limited to them; a grid worker's visit lists filter on the assignment).
 */

export interface CurrentWorker {
  workerId: number;
  name: string;
  role: string;
}

/** The roles a visit can be assigned to. */
export const VISITOR_ROLES = ['grid_worker', 'volunteer'] as const;

const CHUNK = 500;

/** The open assignment of each given person (absent: nobody assigned). */
export async function currentWorkers(db: Executor, personIds: readonly number[]): Promise<Map<number, CurrentWorker>> {
  const unique = [...new Set(personIds)];
  const rows: { person_id: number; worker_id: number; worker_role: string }[] = [];
  for (let i = 0; i < unique.length; i += CHUNK)
    rows.push(
      ...(await db
        .selectFrom('visit_assignments')
        .select(['person_id', 'worker_id', 'worker_role'])
        .where('person_id', 'in', unique.slice(i, i + CHUNK))
        .where('ended_at', 'is', null)
        .execute()),
    );
  const names = await displayNames(
    db,
    rows.map((r) => r.worker_id),
  );
  return new Map(rows.map((r) => [r.person_id, { workerId: r.worker_id, name: names.get(r.worker_id) ?? String(r.worker_id), role: r.worker_role }]));
}

/** The person ids assigned to a worker now (their visit lists). */
export async function personsOfWorker(db: Executor, workerId: number): Promise<number[]> {
  const rows = await db.selectFrom('visit_assignments').select('person_id').where('worker_id', '=', workerId).where('ended_at', 'is', null).execute();
  return rows.map((r) => r.person_id);
}

/** The scope narrowed to a region filter (refused when the region is unknown). */
export function regionFilter(ctx: AppContext, scope: Scope, region: string | undefined): Scope {
  if (!region) return scope;
  const r = ctx.regions.get(region);
  if (!r) throw new AppError('VISIT_REGION_NOT_FOUND', { region });
  return narrowScope(scope, r.code, r.prefix);
}

/** Whether the scope sees only the persons assigned to it on visit lists (a grid worker or a volunteer). */
export function visitorOnly(scope: Scope): boolean {
  return scope.role === 'grid_worker' || scope.role === 'volunteer';
}

export interface AssignBody {
  personIds: number[];
  workerId: number;
  note?: string | null;
}

export interface AssignReply {
  /** newly opened assignments (persons assigned to nobody or to someone else) */
  assigned: number;
  /** of those, persons whose open assignment to another worker was ended (kept in the history) */
  reassigned: number;
  /** persons already assigned to this worker: left as they were */
  unchanged: number;
  worker: { id: number; name: string; role: string };
}

/** The worker `id` if it is an active grid worker or volunteer account; refused otherwise. */
export async function visitorFor(db: Executor, id: number): Promise<ActiveAccount> {
  const a = (await activeAccounts(db, [id])).get(id);
  if (!a || !(VISITOR_ROLES as readonly string[]).includes(a.role)) throw new AppError('VISIT_WORKER_UNKNOWN', { id });
  return a;
}

function regionWords(ctx: AppContext, code: string): string {
  const r = ctx.regions.get(code);
  if (!r) return code;
  return (
    ctx.regions
      .path(r.code)
      .filter((x) => x.level === 'town' || x.level === 'village')
      .map((x) => x.name)
      .join('') || r.name
  );
}

/** Refuses a worker whose region does not contain every given person's region. */
function checkLocal(ctx: AppContext, worker: ActiveAccount, persons: readonly { id: number; regionCode: string }[]): void {
  const region = ctx.regions.get(worker.regionCode);
  const prefix = region?.prefix ?? worker.regionCode;
  for (const p of persons) {
    if (p.regionCode.startsWith(prefix)) continue;
    throw new AppError('VISIT_WORKER_NOT_LOCAL', {
      worker: worker.name,
      region: region?.name ?? worker.regionCode,
      person: p.id,
      personRegion: regionWords(ctx, p.regionCode),
    });
  }
}

/** Assigns persons (already permitted) to a worker inside `trx`; the audit entry is the caller's. */
async function assignWithin(
  ctx: AppContext,
  trx: Transaction<Database>,
  scope: Scope,
  ids: readonly number[],
  workerId: number,
  note: string | null,
): Promise<{ reply: AssignReply; fresh: number[]; ended: { person: number; from: number; assignment: number }[] }> {
  const worker = await visitorFor(trx, workerId);
  const persons = (await personColumns(trx, ['id', 'region_code', 'status'], ids)).map((r) => ({
    id: r.id as number,
    regionCode: r.region_code as string,
  }));
  checkLocal(ctx, worker, persons);
  const region = new Map(persons.map((p) => [p.id, p.regionCode]));
  const open = new Map<number, { id: number; person_id: number; worker_id: number }>();
  for (let i = 0; i < ids.length; i += CHUNK)
    for (const r of await trx
      .selectFrom('visit_assignments')
      .select(['id', 'person_id', 'worker_id'])
      .where('person_id', 'in', ids.slice(i, i + CHUNK))
      .where('ended_at', 'is', null)
      .execute())
      open.set(r.person_id, r);
  const at = nowIso();
  const by = scope.userId ?? 0;
  const ending = [...open.values()].filter((r) => r.worker_id !== worker.id);
  const fresh = ids.filter((id) => open.get(id)?.worker_id !== worker.id);
  for (let i = 0; i < ending.length; i += CHUNK)
    await trx
      .updateTable('visit_assignments')
      .set({ ended_at: at, ended_by: by })
      .where(
        'id',
        'in',
        ending.slice(i, i + CHUNK).map((r) => r.id),
      )
      .execute();
  const rows = fresh.map((id) => ({
    person_id: id,
    region_code: region.get(id)!,
    worker_id: worker.id,
    worker_role: worker.role,
    note,
    assigned_by: by,
    assigned_at: at,
    ended_by: null,
    ended_at: null,
  }));
  for (let i = 0; i < rows.length; i += 200)
    await trx
      .insertInto('visit_assignments')
      .values(rows.slice(i, i + 200))
      .execute();
  return {
    reply: {
      assigned: fresh.length,
      reassigned: ending.length,
      unchanged: ids.length - fresh.length,
      worker: { id: worker.id, name: worker.name, role: worker.role },
    },
    fresh,
    ended: ending.map((r) => ({ person: r.person_id, from: r.worker_id, assignment: r.id })),
  };
}

/**
 * POST /api/visits/assignments: assigns persons to one grid worker or volunteer of their village,
 * in one transaction (a person outside the worker's region refuses the whole batch).
 */
export async function assign(ctx: AppContext, scope: Scope, body: AssignBody): Promise<AssignReply> {
  requireAction(scope, 'visits.assign');
  const ids = [...new Set(body.personIds)];
  return ctx.db.transaction().execute(async (trx) => {
    const permitted = await permittedPersons(trx, scope, ids);
    const missing = ids.filter((id) => !permitted.has(id));
    if (missing.length) throw new AppError('VISIT_PERSONS_NOT_FOUND', { ids: missing.slice(0, 20).join(', ') + (missing.length > 20 ? ' …' : '') });
    const { reply, fresh, ended } = await assignWithin(ctx, trx, scope, ids, body.workerId, body.note || null);
    await recordAudit(trx, scope, {
      action: 'visits.assign',
      entityType: 'visit_assignment',
      detail: { workerId: reply.worker.id, persons: fresh, reassigned: ended, unchanged: reply.unchanged, note: body.note || null },
    });
    return reply;
  });
}

export interface VillageBody {
  regionCode: string;
  fromWorkerId?: number | null;
  toWorkerId: number;
  note?: string | null;
}

/**
 * POST /api/visits/assignments/village: hands every plan member of a village (or region) to one
 * worker — or, with `fromWorkerId`, only those assigned to that worker now (a worker leaving).
 */
export async function reassignVillage(ctx: AppContext, scope: Scope, body: VillageBody): Promise<AssignReply> {
  requireAction(scope, 'visits.assign');
  const region = ctx.regions.get(body.regionCode);
  if (!region || !regionInScope(scope, region.code)) throw new AppError('VISIT_REGION_NOT_FOUND', { region: body.regionCode });
  const within = narrowScope(scope, region.code, region.prefix);
  return ctx.db.transaction().execute(async (trx) => {
    const rows = body.fromWorkerId
      ? await trx
          .selectFrom('visit_assignments')
          .select('person_id')
          .where('worker_id', '=', body.fromWorkerId)
          .where('ended_at', 'is', null)
          .where(inRegion(within, 'region_code'))
          .execute()
      : await trx.selectFrom('visit_plan_members').select('person_id').where('left_on', 'is', null).where(inRegion(within, 'region_code')).execute();
    const permitted = await permittedPersons(
      trx,
      scope,
      rows.map((r) => r.person_id),
    );
    const ids = [...permitted];
    const { reply, fresh, ended } = await assignWithin(ctx, trx, scope, ids, body.toWorkerId, body.note || null);
    await recordAudit(trx, scope, {
      action: 'visits.assign_village',
      entityType: 'visit_assignment',
      regionCode: region.code,
      detail: { fromWorkerId: body.fromWorkerId ?? null, workerId: reply.worker.id, persons: fresh, reassigned: ended, unchanged: reply.unchanged },
    });
    return reply;
  });
}

/** Ends a person's open assignment (nobody visits them until someone is assigned). */
export async function unassign(ctx: AppContext, scope: Scope, personId: number): Promise<{ ended: number }> {
  requireAction(scope, 'visits.assign');
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
    const open = await trx.selectFrom('visit_assignments').selectAll().where('person_id', '=', personId).where('ended_at', 'is', null).executeTakeFirst();
    if (!open) throw new AppError('VISIT_NOT_ASSIGNED_TO_WORKER', { person: personId });
    await trx
      .updateTable('visit_assignments')
      .set({ ended_at: nowIso(), ended_by: scope.userId ?? 0 })
      .where('id', '=', open.id)
      .execute();
    await recordAudit(trx, scope, {
      action: 'visits.unassign',
      entityType: 'visit_assignment',
      entityId: open.id,
      regionCode: open.region_code,
      detail: { person: personId, workerId: open.worker_id },
    });
    return { ended: open.id };
  });
}

export interface AssignmentHistoryItem {
  id: number;
  worker: { id: number; name: string; role: string };
  note: string | null;
  assignedBy: { id: number; name: string };
  assignedAt: string;
  endedBy: { id: number; name: string } | null;
  endedAt: string | null;
}

/** GET /api/persons/:id/visit-assignments: the person's assignments, newest first (the history). */
export async function personAssignmentHistory(ctx: AppContext, scope: Scope, personId: number): Promise<{ items: AssignmentHistoryItem[] }> {
  requireAction(scope, 'visits.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
      const rows = await trx.selectFrom('visit_assignments').selectAll().where('person_id', '=', personId).orderBy('id', 'desc').execute();
      const names = await displayNames(
        trx,
        rows.flatMap((r) => [r.worker_id, r.assigned_by, r.ended_by]),
      );
      const ref = (id: number) => ({ id, name: names.get(id) ?? (id === 0 ? '系统' : String(id)) });
      return {
        items: rows.map((r) => ({
          id: r.id,
          worker: { ...ref(r.worker_id), role: r.worker_role },
          note: r.note,
          assignedBy: ref(r.assigned_by),
          assignedAt: r.assigned_at,
          endedBy: r.ended_by === null ? null : ref(r.ended_by),
          endedAt: r.ended_at,
        })),
      };
    },
    () => ({ action: 'visits.assignments_read', entityType: 'person', entityId: personId, persons: [personId] }),
  );
}

/** The open-assignment subquery of one worker's persons (their visit lists). */
export function workerPersons(workerId: number) {
  return sql<number>`(select va.person_id from visit_assignments va where va.worker_id = ${workerId} and va.ended_at is null)`;
}

/** The scope narrowed to a region filter (refused when the region is unknown or outside). */
export function regionOf(ctx: AppContext, scope: Scope, region: string | undefined): Scope {
  if (!region) return scope;
  const r = ctx.regions.get(region);
  if (!r || !(regionInScope(scope, r.code) || scope.regionCode.startsWith(r.prefix))) throw new AppError('VISIT_REGION_NOT_FOUND', { region });
  return narrowScope(scope, r.code, r.prefix);
}

export interface MemberAssignment {
  personId: number;
  name: string;
  idMasked: string;
  regionCode: string;
  regionName: string;
  planKey: string;
  frequency: string;
  highRisk: boolean;
  joinedOn: string;
  worker: { id: number; name: string; role: string } | null;
}

/** GET /api/visits/assignments: plan members in scope with the worker assigned to each (audited). */
export async function listMemberAssignments(
  ctx: AppContext,
  scope: Scope,
  q: { region?: string; worker?: number; unassigned?: boolean; plan?: string; page: number; pageSize: number },
): Promise<{ items: MemberAssignment[]; total: number; page: number; pageSize: number }> {
  requireAction(scope, 'visits.read');
  const s = regionOf(ctx, scope, q.region);
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let base = trx.selectFrom('visit_plan_members').where('left_on', 'is', null).where(inRegion(s, 'region_code'));
      if (q.plan) base = base.where('plan_key', '=', q.plan);
      if (visitorOnly(scope)) base = base.where('person_id', 'in', workerPersons(scope.userId ?? -1));
      if (q.worker) base = base.where('person_id', 'in', workerPersons(q.worker));
      if (q.unassigned) base = base.where('person_id', 'not in', sql<number>`(select vb.person_id from visit_assignments vb where vb.ended_at is null)`);
      const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const rows = await base
        .select(['person_id', 'region_code', 'plan_key', 'frequency', 'high_risk', 'joined_on'])
        .orderBy('region_code')
        .orderBy('person_id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute();
      const ids = rows.map((r) => r.person_id);
      const labels = await personLabels(trx, ids);
      const workers = await currentWorkers(trx, ids);
      return {
        items: rows.map((r) => {
          const w = workers.get(r.person_id);
          return {
            personId: r.person_id,
            name: labels.get(r.person_id)?.name ?? '',
            idMasked: labels.get(r.person_id)?.idMasked ?? '',
            regionCode: r.region_code,
            regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
            planKey: r.plan_key,
            frequency: r.frequency,
            highRisk: r.high_risk === 1,
            joinedOn: r.joined_on,
            worker: w ? { id: w.workerId, name: w.name, role: w.role } : null,
          };
        }),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
    (r) => ({ action: 'visits.assignments_list', entityType: 'visit_assignment', persons: r.items.map((i) => i.personId) }),
  );
}
