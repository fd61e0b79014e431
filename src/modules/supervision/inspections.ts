import type { Executor } from '../../db/database.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { maskText } from '../../platform/mask.js';
import { inRegion, regionInScope, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { activeAccounts, displayNames } from '../users/accounts.js';
import { conflictPairs, targetByKey } from './pools.js';
import { supervisionSettingsOf, type Checklist, type Severity } from './supervision.settings.js';
import type { AdHocBody, InspectionView, SubmitBody } from './supervision.schema.js';
import type { SupervisionInspectionRow } from './supervision.tables.js';

/**
 * Inspections: one per drawn target (rounds.ts) or ad hoc; filled by their assigned inspectors
 * item by item (pass / fail / not applicable, a note for a failure), signed off by the bureau —
 * which sets the rectification deadline from the worst failure's severity and publishes the result
 * (findings only, no personal data: the public list masks anything that looks like an ID or phone)
 * — and followed up when the target has rectified.
 */
const STATUS_WORDS: Record<string, { zh: string; en: string }> = {
  assigned: { zh: '待检查', en: 'assigned' },
  submitted: { zh: '已提交待签发', en: 'submitted' },
  signed_off: { zh: '已签发公开', en: 'signed off' },
};
const SEVERITY_ORDER: Severity[] = ['minor', 'major', 'serious'];

/** A checklist as the jurisdiction of the inspected target's region names it. */
function checklistOf(ctx: AppContext, regionCode: string, key: string): Checklist | null {
  return supervisionSettingsOf(ctx, regionCode).checklists.find((c) => c.key === key) ?? null;
}

async function views(ctx: AppContext, db: Executor, rows: readonly SupervisionInspectionRow[]): Promise<InspectionView[]> {
  const ids = rows.map((r) => r.id);
  const items = ids.length ? await db.selectFrom('supervision_items').selectAll().where('inspection_id', 'in', ids).orderBy('id').execute() : [];
  const users = await displayNames(
    db,
    rows.flatMap((r) => JSON.parse(r.inspectors) as number[]),
  );
  return rows.map((r) => ({
    id: r.id,
    roundId: r.round_id,
    targetKey: r.target_key,
    targetName: r.target_name,
    regionCode: r.region_code,
    checklistKey: r.checklist_key,
    checklist: checklistOf(ctx, r.region_code, r.checklist_key),
    inspectors: (JSON.parse(r.inspectors) as number[]).map((id) => ({ id, name: users.get(id) ?? `#${id}` })),
    status: r.status as InspectionView['status'],
    items: items
      .filter((i) => i.inspection_id === r.id)
      .map((i) => ({ itemKey: i.item_key, result: i.result as 'pass' | 'fail' | 'na', severity: i.severity as Severity | null, note: i.note })),
    findings: r.findings,
    inspectedOn: r.inspected_on,
    rectificationDue: r.rectification_due,
    followUpNote: r.follow_up_note,
    followedUpOn: r.followed_up_on,
    signedOffAt: r.signed_off_at,
  }));
}

export async function listInspections(
  ctx: AppContext,
  scope: Scope,
  f: { mine?: '1' | '0'; status?: string; roundId?: number },
): Promise<{ items: InspectionView[] }> {
  let q = ctx.db.selectFrom('supervision_inspections').selectAll().where(inRegion(scope, 'supervision_inspections.region_code'));
  if (f.mine === '1' || scope.role === 'inspector') {
    q = q.where('id', 'in', (eb) =>
      eb
        .selectFrom('supervision_inspectors')
        .select('inspection_id')
        .where('user_id', '=', scope.userId ?? -1),
    );
  }
  if (f.status) q = q.where('status', '=', f.status);
  if (f.roundId) q = q.where('round_id', '=', f.roundId);
  const rows = await q.orderBy('id', 'desc').limit(500).execute();
  return { items: await views(ctx, ctx.db, rows) };
}

async function rowInScope(db: Executor, scope: Scope, id: number): Promise<SupervisionInspectionRow> {
  const r = await db.selectFrom('supervision_inspections').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r || !regionInScope(scope, r.region_code)) throw new AppError('SUPERVISION_INSPECTION_NOT_FOUND', { id });
  if (scope.role === 'inspector' && !(JSON.parse(r.inspectors) as number[]).includes(scope.userId ?? -1))
    throw new AppError('SUPERVISION_INSPECTION_NOT_FOUND', { id });
  return r;
}

export async function getInspection(ctx: AppContext, scope: Scope, id: number): Promise<InspectionView> {
  return (await views(ctx, ctx.db, [await rowInScope(ctx.db, scope, id)]))[0]!;
}

function refuseState(r: SupervisionInspectionRow): never {
  throw new AppError('SUPERVISION_INSPECTION_STATE', { id: r.id, status: STATUS_WORDS[r.status] ?? STATUS_WORDS.assigned! });
}

/** POST /supervision/inspections/:id/submit: an assigned inspector records every item (again, until signed off). */
export async function submitInspection(ctx: AppContext, scope: Scope, id: number, body: SubmitBody): Promise<InspectionView> {
  return ctx.db.transaction().execute(async (trx) => {
    const r = await rowInScope(trx, scope, id);
    if (!(JSON.parse(r.inspectors) as number[]).includes(scope.userId ?? -1)) throw new AppError('SUPERVISION_NOT_ASSIGNED', { id });
    if (r.status === 'signed_off') refuseState(r);
    const list = checklistOf(ctx, r.region_code, r.checklist_key);
    if (!list) throw new AppError('SUPERVISION_CHECKLIST_UNKNOWN', { key: r.checklist_key });
    const byKey = new Map(list.items.map((i) => [i.key, i]));
    const given = new Map<string, SubmitBody['items'][number]>();
    for (const a of body.items) {
      if (!byKey.has(a.itemKey)) throw new AppError('SUPERVISION_ITEM_UNKNOWN', { item: a.itemKey });
      given.set(a.itemKey, a);
    }
    const missing = list.items.filter((i) => !given.has(i.key));
    if (missing.length) throw new AppError('SUPERVISION_ITEMS_INCOMPLETE', { count: missing.length, item: missing[0]!.label });
    for (const a of given.values()) if (a.result === 'fail' && !a.note) throw new AppError('SUPERVISION_NOTE_REQUIRED', { item: byKey.get(a.itemKey)!.label });
    await trx.deleteFrom('supervision_items').where('inspection_id', '=', id).execute();
    await trx
      .insertInto('supervision_items')
      .values(
        list.items.map((i) => {
          const a = given.get(i.key)!;
          return {
            inspection_id: id,
            target_key: r.target_key,
            item_key: i.key,
            result: a.result,
            severity: a.result === 'fail' ? i.severity : null,
            note: a.note ?? null,
            on_date: body.inspectedOn,
          };
        }),
      )
      .execute();
    await trx
      .updateTable('supervision_inspections')
      .set({ status: 'submitted', findings: body.findings ?? null, inspected_on: body.inspectedOn, submitted_by: scope.userId, submitted_at: nowIso() })
      .where('id', '=', id)
      .execute();
    const failed = list.items.filter((i) => given.get(i.key)!.result === 'fail').map((i) => i.key);
    await recordAudit(trx, scope, {
      action: 'supervision.inspection_submit',
      entityType: 'supervision_inspection',
      entityId: id,
      regionCode: r.region_code,
      detail: { targetKey: r.target_key, failed },
    });
    return (await views(ctx, trx, [await rowInScope(trx, scope, id)]))[0]!;
  });
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** POST /supervision/inspections/:id/sign-off: the bureau publishes a submitted inspection; the deadline follows the worst failure. */
export async function signOffInspection(ctx: AppContext, scope: Scope, id: number, body: { rectificationDue?: string | null }): Promise<InspectionView> {
  return ctx.db.transaction().execute(async (trx) => {
    const r = await rowInScope(trx, scope, id);
    if (r.status !== 'submitted') refuseState(r);
    const failed = await trx.selectFrom('supervision_items').select('severity').where('inspection_id', '=', id).where('result', '=', 'fail').execute();
    const worst = failed.map((f) => f.severity as Severity).sort((a, b) => SEVERITY_ORDER.indexOf(b) - SEVERITY_ORDER.indexOf(a))[0];
    const days = supervisionSettingsOf(ctx, r.region_code).rectificationDays;
    const due = worst ? (body.rectificationDue ?? addDays(r.inspected_on!, days[worst])) : null;
    await trx
      .updateTable('supervision_inspections')
      .set({ status: 'signed_off', signed_off_by: scope.userId, signed_off_at: nowIso(), rectification_due: due })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, scope, {
      action: 'supervision.inspection_sign_off',
      entityType: 'supervision_inspection',
      entityId: id,
      regionCode: r.region_code,
      detail: { targetKey: r.target_key, rectificationDue: due },
    });
    return (await views(ctx, trx, [await rowInScope(trx, scope, id)]))[0]!;
  });
}

/** POST /supervision/inspections/:id/follow-up: the rectification was checked. */
export async function followUpInspection(ctx: AppContext, scope: Scope, id: number, body: { note: string; on: string }): Promise<InspectionView> {
  return ctx.db.transaction().execute(async (trx) => {
    const r = await rowInScope(trx, scope, id);
    if (r.status !== 'signed_off' || r.rectification_due === null) refuseState(r);
    await trx.updateTable('supervision_inspections').set({ follow_up_note: body.note, followed_up_on: body.on }).where('id', '=', id).execute();
    await recordAudit(trx, scope, {
      action: 'supervision.inspection_follow_up',
      entityType: 'supervision_inspection',
      entityId: id,
      regionCode: r.region_code,
      detail: { targetKey: r.target_key, on: body.on },
    });
    return (await views(ctx, trx, [await rowInScope(trx, scope, id)]))[0]!;
  });
}

/** POST /supervision/inspections: an ad-hoc inspection (a complaint, a tip-off): never with a linked inspector. */
export async function createAdHoc(ctx: AppContext, scope: Scope, body: AdHocBody): Promise<InspectionView> {
  return ctx.db.transaction().execute(async (trx) => {
    const target = await targetByKey(ctx, trx, scope.regionCode, body.targetKey);
    if (!target || !regionInScope(scope, target.regionCode)) throw new AppError('SUPERVISION_TARGET_UNKNOWN', { target: body.targetKey });
    // the checklists of the target's jurisdiction
    if (!checklistOf(ctx, target.regionCode, body.checklistKey)) throw new AppError('SUPERVISION_CHECKLIST_UNKNOWN', { key: body.checklistKey });
    const ids = [...new Set(body.inspectorIds)];
    const accounts = await activeAccounts(trx, ids);
    for (const i of ids) if (accounts.get(i)?.role !== 'inspector') throw new AppError('SUPERVISION_INSPECTOR_UNKNOWN', { id: i });
    const linked = new Set((await conflictPairs(trx)).filter(([, k]) => k === target.key).map(([i]) => i));
    for (const i of ids) if (linked.has(i)) throw new AppError('SUPERVISION_CONFLICTED_INSPECTOR', { inspector: i, target: target.name });
    const row = await trx
      .insertInto('supervision_inspections')
      .values({
        round_id: null,
        target_key: target.key,
        target_name: target.name,
        region_code: target.regionCode,
        checklist_key: body.checklistKey,
        inspectors: JSON.stringify(ids),
        status: 'assigned',
        findings: null,
        rectification_due: null,
        follow_up_note: null,
        followed_up_on: null,
        inspected_on: null,
        submitted_by: null,
        submitted_at: null,
        signed_off_by: null,
        signed_off_at: null,
        created_by: scope.userId ?? 0,
        created_at: nowIso(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('supervision_inspectors')
      .values(ids.map((u) => ({ inspection_id: row.id, user_id: u })))
      .execute();
    await recordAudit(trx, scope, {
      action: 'supervision.inspection_create',
      entityType: 'supervision_inspection',
      entityId: row.id,
      regionCode: target.regionCode,
      detail: { targetKey: target.key, inspectors: ids },
    });
    return (await views(ctx, trx, [row]))[0]!;
  });
}

/**
 * GET /supervision/public/results: signed-off inspections, findings only (no personal data, no
 * inspector names); of one target (a facility's public page: 'facility:<id>') when given.
 */
export async function publicResults(ctx: AppContext, opts: { targetKey?: string } = {}) {
  let q = ctx.db.selectFrom('supervision_inspections').selectAll().where('status', '=', 'signed_off');
  if (opts.targetKey) q = q.where('target_key', '=', opts.targetKey);
  const rows = await q.orderBy('signed_off_at', 'desc').limit(200).execute();
  const ids = rows.map((r) => r.id);
  const items = ids.length
    ? await ctx.db.selectFrom('supervision_items').select(['inspection_id', 'item_key', 'result', 'severity']).where('inspection_id', 'in', ids).execute()
    : [];
  return {
    items: rows.map((r) => {
      const list = checklistOf(ctx, r.region_code, r.checklist_key);
      const mine = items.filter((i) => i.inspection_id === r.id);
      const label = (k: string) => list?.items.find((i) => i.key === k)?.label ?? { zh: k, en: k };
      return {
        inspectionId: r.id,
        roundId: r.round_id,
        targetName: r.target_name,
        checklistLabel: list?.label ?? { zh: r.checklist_key, en: r.checklist_key },
        inspectedOn: r.inspected_on,
        signedOffAt: r.signed_off_at!,
        passed: mine.filter((i) => i.result === 'pass').length,
        failed: mine.filter((i) => i.result === 'fail').map((i) => ({ label: label(i.item_key), severity: i.severity as Severity })),
        findings: r.findings === null ? null : maskText(r.findings),
        rectificationDue: r.rectification_due,
        followedUpOn: r.followed_up_on,
      };
    }),
  };
}
