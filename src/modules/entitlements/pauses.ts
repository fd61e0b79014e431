import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import type { Words } from '../../lib/rules/facts.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound, type Locale } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { personColumns } from '../register/history.queries.js';
import { permittedPersons, personLabels, personPermitted, withoutPayeeAccount } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import { PAUSE_WORDS, type OfficerPauseReason, type PauseReason } from './pause-reasons.js';

export { OFFICER_PAUSE_REASONS, PAUSE_REASONS, PAUSE_WORDS, type OfficerPauseReason, type PauseReason } from './pause-reasons.js';

/**
 * Paused entitlements (暂停发放). Someone eligible but not payable this month is not dropped from
 * the roll: the line stays, paused, with its amount due and the reason, and the eligible-but-paused
 * list is an officer's work queue. A line is paused
 * - automatically when the register holds no account to pay into (`no_account`): the bank could
 *   not pay it, and one missing account must not hold up a town's whole disbursement file;
 * - by an officer's pause on the person (`payment_pauses`): living abroad, cannot be reached,
 *   facts under verification, in an institution whose care already covers the item, or another
 *   reason in the note; for every cash item or the ones named, from a month on, until lifted.
 *
 * Paused months are not lost: once the cause is gone (an account arrives; a pause is lifted with
 * "pay back" chosen) the next run's back-pay (differences.ts) pays the months paused within its
 * look-back. A pause lifted without paying back forfeits them (e.g. the months lived abroad).
 * A line held back by hand (rolls.service editLine) stays the maker's to resolve, as before.
 */

export function pauseWords(reason: string, locale: Locale = 'zh-CN'): string {
  const w = PAUSE_WORDS[reason as PauseReason] as Words | undefined;
  return w ? (locale === 'en' ? w.en : w.zh) : reason;
}

/** A roll line's remark for a pause: the reason and the officer's note (what the printed roll says). */
export function pauseRemark(reason: PauseReason, note: string | null): string {
  return `${PAUSE_WORDS[reason].zh}${note ? `：${note}` : ''}`;
}

/** Whether a pause row applies to a month and item. */
const covers = (p: { since: string; items: string | null }, month: string, item: string) =>
  p.since <= month && (p.items === null || (JSON.parse(p.items) as string[]).includes(item));

export interface LinePause {
  reason: PauseReason;
  pauseId: number | null;
  remark: string;
}

/**
 * Why each of these people's lines of a month would be paused now, by person and item: an active
 * officer's pause covering it, else no account. A person absent is payable. Read by the rolls'
 * sink for a run's batch and by back-pay to know whether a paused month may be paid now.
 */
export async function pausesFor(db: Executor, month: string, items: readonly string[], ids: readonly number[]): Promise<Map<number, Map<string, LinePause>>> {
  const out = new Map<number, Map<string, LinePause>>();
  if (ids.length === 0) return out;
  const set = (person: number, item: string, p: LinePause) => {
    let m = out.get(person);
    if (!m) out.set(person, (m = new Map()));
    if (!m.has(item)) m.set(item, p);
  };
  // officers' pauses first: their reason is the one to act on; the table is small
  const active = await db.selectFrom('payment_pauses').selectAll().where('lifted_at', 'is', null).where('since', '<=', month).execute();
  const wanted = new Set(ids);
  for (const p of active) {
    if (!wanted.has(p.person_id)) continue;
    for (const item of items)
      if (covers(p, month, item))
        set(p.person_id, item, { reason: p.reason as PauseReason, pauseId: p.id, remark: pauseRemark(p.reason as PauseReason, p.note) });
  }
  for (const person of await withoutPayeeAccount(db, ids))
    for (const item of items) set(person, item, { reason: 'no_account', pauseId: null, remark: pauseRemark('no_account', null) });
  return out;
}

/**
 * Of paused lines of past months, which may be paid now (back-pay): the person is not paused for
 * the item today, and the pause that stopped the line is gone — an account now on the register for
 * `no_account`, the officer's pause lifted with "pay back" chosen.
 */
export async function resumable(
  db: Executor,
  /** the month being run: pauses in force for it still stop the back-pay */
  runPeriod: string,
  lines: readonly { personId: number; itemId: string; pause: string; pauseId: number | null }[],
): Promise<Set<string>> {
  const out = new Set<string>();
  if (lines.length === 0) return out;
  const ids = [...new Set(lines.map((l) => l.personId))];
  const items = [...new Set(lines.map((l) => l.itemId))];
  const now = await pausesFor(db, runPeriod, items, ids);
  const pauseIds = [...new Set(lines.flatMap((l) => (l.pauseId === null ? [] : [l.pauseId])))];
  const lifted = new Map<number, boolean>();
  for (let i = 0; i < pauseIds.length; i += 500)
    for (const p of await db
      .selectFrom('payment_pauses')
      .select(['id', 'lifted_at', 'backpay'])
      .where('id', 'in', pauseIds.slice(i, i + 500))
      .execute())
      lifted.set(p.id, p.lifted_at !== null && p.backpay === 1);
  for (const l of lines) {
    if (now.get(l.personId)?.has(l.itemId)) continue;
    if (l.pause === 'no_account' || (l.pauseId !== null && lifted.get(l.pauseId))) out.add(`${l.personId}|${l.itemId}`);
  }
  return out;
}

export interface PauseView {
  id: number;
  personId: number;
  reason: OfficerPauseReason;
  reasonText: string;
  items: string[] | null;
  note: string;
  since: string;
  setByName: string;
  setAt: string;
  liftedByName: string | null;
  liftedAt: string | null;
  liftNote: string | null;
  backpay: boolean | null;
}

type PauseRow = Awaited<ReturnType<typeof pauseRows>>[number];

function pauseRows(db: Executor, personId: number) {
  return db.selectFrom('payment_pauses').selectAll().where('person_id', '=', personId).orderBy('id', 'desc').execute();
}

const view = (p: PauseRow, locale: Locale): PauseView => ({
  id: p.id,
  personId: p.person_id,
  reason: p.reason as OfficerPauseReason,
  reasonText: pauseWords(p.reason, locale),
  items: p.items === null ? null : (JSON.parse(p.items) as string[]),
  note: p.note,
  since: p.since,
  setByName: p.set_by_name,
  setAt: p.set_at,
  liftedByName: p.lifted_by_name,
  liftedAt: p.lifted_at,
  liftNote: p.lift_note,
  backpay: p.backpay === null ? null : p.backpay === 1,
});

/** A person's pauses, active first then lifted, newest first; and whether an account is on the register. */
export async function personPauses(ctx: AppContext, scope: Scope, personId: number, locale: Locale = 'zh-CN') {
  requireAction(scope, 'entitlements.read');
  if (!(await personPermitted(ctx.db, scope, personId))) throw notFound('person');
  const rows = await pauseRows(ctx.db, personId);
  const noAccount = (await withoutPayeeAccount(ctx.db, [personId])).has(personId);
  return {
    items: [...rows.filter((r) => r.lifted_at === null), ...rows.filter((r) => r.lifted_at !== null)].map((r) => view(r, locale)),
    noAccount,
  };
}

async function signer(db: Executor, scope: Scope): Promise<string> {
  return scope.userId === null ? scope.username : ((await displayNames(db, [scope.userId])).get(scope.userId) ?? scope.username);
}

/**
 * An officer pauses a person's payments from a month on, for every cash item or the ones named,
 * with a reason and a note; audited. One active pause per person and reason.
 */
export async function setPause(
  ctx: AppContext,
  scope: Scope,
  personId: number,
  input: { reason: OfficerPauseReason; items: string[] | null; since: string; note: string },
  locale: Locale = 'zh-CN',
): Promise<PauseView> {
  requireAction(scope, 'rolls.pause');
  const note = input.note.trim();
  if (!note) throw new AppError('PAUSE_NOTE_REQUIRED');
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
    const same = await trx
      .selectFrom('payment_pauses')
      .select('id')
      .where('person_id', '=', personId)
      .where('reason', '=', input.reason)
      .where('lifted_at', 'is', null)
      .executeTakeFirst();
    if (same) throw new AppError('PAUSE_ACTIVE', { reason: { zh: PAUSE_WORDS[input.reason].zh, en: PAUSE_WORDS[input.reason].en } });
    const [row] = (await personColumns(trx, ['region_code'], [personId])) as { region_code: string }[];
    const created = await trx
      .insertInto('payment_pauses')
      .values({
        person_id: personId,
        region_code: row?.region_code ?? '',
        reason: input.reason,
        items: input.items && input.items.length ? JSON.stringify([...new Set(input.items)].sort()) : null,
        note,
        since: input.since,
        set_by: scope.userId,
        set_by_name: await signer(trx, scope),
        set_at: nowIso(),
        lifted_by: null,
        lifted_by_name: null,
        lifted_at: null,
        lift_note: null,
        backpay: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'rolls.pause',
      entityType: 'person',
      entityId: personId,
      regionCode: created.region_code,
      detail: { pause: created.id, reason: input.reason, items: input.items, since: input.since },
    });
    return view(created, locale);
  });
}

/**
 * An institution stay pauses the person's home-based items (facilities' admitResident), inside the
 * caller's transaction; the caller has checked its own action and the person's scope. An active
 * 'institution' pause already there (an officer's, or an earlier stay's) is kept, not doubled: its
 * id is returned. Audited as rolls.pause.
 */
export async function pauseForInstitution(
  trx: Transaction<Database>,
  scope: Scope,
  personId: number,
  items: readonly string[],
  since: string,
  note: string,
): Promise<number> {
  const same = await trx
    .selectFrom('payment_pauses')
    .select('id')
    .where('person_id', '=', personId)
    .where('reason', '=', 'institution')
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  if (same) return same.id;
  const [row] = (await personColumns(trx, ['region_code'], [personId])) as { region_code: string }[];
  const created = await trx
    .insertInto('payment_pauses')
    .values({
      person_id: personId,
      region_code: row?.region_code ?? '',
      reason: 'institution',
      items: items.length ? JSON.stringify([...new Set(items)].sort()) : null,
      note,
      since,
      set_by: scope.userId,
      set_by_name: await signer(trx, scope),
      set_at: nowIso(),
      lifted_by: null,
      lifted_by_name: null,
      lifted_at: null,
      lift_note: null,
      backpay: null,
    })
    .returning(['id', 'region_code'])
    .executeTakeFirstOrThrow();
  await recordAudit(trx, scope, {
    action: 'rolls.pause',
    entityType: 'person',
    entityId: personId,
    regionCode: created.region_code,
    detail: { pause: created.id, reason: 'institution', items, since },
  });
  return created.id;
}

/** The stay ended (discharge, death): lifts the person's active 'institution' pause without back-pay; its id, or null if none. Audited as rolls.pause_lift. */
export async function liftInstitutionPause(trx: Transaction<Database>, scope: Scope, personId: number, note: string): Promise<number | null> {
  const p = await trx
    .selectFrom('payment_pauses')
    .select(['id', 'region_code'])
    .where('person_id', '=', personId)
    .where('reason', '=', 'institution')
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  if (!p) return null;
  await trx
    .updateTable('payment_pauses')
    .set({ lifted_by: scope.userId, lifted_by_name: await signer(trx, scope), lifted_at: nowIso(), lift_note: note, backpay: 0 })
    .where('id', '=', p.id)
    .execute();
  await recordAudit(trx, scope, {
    action: 'rolls.pause_lift',
    entityType: 'person',
    entityId: personId,
    regionCode: p.region_code,
    detail: { pause: p.id, reason: 'institution', backpay: false },
  });
  return p.id;
}

/** An officer lifts a pause, saying whether the months it paused are paid back; audited. */
export async function liftPause(
  ctx: AppContext,
  scope: Scope,
  pauseId: number,
  input: { backpay: boolean; note: string },
  locale: Locale = 'zh-CN',
): Promise<PauseView> {
  requireAction(scope, 'rolls.pause');
  const note = input.note.trim();
  if (!note) throw new AppError('PAUSE_NOTE_REQUIRED');
  return ctx.db.transaction().execute(async (trx) => {
    const p = await trx
      .selectFrom('payment_pauses')
      .selectAll()
      .where('id', '=', pauseId)
      .where(inRegion(scope, 'payment_pauses.region_code'))
      .executeTakeFirst();
    if (!p || !(await personPermitted(trx, scope, p.person_id, { regionChecked: true }))) throw notFound('pause');
    if (p.lifted_at !== null) throw new AppError('PAUSE_LIFTED');
    const lifted = await trx
      .updateTable('payment_pauses')
      .set({ lifted_by: scope.userId, lifted_by_name: await signer(trx, scope), lifted_at: nowIso(), lift_note: note, backpay: input.backpay ? 1 : 0 })
      .where('id', '=', pauseId)
      .where('lifted_at', 'is', null)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'rolls.pause_lift',
      entityType: 'person',
      entityId: p.person_id,
      regionCode: p.region_code,
      detail: { pause: pauseId, reason: p.reason, backpay: input.backpay },
    });
    return view(lifted, locale);
  });
}

export interface PausedEntry {
  personId: number;
  name: string;
  idMasked: string;
  regionCode: string;
  regionName: string;
  /** pause codes, or 'held' for a line held back by hand */
  reasons: string[];
  reasonText: string;
  remark: string | null;
  items: { itemId: string; itemName: string; standardFen: number; rollId: number | null }[];
  /** what the paused lines would pay this month */
  dueFen: number;
  /** the first month of the paused run of months ending at the queue's month (within a year) */
  since: string;
  /** an officer's active pause (to lift on the profile) */
  pauseId: number | null;
}

/**
 * The eligible-but-paused list (an officer's work queue): for a month (default the latest with
 * regular rolls in the viewer's region), every person with a paused or held line on a live regular
 * roll, and everyone under an active officer's pause the month's rolls did not see yet; by reason.
 * Names beside masked IDs: an audited read.
 */
export async function pausedQueue(
  ctx: AppContext,
  scope: Scope,
  q: { period?: string; reason?: string; page: number; pageSize: number },
  locale: Locale = 'zh-CN',
) {
  requireAction(scope, 'rolls.read');
  const live = ['pending', 'draft', 'submitted', 'returned', 'approved'] as const;
  const period =
    q.period ??
    (
      await ctx.db
        .selectFrom('payment_rolls')
        .select((eb) => eb.fn.max('period').as('p'))
        .where('kind', '=', 'regular')
        .where('status', 'in', live)
        .where(inRegion(scope, 'payment_rolls.town_code'))
        .executeTakeFirst()
    )?.p ??
    today().slice(0, 7);
  const lines = await ctx.db
    .selectFrom('roll_lines')
    .innerJoin('payment_rolls', 'payment_rolls.id', 'roll_lines.roll_id')
    .select([
      'roll_lines.person_id',
      'roll_lines.region_code',
      'roll_lines.standard_fen',
      'roll_lines.remark',
      'roll_lines.pause',
      'roll_lines.pause_id',
      'payment_rolls.id as roll_id',
      'payment_rolls.item_id',
      'payment_rolls.item_name',
    ])
    .where('payment_rolls.period', '=', period)
    .where('payment_rolls.kind', '=', 'regular')
    .where('payment_rolls.status', 'in', live)
    .where('roll_lines.excluded', '=', 1)
    .where(inRegion(scope, 'roll_lines.region_code'))
    .execute();
  const byPerson = new Map<number, PausedEntry>();
  for (const l of lines) {
    let e = byPerson.get(l.person_id);
    if (!e)
      byPerson.set(
        l.person_id,
        (e = {
          personId: l.person_id,
          name: '',
          idMasked: '',
          regionCode: l.region_code,
          regionName: ctx.regions.get(l.region_code)?.name ?? l.region_code,
          reasons: [],
          reasonText: '',
          remark: null,
          items: [],
          dueFen: 0,
          since: period,
          pauseId: null,
        }),
      );
    const reason = l.pause ?? 'held';
    if (!e.reasons.includes(reason)) e.reasons.push(reason);
    if (l.pause === null && l.remark) e.remark = l.remark;
    if (l.pause_id !== null) e.pauseId = l.pause_id;
    e.items.push({ itemId: l.item_id, itemName: l.item_name, standardFen: l.standard_fen, rollId: l.roll_id });
    e.dueFen += l.standard_fen;
  }
  // officers' pauses the month's rolls do not show yet (set after the run, or nothing due yet)
  const active = await ctx.db
    .selectFrom('payment_pauses')
    .selectAll()
    .where('lifted_at', 'is', null)
    .where(inRegion(scope, 'payment_pauses.region_code'))
    .execute();
  for (const p of active) {
    const e = byPerson.get(p.person_id);
    if (e) {
      if (!e.reasons.includes(p.reason)) e.reasons.push(p.reason);
      e.pauseId ??= p.id;
      continue;
    }
    byPerson.set(p.person_id, {
      personId: p.person_id,
      name: '',
      idMasked: '',
      regionCode: p.region_code,
      regionName: ctx.regions.get(p.region_code)?.name ?? p.region_code,
      reasons: [p.reason],
      reasonText: '',
      remark: null,
      items: [],
      dueFen: 0,
      since: p.since,
      pauseId: p.id,
    });
  }
  const permitted = await permittedPersons(ctx.db, scope, [...byPerson.keys()], { regionChecked: true });
  let entries = [...byPerson.values()].filter((e) => permitted.has(e.personId));
  const counts: Record<string, number> = {};
  for (const e of entries) for (const r of e.reasons) counts[r] = (counts[r] ?? 0) + 1;
  if (q.reason) entries = entries.filter((e) => e.reasons.includes(q.reason!));
  entries.sort((a, b) => a.regionCode.localeCompare(b.regionCode) || a.personId - b.personId);
  const total = entries.length;
  const page = entries.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  await sinceOf(ctx, page, period);
  const shown = await auditedRead(
    ctx.db,
    scope,
    (trx) =>
      personLabels(
        trx,
        page.map((e) => e.personId),
      ),
    (labels: Map<number, { name: string; idMasked: string }>) => ({
      action: 'rolls.paused_read',
      entityType: 'roll',
      entityId: period,
      fields: ['name', 'idNumber'],
      detail: { period, reason: q.reason ?? null, page: q.page },
      persons: [...labels.keys()],
    }),
  );
  for (const e of page) {
    const label = shown.get(e.personId);
    e.name = label?.name ?? '';
    e.idMasked = label?.idMasked ?? '';
    e.reasonText = e.reasons
      .map((r) => (r === 'held' ? (locale === 'en' ? 'held back by the town' : '镇街暂停') : pauseWords(r, locale)))
      .join(locale === 'en' ? '; ' : '；');
  }
  return { period, items: page, total, page: q.page, pageSize: q.pageSize, counts };
}

/** The first month of each entry's unbroken run of paused months up to `period`, looking back a year. */
async function sinceOf(ctx: AppContext, entries: PausedEntry[], period: string): Promise<void> {
  const withLines = entries.filter((e) => e.items.length > 0);
  if (withLines.length === 0) return;
  const rows = await ctx.db
    .selectFrom('roll_lines')
    .innerJoin('payment_rolls', 'payment_rolls.id', 'roll_lines.roll_id')
    .select(['roll_lines.person_id', 'payment_rolls.period', 'roll_lines.excluded'])
    .where(
      'roll_lines.person_id',
      'in',
      withLines.map((e) => e.personId),
    )
    .where('payment_rolls.kind', '=', 'regular')
    .where('payment_rolls.status', 'in', ['pending', 'draft', 'submitted', 'returned', 'approved'])
    .where('payment_rolls.period', '<=', period)
    .where('payment_rolls.period', '>', `${Number(period.slice(0, 4)) - 1}${period.slice(4)}`)
    .execute();
  const months = new Map<number, Map<string, boolean>>();
  for (const r of rows) {
    let m = months.get(r.person_id);
    if (!m) months.set(r.person_id, (m = new Map()));
    // a month is paused when every line of it is
    m.set(r.period, (m.get(r.period) ?? true) && r.excluded === 1);
  }
  for (const e of withLines) {
    const m = months.get(e.personId);
    if (!m) continue;
    const sorted = [...m.keys()].sort().reverse();
    for (const p of sorted) {
      if (!m.get(p)) break;
      e.since = p;
    }
  }
}
