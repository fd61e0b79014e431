import type { RollStatus } from './entitlements.schema.js';
import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database, RollRow, RunRow } from '../../db/tables.js';
import { nowIso } from '../../platform/time.js';

/**
 * What a re-run of a month does to the payment rolls people have already worked on. The run's
 * new rolls replace the earlier ones, and:
 * - a month, item and town with an approved roll gets no new roll (it is paid once);
 * - lines the town held back stay held back with their remark, with a note when the person's
 *   amount changed; a held-back person no longer on the roll is listed;
 * - a submitted (or returned) roll whose lines the re-run changed goes back to the town as a draft
 *   "changed by re-run", with the differences per person (a draft the town had worked on lists
 *   them too); one the re-run left unchanged keeps its state, maker and note;
 * - the replaced roll stays readable as 'superseded', pointing at its replacement.
 */
export interface RerunInfo {
  fromRollId: number;
  fromStatus: RollStatus;
  added: number;
  removed: number;
  amount: number;
  heldGone: number;
  at: string;
}

/** A note a re-run leaves on a line: data, worded by the console in the viewer's language. */
export interface LineNote {
  kind: 'amount_changed';
  fromFen: number;
  toFen: number;
}

/** A roll's place: its kind, item and town (a month has at most one approved roll of each). */
const key = (r: { item_id: string; town_code: string; kind?: string }) => `${r.kind ?? 'regular'}|${r.item_id}|${r.town_code}`;

/** (item|town) keys of the month's approved regular rolls: a month, item and town is paid once. */
export async function approvedKeys(db: Executor, period: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('payment_rolls')
    .select(['item_id', 'town_code'])
    .where('period', '=', period)
    .where('status', '=', 'approved')
    .where('kind', '=', 'regular')
    .execute();
  return new Set(rows.map((r) => `${r.item_id}|${r.town_code}`));
}

export function editorsOf(r: Pick<RollRow, 'editors'>): number[] {
  return r.editors ? (JSON.parse(r.editors) as number[]) : [];
}

interface LineState {
  person_id: number;
  region_code: string;
  standard_fen: number;
  amount_fen: number;
  excluded: number;
  remark: string | null;
  pause: string | null;
}

async function linesOf(trx: Transaction<Database>, rollId: number): Promise<Map<number, LineState>> {
  const rows = await trx
    .selectFrom('roll_lines')
    .select(['person_id', 'region_code', 'standard_fen', 'amount_fen', 'excluded', 'remark', 'pause'])
    .where('roll_id', '=', rollId)
    .execute();
  return new Map(rows.map((r) => [r.person_id, r]));
}

async function retotal(trx: Transaction<Database>, rollId: number): Promise<void> {
  const t = await trx
    .selectFrom('roll_lines')
    .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('amount_fen').as('total')])
    .where('roll_id', '=', rollId)
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('payment_rolls')
    .set({ lines: Number(t.n), total_fen: Number(t.total ?? 0) })
    .where('id', '=', rollId)
    .execute();
}

/** Called by the run's finish, in its transaction, after its rolls got their totals. */
export async function carryOver(trx: Transaction<Database>, run: RunRow): Promise<{ rolls: number; carried: number; returned: number }> {
  // the month's rolls of this jurisdiction's runs only: another county's (or the city's) are theirs
  const sameJurisdiction = trx.selectFrom('entitlement_runs').select('id').where('region_code', '=', run.region_code).where('period', '=', run.period);
  const approved = new Map(
    (
      await trx
        .selectFrom('payment_rolls')
        .select(['id', 'item_id', 'town_code', 'kind'])
        .where('period', '=', run.period)
        .where('status', '=', 'approved')
        .where('run_id', 'in', sameJurisdiction)
        .execute()
    ).map((r) => [key(r), r.id]),
  );
  const mine = new Map<string, RollRow>();
  for (const r of await trx.selectFrom('payment_rolls').selectAll().where('run_id', '=', run.id).execute()) {
    if (approved.has(key(r))) {
      // approved while this run worked: this run's roll for it is never made
      await trx.deleteFrom('roll_lines').where('roll_id', '=', r.id).execute();
      await trx.deleteFrom('payment_rolls').where('id', '=', r.id).execute();
    } else mine.set(key(r), r);
  }
  let carried = 0;
  let returned = 0;
  const older = await trx
    .selectFrom('payment_rolls')
    .selectAll()
    .where('period', '=', run.period)
    .where('run_id', '!=', run.id)
    .where('run_id', 'in', sameJurisdiction)
    .where('status', 'in', ['draft', 'submitted', 'returned', 'pending'])
    .execute();
  for (const old of older) {
    const next = old.status === 'pending' ? undefined : mine.get(key(old));
    if (next) {
      const r = await carry(trx, old, next);
      carried += r.carried ? 1 : 0;
      returned += r.returned ? 1 : 0;
    }
    await trx
      .updateTable('payment_rolls')
      .set({ status: 'superseded', replaced_by: next?.id ?? null })
      .where('id', '=', old.id)
      .execute();
  }
  return { rolls: mine.size, carried, returned };
}

async function carry(trx: Transaction<Database>, old: RollRow, next: RollRow): Promise<{ carried: boolean; returned: boolean }> {
  const before = await linesOf(trx, old.id);
  // what people did: holds and remarks by hand (a paused line's pause is the run's, decided afresh)
  const held = [...before.values()].filter((l) => l.pause === null && (l.excluded === 1 || l.remark !== null));
  const worked = old.status !== 'draft' || held.length > 0 || editorsOf(old).length > 0;
  if (!worked) return { carried: false, returned: false };
  const after = await linesOf(trx, next.id);
  const changes: Omit<Database['roll_rerun_changes'], 'id'>[] = [];

  for (const h of held) {
    const now = after.get(h.person_id);
    if (!now) {
      changes.push({
        roll_id: next.id,
        person_id: h.person_id,
        region_code: h.region_code,
        kind: 'held_gone',
        old_fen: h.standard_fen,
        new_fen: null,
        remark: h.remark,
      });
      continue;
    }
    if (now.pause !== null) continue; // paused by this run: its reason stands
    // stored as data, shown in the viewer's language (see LineNote)
    const note =
      now.standard_fen !== h.standard_fen
        ? JSON.stringify({ kind: 'amount_changed', fromFen: h.standard_fen, toFen: now.standard_fen } satisfies LineNote)
        : null;
    await trx
      .updateTable('roll_lines')
      .set({ excluded: h.excluded, amount_fen: h.excluded ? 0 : now.standard_fen, remark: h.remark, note })
      .where('roll_id', '=', next.id)
      .where('person_id', '=', h.person_id)
      .execute();
  }
  for (const [person, was] of before) {
    const now = after.get(person);
    if (!now) {
      if (!(was.excluded === 1 || was.remark !== null))
        changes.push({
          roll_id: next.id,
          person_id: person,
          region_code: was.region_code,
          kind: 'removed',
          old_fen: was.standard_fen,
          new_fen: null,
          remark: null,
        });
    } else if (now.standard_fen !== was.standard_fen) {
      changes.push({
        roll_id: next.id,
        person_id: person,
        region_code: now.region_code,
        kind: 'amount',
        old_fen: was.standard_fen,
        new_fen: now.standard_fen,
        remark: was.remark,
      });
    }
  }
  for (const [person, now] of after) {
    if (!before.has(person))
      changes.push({
        roll_id: next.id,
        person_id: person,
        region_code: now.region_code,
        kind: 'added',
        old_fen: null,
        new_fen: now.standard_fen,
        remark: null,
      });
  }
  await retotal(trx, next.id);
  const count = (k: string) => changes.filter((c) => c.kind === k).length;
  const editors = [...new Set([...editorsOf(old), ...editorsOf(next)])];
  const base = { editors: editors.length ? JSON.stringify(editors) : null };

  if (changes.length === 0) {
    // nothing the town checked has changed: the roll keeps its place in the workflow
    await trx
      .updateTable('payment_rolls')
      .set({
        ...base,
        status: old.status,
        made_by: old.made_by,
        made_by_name: old.made_by_name,
        made_at: old.made_at,
        checked_by: old.checked_by,
        checked_by_name: old.checked_by_name,
        checked_at: old.checked_at,
        note: old.note,
      })
      .where('id', '=', next.id)
      .execute();
    return { carried: true, returned: false };
  }
  const info: RerunInfo = {
    fromRollId: old.id,
    fromStatus: old.status,
    added: count('added'),
    removed: count('removed'),
    amount: count('amount'),
    heldGone: count('held_gone'),
    at: nowIso(),
  };
  for (let i = 0; i < changes.length; i += 500)
    await trx
      .insertInto('roll_rerun_changes')
      .values(changes.slice(i, i + 500))
      .execute();
  await trx
    .updateTable('payment_rolls')
    .set({ ...base, rerun: JSON.stringify(info), note: old.note })
    .where('id', '=', next.id)
    .execute();
  return { carried: true, returned: old.status !== 'draft' };
}
