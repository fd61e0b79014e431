import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database, PersonRow, PersonUpdate } from '../../db/tables.js';
import type { TagDecl } from '../../lib/rules/facts.js';
import { inReach, inRegion, reachLimited, type Scope } from '../../platform/scope.js';
import { personPermitted } from './people.js';

/** SQL for persons, their history and conflicts. Every read takes the viewer's Scope. */

const CHUNK = 500;

/**
 * Where each registered person of `hashes` is registered (lookup hash → region code), in every
 * region: an import must neither create someone registered elsewhere nor stage a new person's
 * image for someone registered.
 */
export async function registeredRegions(db: Executor, hashes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < hashes.length; i += CHUNK) {
    const rows = await db
      .selectFrom('persons')
      .select(['id_hash', 'region_code'])
      .where('id_hash', 'in', hashes.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.set(r.id_hash, r.region_code);
  }
  return out;
}

export async function findById(db: Executor, scope: Scope, id: number): Promise<PersonRow | undefined> {
  if (!(await personPermitted(db, scope, id))) return undefined;
  return db.selectFrom('persons').selectAll().where('id', '=', id).where(inRegion(scope, 'persons.region_code')).executeTakeFirst();
}

export async function updatePerson(trx: Transaction<Database>, id: number, patch: PersonUpdate): Promise<void> {
  await trx.updateTable('persons').set(patch).where('id', '=', id).execute();
}

export type NewHistory = Omit<Database['person_history'], 'id'>;
export type NewConflict = Omit<Database['attribute_conflicts'], 'id'>;

/** Open conflicts of some persons, keyed for the "already reported" check of a re-import. */
export async function openConflictKeys(db: Executor, personIds: number[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (let i = 0; i < personIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('attribute_conflicts')
      .select(['person_id', 'field', 'incoming_value', 'incoming_source'])
      .where('status', '=', 'open')
      .where('person_id', 'in', personIds.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) keys.add(conflictKey(r.person_id, r.field, r.incoming_source, r.incoming_value));
  }
  return keys;
}

export const conflictKey = (personId: number, field: string, source: string, value: string | null) =>
  `${personId}\u0000${field}\u0000${source}\u0000${value ?? ''}`;

export interface PersonFilter {
  /** name prefix */
  name?: string;
  idHash?: string;
  /** column conditions of the search's tags (register/tags.ts, from the fact declarations) */
  tags: readonly TagDecl[];
  status: 'active' | 'closed' | 'all';
  /** birth dates on or before which a person has reached an age tag */
  bornOnOrBefore?: string;
  limit: number;
  offset: number;
}

/** A tag's condition on the person row, in SQL (the column may be one a fact owns, which the typed schema does not list). */
function tagCondition(t: TagDecl) {
  const col = sql.ref(`persons.${t.column}`);
  if ('is' in t.when) return sql<boolean>`${col} = ${t.when.is}`;
  if ('notNone' in t.when) return sql<boolean>`${col} is not null and ${col} not in (${sql.join(t.when.notNone.map((v) => sql`${v}`))})`;
  throw new Error(`tag ${t.key}: an age tag is a birth date bound, not a column condition`);
}

/** The persons a search's filter matches in the viewer's scope (the list and its export share it). */
function searchWhere(db: Executor, scope: Scope, f: Omit<PersonFilter, 'limit' | 'offset'>) {
  // a reach-limited viewer (an assessor) sees only the persons their assignments reach
  let q = db.selectFrom('persons').where(inRegion(scope, 'persons.region_code'));
  if (reachLimited(scope)) q = q.where(inReach(scope, 'persons.id'));
  if (f.idHash) q = q.where('id_hash', '=', f.idHash);
  if (f.name) q = q.where('name', '>=', f.name).where('name', '<', f.name + '\uffff');
  if (f.status === 'active') q = q.where('status', '=', 'active');
  if (f.status === 'closed') q = q.where('status', '!=', 'active');
  if (f.bornOnOrBefore) q = q.where('birth_date', '<=', f.bornOnOrBefore);
  for (const t of f.tags) q = q.where(tagCondition(t));
  return q;
}

/**
 * Every person a search matches, for its export, ordered by region (town, village) then id: the
 * count first, and no rows when it is above `max` (the caller refuses the export).
 */
export async function exportPersons(
  db: Executor,
  scope: Scope,
  f: Omit<PersonFilter, 'limit' | 'offset'>,
  max: number,
): Promise<{ rows: PersonRow[]; total: number }> {
  const q = searchWhere(db, scope, f);
  const total = Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  if (total > max) return { rows: [], total };
  const rows = await q.selectAll().orderBy('region_code').orderBy('id').execute();
  return { rows, total };
}

export async function searchPersons(db: Executor, scope: Scope, f: PersonFilter): Promise<{ rows: PersonRow[]; total: number }> {
  const q = searchWhere(db, scope, f);
  // Page ids and count come from the covering indexes alone; only the page's rows are read.
  const order = f.name ? (['name', 'id'] as const) : (['id'] as const);
  let pageQuery = q.select(['id']);
  for (const col of order) pageQuery = pageQuery.orderBy(col);
  const [ids, count] = await Promise.all([
    pageQuery.limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  const byId = new Map(
    ids.length
      ? (
          await db
            .selectFrom('persons')
            .selectAll()
            .where(
              'id',
              'in',
              ids.map((r) => r.id),
            )
            .execute()
        ).map((p) => [p.id, p])
      : [],
  );
  const rows = ids.map((r) => byId.get(r.id)!);
  return { rows, total: Number(count.n) };
}

export async function personHistory(db: Executor, personId: number) {
  return db.selectFrom('person_history').selectAll().where('person_id', '=', personId).orderBy('id', 'desc').limit(200).execute();
}

export async function personConflicts(db: Executor, personId: number) {
  return db.selectFrom('attribute_conflicts').selectAll().where('person_id', '=', personId).orderBy('id', 'desc').limit(200).execute();
}

export async function listConflicts(db: Executor, scope: Scope, status: string, limit: number, offset: number) {
  const q = db
    .selectFrom('attribute_conflicts')
    .innerJoin('persons', 'persons.id', 'attribute_conflicts.person_id')
    .where(inRegion(scope, 'persons.region_code'))
    .where('attribute_conflicts.status', '=', status);
  const [rows, count] = await Promise.all([
    q
      .selectAll('attribute_conflicts')
      .select(['persons.name as person_name', 'persons.region_code as region_code', 'persons.id_masked as id_masked', 'persons.id_enc as id_enc'])
      .orderBy('attribute_conflicts.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function findConflict(db: Executor, scope: Scope, id: number) {
  return db
    .selectFrom('attribute_conflicts')
    .innerJoin('persons', 'persons.id', 'attribute_conflicts.person_id')
    .where(inRegion(scope, 'persons.region_code'))
    .where('attribute_conflicts.id', '=', id)
    .selectAll('attribute_conflicts')
    .select('persons.region_code as region_code')
    .executeTakeFirst();
}

export async function resolveConflict(trx: Transaction<Database>, id: number, status: 'kept' | 'accepted', by: number | null, at: string) {
  await trx.updateTable('attribute_conflicts').set({ status, resolved_by: by, resolved_at: at }).where('id', '=', id).execute();
}
