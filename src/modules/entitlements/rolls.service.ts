import type { RollStatus } from './entitlements.schema.js';
import type { Executor } from '../../db/database.js';
import type { RollRow } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import { auditedRead } from '../../platform/reads.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound, type Locale } from '../../platform/errors.js';
import { can, type Action } from '../../platform/policy.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { rollStaleness, staleText } from './impact.js';
import { editorsOf, type LineNote, type RerunInfo } from './rerun.js';
import { withLabels } from './people.js';
import { differenceMonths } from './differences.js';
import { PAUSE_WORDS, pauseWords, type PauseReason } from './pauses.js';
import { displayNames } from '../users/accounts.js';
import { personPermitted } from '../register/people.js';

/**
 * Payment rolls (发放名册): one per cash item and town per run. The town prepares it (maker:
 * checks the lines, may hold a line back with a remark, submits); the bureau checks it (checker:
 * approves or returns it). The maker cannot approve; an approved roll is frozen here and, for its
 * lines, by a database trigger.
 */
const LISTED: RollStatus[] = ['draft', 'submitted', 'returned', 'approved'];
/** A replaced roll stays readable by its number (it points at its replacement); lists leave it out. */
const READABLE: RollStatus[] = [...LISTED, 'superseded'];

function rollsInScope(db: Executor, scope: Scope, statuses = LISTED) {
  return db.selectFrom('payment_rolls').where(inRegion(scope, 'payment_rolls.town_code')).where('status', 'in', statuses);
}

/** A roll the scope may read (rolls.xlsx.ts exports it), or NOT_FOUND. */
export async function rollFor(db: Executor, scope: Scope, id: number): Promise<RollRow> {
  const roll = await rollsInScope(db, scope, READABLE).selectAll().where('id', '=', id).executeTakeFirst();
  if (!roll) throw notFound('roll');
  return roll;
}

export interface RollFilter {
  runId?: number;
  period?: string;
  status?: RollStatus;
  itemId?: string;
}

/** Whoever submitted a roll or edited its lines made it: they may not check it. */
function isMaker(scope: Scope, r: RollRow): boolean {
  return scope.userId !== null && (r.made_by === scope.userId || editorsOf(r).includes(scope.userId));
}

export type RollAction = 'edit' | 'submit' | 'approve' | 'return' | 'export';

const mayDo = (scope: Scope, a: Action) => scope.role === 'system' || (scope.role !== 'anonymous' && can(scope.role, a));
const mayCheck = (scope: Scope) => mayDo(scope, 'rolls.approve');

/** What the viewer can do with the roll now: the console offers exactly these. */
function actionsFor(scope: Scope, r: RollRow, stale: boolean): RollAction[] {
  const may = (a: Action) => mayDo(scope, a);
  const out: RollAction[] = [];
  if ((r.status === 'draft' || r.status === 'returned') && may('rolls.prepare')) out.push('edit', 'submit');
  if (r.status === 'submitted' && may('rolls.approve') && !isMaker(scope, r)) {
    if (!stale) out.push('approve');
    out.push('return');
  }
  if (LISTED.includes(r.status) && may('rolls.read') && may('register.reveal')) out.push('export');
  return out;
}

/** Why each of these rolls is out of date, in the viewer's language (rolls not listed are not). */
async function staleOf(ctx: AppContext, rolls: RollRow[], locale: Locale): Promise<Map<number, string | null>> {
  const out = new Map<number, string | null>();
  for (const [id, list] of await rollStaleness(ctx, rolls)) out.set(id, staleText(list, locale));
  return out;
}

export async function listRolls(ctx: AppContext, scope: Scope, f: RollFilter, locale: Locale = 'zh-CN') {
  requireAction(scope, 'rolls.read');
  let q = rollsInScope(ctx.db, scope);
  if (f.runId) q = q.where('run_id', '=', f.runId);
  if (f.period) q = q.where('period', '=', f.period);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.itemId) q = q.where('item_id', '=', f.itemId);
  const rows = await q.selectAll().orderBy('period', 'desc').orderBy('item_id').orderBy('town_code').limit(500).execute();
  const stale = await staleOf(ctx, rows, locale);
  return {
    items: rows.map((r) => present(ctx, scope, r, stale)),
    totals: { rolls: rows.length, lines: rows.reduce((a, r) => a + r.lines, 0), totalFen: rows.reduce((a, r) => a + r.total_fen, 0) },
  };
}

function present(ctx: AppContext, scope: Scope, r: RollRow, staleByRoll: Map<number, string | null>) {
  const stale = staleByRoll.get(r.id) ?? null;
  return {
    id: r.id,
    runId: r.run_id,
    period: r.period,
    itemId: r.item_id,
    itemName: r.item_name,
    townCode: r.town_code,
    townName: ctx.regions.get(r.town_code)?.name ?? r.town_code,
    status: r.status,
    kind: r.kind,
    lines: r.lines,
    totalFen: r.total_fen,
    madeBy: r.made_by_name,
    madeAt: r.made_at,
    checkedBy: r.checked_by_name,
    checkedAt: r.checked_at,
    note: r.note,
    replacedBy: r.replaced_by,
    rerun: r.rerun ? (JSON.parse(r.rerun) as RerunInfo) : null,
    stale,
    actions: actionsFor(scope, r, stale !== null),
    // why a viewer whose role checks rolls is not offered 审核通过 on this submitted roll
    checkBlocked: r.status === 'submitted' && mayCheck(scope) ? (isMaker(scope, r) ? ('maker' as const) : stale !== null ? ('stale' as const) : null) : null,
  };
}

function lineQuery(db: Executor, rollId: number) {
  return db.selectFrom('roll_lines').where('roll_lines.roll_id', '=', rollId);
}

export async function getRoll(ctx: AppContext, scope: Scope, id: number, page: number, pageSize: number, locale: Locale = 'zh-CN') {
  requireAction(scope, 'rolls.read');
  const roll = await rollFor(ctx.db, scope, id);
  const stale = await staleOf(ctx, [roll], locale);
  // names beside masked IDs: a read of personal data, audited with the persons shown
  const { lines, changes } = await auditedRead(
    ctx.db,
    scope,
    async (trx) => ({
      lines: await withLabels(
        trx,
        await lineQuery(trx, id)
          .select([
            'roll_lines.person_id',
            'roll_lines.region_code',
            'roll_lines.amount_fen',
            'roll_lines.standard_fen',
            'roll_lines.excluded',
            'roll_lines.remark',
            'roll_lines.note',
            'roll_lines.pause',
          ])
          .orderBy('roll_lines.region_code')
          .orderBy('roll_lines.person_id')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .execute(),
      ),
      changes: roll.rerun
        ? await withLabels(
            trx,
            await trx
              .selectFrom('roll_rerun_changes')
              .select([
                'roll_rerun_changes.person_id',
                'roll_rerun_changes.region_code',
                'roll_rerun_changes.kind',
                'roll_rerun_changes.old_fen',
                'roll_rerun_changes.new_fen',
                'roll_rerun_changes.remark',
              ])
              .where('roll_rerun_changes.roll_id', '=', id)
              .orderBy('roll_rerun_changes.kind')
              .orderBy('roll_rerun_changes.region_code')
              .orderBy('roll_rerun_changes.person_id')
              .limit(500)
              .execute(),
          )
        : [],
    }),
    (r) => ({
      action: 'rolls.read',
      entityType: 'roll',
      entityId: id,
      regionCode: roll.town_code,
      fields: ['name', 'idNumber'],
      detail: { page, pageSize },
      persons: [...r.lines.map((l) => l.person_id), ...r.changes.map((c) => c.person_id)],
    }),
  );
  const months =
    roll.kind === 'regular'
      ? null
      : await differenceMonths(
          ctx.db,
          id,
          lines.map((l) => l.person_id),
          locale,
        );
  return {
    roll: present(ctx, scope, roll, stale),
    lines: lines.map((l) => ({
      personId: l.person_id,
      name: l.person.name,
      idMasked: l.person.idMasked,
      regionName: ctx.regions.get(l.region_code)?.name ?? l.region_code,
      amountFen: l.amount_fen,
      standardFen: l.standard_fen,
      excluded: l.excluded === 1,
      remark: l.remark,
      pause: l.pause,
      pauseText: l.pause === null ? null : pauseWords(l.pause, locale),
      note: l.note ? (JSON.parse(l.note) as LineNote) : null,
      months: months ? (months.get(l.person_id) ?? []) : null,
    })),
    rerunChanges: changes.map((c) => ({
      personId: c.person_id,
      name: c.person.name,
      idMasked: c.person.idMasked,
      regionName: ctx.regions.get(c.region_code)?.name ?? c.region_code,
      kind: c.kind,
      oldFen: c.old_fen,
      newFen: c.new_fen,
      remark: c.remark,
    })),
    page,
    pageSize,
    total: roll.lines,
  };
}

/** Why a paused line cannot be restored on the roll, and what clears it. */
function pausedLine(reason: string): AppError<'PAUSE_AUTOMATIC'> {
  const words = PAUSE_WORDS[reason as PauseReason] ?? { zh: reason, en: reason };
  const how =
    reason === 'no_account'
      ? { zh: '在民政数据中补充发放账户后，下次测算自动补发', en: 'add the account in the civil-affairs file; the next run pays the months missed' }
      : {
          zh: '在人员档案中解除暂停（可选择补发），下次测算生效',
          en: "lift the pause on the person's profile (choosing whether to pay back); the next run applies it",
        };
  return new AppError('PAUSE_AUTOMATIC', { reason: words, how });
}

function assertEditable(roll: RollRow): void {
  if (roll.status === 'approved') throw new AppError('ROLL_FROZEN');
  if (roll.status === 'superseded') throw new AppError('ROLL_SUPERSEDED');
  if (roll.status === 'submitted') throw new AppError('ROLL_SUBMITTED');
}

/**
 * The maker holds a line back (e.g. 待核实) or restores it, with a remark. Whoever edits the
 * lines becomes one of the roll's makers and may not approve it.
 */
export async function editLine(ctx: AppContext, scope: Scope, rollId: number, personId: number, input: { excluded: boolean; remark: string }) {
  requireAction(scope, 'rolls.prepare');
  if (input.excluded && !input.remark.trim()) throw new AppError('ROLL_HOLD_REMARK');
  return ctx.db.transaction().execute(async (trx) => {
    const roll = await rollFor(trx, scope, rollId);
    assertEditable(roll);
    const line = await trx.selectFrom('roll_lines').selectAll().where('roll_id', '=', rollId).where('person_id', '=', personId).executeTakeFirst();
    if (!line || !(await personPermitted(trx, scope, personId, { regionChecked: true }))) throw notFound('rollLine');
    // a paused line is paid once its cause is gone, not by hand on the roll (pauses.ts)
    if (line.pause !== null && !input.excluded) throw pausedLine(line.pause);
    await trx
      .updateTable('roll_lines')
      .set({
        excluded: input.excluded ? 1 : 0,
        amount_fen: input.excluded ? 0 : line.standard_fen,
        remark: input.remark.trim() || (line.pause !== null ? line.remark : null),
      })
      .where('roll_id', '=', rollId)
      .where('person_id', '=', personId)
      .execute();
    const total = await trx
      .selectFrom('roll_lines')
      .select((eb) => eb.fn.sum<number>('amount_fen').as('t'))
      .where('roll_id', '=', rollId)
      .executeTakeFirstOrThrow();
    const editors = scope.userId === null ? editorsOf(roll) : [...new Set([...editorsOf(roll), scope.userId])];
    await trx
      .updateTable('payment_rolls')
      .set({ total_fen: Number(total.t ?? 0), editors: editors.length ? JSON.stringify(editors) : null })
      .where('id', '=', rollId)
      .execute();
    await recordAudit(trx, scope, {
      action: 'rolls.edit_line',
      entityType: 'roll',
      entityId: rollId,
      regionCode: line.region_code,
      detail: { personId, excluded: input.excluded, remark: input.remark.trim() },
    });
    return { ok: true };
  });
}

const isUniqueViolation = (e: unknown) => /unique|23505/i.test(`${(e as { code?: string }).code ?? ''} ${(e as Error).message ?? ''}`);

async function transition(ctx: AppContext, scope: Scope, id: number, action: 'submit' | 'approve' | 'return', note: string) {
  requireAction(scope, action === 'submit' ? 'rolls.prepare' : 'rolls.approve');
  const run = () =>
    ctx.db.transaction().execute(async (trx) => {
      const roll = await rollFor(trx, scope, id);
      if (roll.status === 'approved') throw new AppError('ROLL_FROZEN');
      if (roll.status === 'superseded') throw new AppError('ROLL_SUPERSEDED');
      const at = nowIso();
      // the roll is signed with the officer's real name (the printed roll's 制表人 / 审核人), not the login
      const name = scope.userId === null ? scope.username : ((await displayNames(trx, [scope.userId])).get(scope.userId) ?? scope.username);
      if (action === 'submit') {
        if (!['draft', 'returned'].includes(roll.status)) throw new AppError('ROLL_ALREADY_SUBMITTED');
        await trx
          .updateTable('payment_rolls')
          .set({ status: 'submitted', made_by: scope.userId, made_by_name: name, made_at: at, note: note || null })
          .where('id', '=', id)
          .execute();
      } else {
        if (roll.status !== 'submitted') throw new AppError('ROLL_NOT_SUBMITTED');
        if (isMaker(scope, roll)) throw new AppError('MAKER_CHECKER');
        if (action === 'return' && !note.trim()) throw new AppError('ROLL_RETURN_REASON');
        if (action === 'approve') {
          const stale = (await rollStaleness(ctx, [roll], trx)).get(roll.id) ?? [];
          if (stale.length)
            throw new AppError(
              'ROLL_STALE',
              { reason: { zh: staleText(stale) ?? '', en: staleText(stale, 'en') ?? '' } },
              { parameters: stale.map((p) => p.name) },
            );
          const twin = await trx
            .selectFrom('payment_rolls')
            .select('id')
            .where('period', '=', roll.period)
            .where('item_id', '=', roll.item_id)
            .where('town_code', '=', roll.town_code)
            // a back-pay or recovery roll of the month is not a second payment of its regular roll
            .where('kind', '=', roll.kind)
            .where('status', '=', 'approved')
            .executeTakeFirst();
          if (twin) throw new AppError('ROLL_PAID', { id: twin.id });
        }
        await trx
          .updateTable('payment_rolls')
          .set({
            status: action === 'approve' ? 'approved' : 'returned',
            checked_by: scope.userId,
            checked_by_name: name,
            checked_at: at,
            note: note || roll.note,
          })
          .where('id', '=', id)
          .where('status', '=', 'submitted')
          .execute();
      }
      await recordAudit(trx, scope, {
        action: `rolls.${action}`,
        entityType: 'roll',
        entityId: id,
        regionCode: roll.town_code,
        detail: { period: roll.period, item: roll.item_id, lines: roll.lines, totalFen: roll.total_fen, note },
      });
      const after = await trx.selectFrom('payment_rolls').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return present(ctx, scope, after, new Map());
    });
  try {
    return await run();
  } catch (e) {
    // two approvals of the same month, item and town at once: the database's one-approved index decides
    if (!(e instanceof AppError) && isUniqueViolation(e)) throw new AppError('ROLL_PAID', { id: '?' });
    throw e;
  }
}

export const submitRoll = (ctx: AppContext, scope: Scope, id: number, note = '') => transition(ctx, scope, id, 'submit', note);
export const approveRoll = (ctx: AppContext, scope: Scope, id: number, note = '') => transition(ctx, scope, id, 'approve', note);
export const returnRoll = (ctx: AppContext, scope: Scope, id: number, note: string) => transition(ctx, scope, id, 'return', note);
