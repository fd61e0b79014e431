import type { Executor } from '../../db/database.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { capabilityRows } from '../register/capability.queries.js';
import { permittedPersons, personPermitted } from '../register/people.js';
import { activeAccounts, displayNames, type ActiveAccount } from '../users/accounts.js';
import type { AssignBody, AssignmentView, AssignReply, AssignmentsReply } from './schedule.schema.js';

/**
 * Assignments of persons to assessors (issue 15): an officer hands a batch of persons on the due
 * list to an active assessor whose region contains each of them. A person has at most one open
 * assignment: assigning them to someone else ends the open one (ended_at / ended_by kept) and
 * opens the new one, so the history shows every hand-over. The assessor then sees those persons on
 * the register (reach.ts).
 */

/**
 * The assessor `id` if it is an active assessor account; refused otherwise. `covers` names the
 * region codes the assessor must reach (their region's subtree contains each).
 */
export async function assessorFor(
  ctx: AppContext,
  db: Executor,
  id: number,
  covers: readonly { personId: number; regionCode: string }[],
): Promise<ActiveAccount> {
  const a = (await activeAccounts(db, [id])).get(id);
  if (!a || a.role !== 'assessor') throw new AppError('ASSESSMENT_ASSESSOR_INVALID', { id });
  const region = ctx.regions.get(a.regionCode);
  for (const c of covers) {
    if (region && c.regionCode.startsWith(region.prefix)) continue;
    const pr = ctx.regions.get(c.regionCode);
    throw new AppError('ASSESSMENT_ASSESSOR_OUT_OF_REGION', {
      assessor: a.name,
      region: region?.name ?? a.regionCode,
      person: c.personId,
      personRegion: pr
        ? ctx.regions
            .path(pr.code)
            .filter((r) => r.level === 'town' || r.level === 'village')
            .map((r) => r.name)
            .join('') || pr.name
        : c.regionCode,
    });
  }
  return a;
}

type AssignmentRow = {
  id: number;
  person_id: number;
  region_code: string;
  assessor_id: number;
  note: string | null;
  assigned_by: number;
  assigned_at: string;
  ended_by: number | null;
  ended_at: string | null;
};

async function views(db: Executor, rows: AssignmentRow[]): Promise<AssignmentView[]> {
  const names = await displayNames(
    db,
    rows.flatMap((r) => [r.assessor_id, r.assigned_by, r.ended_by]),
  );
  const ref = (id: number) => ({ id, name: names.get(id) ?? String(id) });
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    regionCode: r.region_code,
    assessor: ref(r.assessor_id),
    note: r.note,
    assignedBy: ref(r.assigned_by),
    assignedAt: r.assigned_at,
    endedBy: r.ended_by === null ? null : ref(r.ended_by),
    endedAt: r.ended_at,
  }));
}

/** POST /api/assessments/assignments: assigns up to 500 persons to one assessor, in one transaction. */
export async function assign(ctx: AppContext, scope: Scope, body: AssignBody): Promise<AssignReply> {
  requireAction(scope, 'assessments.schedule');
  const ids = [...new Set(body.personIds)];
  return ctx.db.transaction().execute(async (trx) => {
    const permitted = await permittedPersons(trx, scope, ids);
    const missing = ids.filter((id) => !permitted.has(id));
    if (missing.length) throw new AppError('ASSESSMENT_PERSONS_NOT_FOUND', { ids: missing.slice(0, 20).join(', ') + (missing.length > 20 ? ' …' : '') });
    const persons = await capabilityRows(trx, ids);
    for (const id of ids) if (persons.get(id)!.status !== 'active') throw new AppError('ASSESSMENT_PERSON_INACTIVE', { id });
    const assessor = await assessorFor(
      ctx,
      trx,
      body.assessorId,
      ids.map((id) => ({ personId: id, regionCode: persons.get(id)!.regionCode })),
    );
    const open = new Map<number, AssignmentRow>();
    for (let i = 0; i < ids.length; i += 500)
      for (const r of await trx
        .selectFrom('assessment_assignments')
        .selectAll()
        .where('person_id', 'in', ids.slice(i, i + 500))
        .where('ended_at', 'is', null)
        .execute())
        open.set(r.person_id, r);
    const at = nowIso();
    const by = scope.userId ?? 0;
    const ended = [...open.values()].filter((r) => r.assessor_id !== assessor.id);
    const fresh = ids.filter((id) => open.get(id)?.assessor_id !== assessor.id);
    for (let i = 0; i < ended.length; i += 500)
      await trx
        .updateTable('assessment_assignments')
        .set({ ended_at: at, ended_by: by })
        .where(
          'id',
          'in',
          ended.slice(i, i + 500).map((r) => r.id),
        )
        .execute();
    const created: AssignmentRow[] = [];
    for (const id of fresh) {
      const row = {
        person_id: id,
        region_code: persons.get(id)!.regionCode,
        assessor_id: assessor.id,
        note: body.note || null,
        assigned_by: by,
        assigned_at: at,
        ended_by: null,
        ended_at: null,
      };
      const { id: newId } = await trx.insertInto('assessment_assignments').values(row).returning('id').executeTakeFirstOrThrow();
      created.push({ id: newId, ...row });
    }
    await recordAudit(trx, scope, {
      action: 'assessment.assign',
      entityType: 'assessment_assignment',
      entityId: created.length === 1 ? created[0]!.id : undefined,
      detail: {
        assessorId: assessor.id,
        persons: fresh,
        reassigned: ended.map((r) => ({ person: r.person_id, from: r.assessor_id, assignment: r.id })),
        unchanged: ids.length - fresh.length,
        note: body.note || null,
      },
    });
    return { assigned: created.length, reassigned: ended.length, unchanged: ids.length - fresh.length, items: await views(trx, created) };
  });
}

/** POST /api/assessments/assignments/:id/end: ends an open assignment (the row stays, with who ended it). */
export async function endAssignment(ctx: AppContext, scope: Scope, id: number): Promise<AssignmentView> {
  requireAction(scope, 'assessments.schedule');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('assessment_assignments').selectAll().where('id', '=', id).where(inRegion(scope, 'region_code')).executeTakeFirst();
    if (!row || !(await personPermitted(trx, scope, row.person_id, { regionChecked: true }))) throw new AppError('ASSESSMENT_ASSIGNMENT_NOT_FOUND', { id });
    if (row.ended_at) throw new AppError('ASSESSMENT_ASSIGNMENT_ENDED', { id, at: row.ended_at.slice(0, 10) });
    const at = nowIso();
    await trx
      .updateTable('assessment_assignments')
      .set({ ended_at: at, ended_by: scope.userId ?? 0 })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, scope, {
      action: 'assessment.unassign',
      entityType: 'assessment_assignment',
      entityId: id,
      regionCode: row.region_code,
      detail: { person: row.person_id, assessorId: row.assessor_id },
    });
    return (await views(trx, [{ ...row, ended_at: at, ended_by: scope.userId ?? 0 }]))[0]!;
  });
}

/** GET /api/persons/:id/assessment-assignments: the person's assignments, newest first (the history). */
export async function personAssignments(ctx: AppContext, scope: Scope, personId: number): Promise<AssignmentsReply> {
  requireAction(scope, 'assessments.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
      const rows = await trx.selectFrom('assessment_assignments').selectAll().where('person_id', '=', personId).orderBy('id', 'desc').execute();
      return { items: await views(trx, rows) };
    },
    () => ({ action: 'assessment.assignments_read', entityType: 'person', entityId: personId, persons: [personId] }),
  );
}
