import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { PersonRow } from '../../db/tables.js';
import { fields, type FieldKey } from './sources/fields.js';

/**
 * The register's history for the modules on its right that look back (back-pay and recovery):
 * which attribute changes were recorded after a moment, and from when each applies. Read through
 * these functions, never the history table.
 */

/** An attribute change recorded on the register: what changed, from which file, and from when it applies. */
export interface LateChange {
  id: number;
  personId: number;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  source: string;
  /** the data date of the file that brought it */
  asOf: string;
  /**
   * The civil date from which it applies: a closure (death, moving away) from its own date; any
   * other change from the 生效日期 its file gave, else from the file's data date.
   */
  effectiveOn: string;
  /** when it was recorded (an instant) */
  recordedAt: string;
}

const CHUNK = 500;

/**
 * Changes recorded after `since` (an instant), oldest first, with the persons' closure dates for
 * the closures among them. `personIds` narrows them to some people.
 */
export async function changesRecordedAfter(db: Executor, since: string, personIds?: readonly number[]): Promise<LateChange[]> {
  const read = (ids?: number[]) => {
    let q = db
      .selectFrom('person_history')
      .select(['id', 'person_id', 'field', 'old_value', 'new_value', 'source', 'as_of', 'effective_on', 'at'])
      .where('at', '>', since)
      // identity, contact and the payee account are not facts a rule reads (and stay out of reasons)
      .where('field', 'not in', ['idNumber', 'name', 'phone', 'payeeCard', 'payeeBank', 'payeeHolder']);
    if (ids) q = q.where('person_id', 'in', ids);
    return q.orderBy('id').execute();
  };
  let rows;
  if (personIds) {
    const unique = [...new Set(personIds)];
    rows = [];
    for (let i = 0; i < unique.length; i += CHUNK) rows.push(...(await read(unique.slice(i, i + CHUNK))));
    rows.sort((a, b) => a.id - b.id);
  } else rows = await read();
  const closed = rows.filter((r) => r.field === 'status' && r.new_value !== 'active').map((r) => r.person_id);
  const closedOn = new Map<number, string | null>();
  for (let i = 0; i < closed.length; i += CHUNK) {
    const found = await db
      .selectFrom('persons')
      .select(['id', 'closed_on'])
      .where('id', 'in', closed.slice(i, i + CHUNK))
      .execute();
    for (const p of found) closedOn.set(p.id, p.closed_on);
  }
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    field: r.field,
    oldValue: r.old_value,
    newValue: r.new_value,
    source: r.source,
    asOf: r.as_of,
    effectiveOn: (r.field === 'status' && r.new_value !== 'active' ? closedOn.get(r.person_id) : r.effective_on) ?? r.as_of,
    recordedAt: r.at,
  }));
}

/**
 * The given people's register rows, with the given columns only (those person facts load from).
 * Ids that fill most of their range (a whole month's population) are read as one range.
 */
export async function personColumns(db: Executor, columns: readonly string[], ids: readonly number[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  if (unique.length > CHUNK && unique.at(-1)! - unique[0]! < 2 * unique.length) {
    const wanted = new Set(unique);
    const rows = await db
      .selectFrom('persons')
      .select(columns.map((c) => sql.ref<unknown>(c).as(c)))
      .where('id', '>=', unique[0]!)
      .where('id', '<=', unique.at(-1)!)
      .orderBy('id')
      .execute();
    return rows.filter((r) => wanted.has(r.id as number));
  }
  for (let i = 0; i < unique.length; i += CHUNK) {
    out.push(
      ...(await db
        .selectFrom('persons')
        .select(columns.map((c) => sql.ref<unknown>(c).as(c)))
        .where('id', 'in', unique.slice(i, i + CHUNK))
        .orderBy('id')
        .execute()),
    );
  }
  return out;
}

/**
 * The register columns a change set, put back to what they were before it: how a row is seen as
 * it stood before a change that applies only later. A closure undone reopens the record.
 */
export function columnsBefore(change: Pick<LateChange, 'field' | 'oldValue'>): Partial<PersonRow> {
  const def = fields[change.field as FieldKey] as (typeof fields)[FieldKey] | undefined;
  const cols = def?.toColumns?.(change.oldValue) ?? {};
  if (change.field === 'status' && (change.oldValue ?? 'active') === 'active') return { ...cols, status: 'active', closed_on: null };
  return cols;
}
