import { sql } from 'kysely';
import type { DbHandle, DialectName, Executor } from '../../db/database.js';
import { inIds } from '../../db/dialect.js';
import type { FieldCipher } from '../../platform/crypto.js';
import { inRegion, reachedPersons, type Scope } from '../../platform/scope.js';

/**
 * The register's public functions for the modules on its right: they read people through these,
 * never the persons table. Callers pass ids they already hold in rows of their own, filtered by the
 * viewer's scope there (a roll line belongs to a town whoever the person is now), and audit the read
 * with what they show (platform/reads.ts).
 */

/** What a list beside a person shows: name and masked ID, and for rosters sex, birth date and status. */
export interface PersonLabel {
  name: string;
  idMasked: string;
  sex: string;
  birthDate: string;
  status: string;
  closedOn: string | null;
}

/** IN lists stay well under both databases' parameter limits. */
const CHUNK = 500;

async function inChunks<T>(ids: readonly number[], read: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) out.push(...(await read(unique.slice(i, i + CHUNK))));
  return out;
}

/**
 * The one batch access check on persons: of the given ids, those the viewer may see — on the
 * register, living in the scope's region subtree, and reached by the scope's organisation or
 * assignments when it has them (the reaches modules register, platform/scope.ts; none registered
 * reaches nobody). Whoever acts on person ids a client sent asks this first, and answers
 * "not found" for an id left out.
 */
export async function permittedPersons(db: Executor, scope: Scope, ids: readonly number[], opts: PermitOptions = {}): Promise<Set<number>> {
  const inScope = opts.regionChecked
    ? ids
    : (
        await inChunks(ids, (chunk) => db.selectFrom('persons').select('id').where('id', 'in', chunk).where(inRegion(scope, 'persons.region_code')).execute())
      ).map((r) => r.id);
  return reachedPersons(db, scope, inScope);
}

export interface PermitOptions {
  /**
   * The ids come from the caller's own rows, which carry a region and were read in the scope by
   * it (a roll line or a change belongs to its town whoever the person is now, moved or closed):
   * only the organisation and the assignments are checked.
   */
  regionChecked?: boolean;
}

/** Whether the viewer may see this person: permittedPersons for one id. */
export async function personPermitted(db: Executor, scope: Scope, id: number, opts: PermitOptions = {}): Promise<boolean> {
  return (await permittedPersons(db, scope, [id], opts)).has(id);
}

/** Labels of the given people, by id (an id not on the register is absent). */
export async function personLabels(db: Executor, ids: readonly number[]): Promise<Map<number, PersonLabel>> {
  const rows = await inChunks(ids, (chunk) =>
    db.selectFrom('persons').select(['id', 'name', 'id_masked', 'sex', 'birth_date', 'status', 'closed_on']).where('id', 'in', chunk).execute(),
  );
  return new Map(
    rows.map((r) => [r.id, { name: r.name, idMasked: r.id_masked, sex: r.sex, birthDate: r.birth_date, status: r.status, closedOn: r.closed_on }]),
  );
}

/**
 * The person whose resident ID this is, found by the register's keyed lookup hash (the number is
 * neither stored nor compared in plain text), whatever their status or region; null when none. The
 * caller checks status, region and anything else it needs, and must not tell a caller which check
 * failed when that would reveal who is on the register.
 */
export async function personByIdNumber(
  db: Executor,
  ctx: { cipher: Pick<FieldCipher, 'lookupHash'> },
  idNumber: string,
): Promise<{ id: number; name: string; regionCode: string; status: string } | null> {
  const row = await db
    .selectFrom('persons')
    .select(['id', 'name', 'region_code', 'status'])
    .where('id_hash', '=', ctx.cipher.lookupHash(idNumber.trim()))
    .executeTakeFirst();
  return row ? { id: row.id, name: row.name, regionCode: row.region_code, status: row.status } : null;
}

/**
 * The encrypted ID numbers of the given people, by id, for an export that shows full numbers: the
 * caller decrypts them with its revealer (platform/reveal.ts), which checks the viewer may.
 */
export async function encryptedIdNumbers(db: Executor, ids: readonly number[]): Promise<Map<number, string>> {
  const rows = await inChunks(ids, (chunk) => db.selectFrom('persons').select(['id', 'id_enc']).where('id', 'in', chunk).execute());
  return new Map(rows.map((r) => [r.id, r.id_enc]));
}

/**
 * A jurisdiction's part of a run's population: the people whose region on `on` (the period's first
 * day) lies in the subtree of `prefix`. Someone who moved in after that day is counted where they
 * came from, someone who moved away after it still here: a person is in exactly one county's run
 * of a month, and a move takes effect in both from the next month.
 */
export interface PopulationPart {
  prefix: string;
  on: string;
  /**
   * A slice of the prefix's subtree by region code, [from, to) (a run split by town, each part run
   * by whichever process claims it); absent: the whole subtree.
   */
  from?: string;
  to?: string;
}

/** Whether a region code lies in a part (the region a person had on the part's day decides their part). */
export function partHolds(part: PopulationPart, code: string): boolean {
  return code.startsWith(part.prefix) && (part.from === undefined || code >= part.from) && (part.to === undefined || code < part.to);
}

/**
 * The region on `on` of those whose region changed after it (the old value of their first change
 * after it, by the change's 生效日期 or else its file's date). A move is rare: a few in a hundred a
 * year; everyone else's region on the day is the one they have now.
 */
export async function regionsOn(db: Executor, on: string): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('person_history')
    .select(['person_id', 'old_value', 'as_of', 'effective_on'])
    .where('field', '=', 'regionCode')
    .where((eb) => eb.or([eb('as_of', '>', on), eb('effective_on', '>', on)]))
    .orderBy('person_id')
    .orderBy('id')
    .execute();
  const out = new Map<number, { at: string; region: string }>();
  for (const r of rows) {
    const at = r.effective_on ?? r.as_of;
    if (at <= on || r.old_value === null) continue;
    const seen = out.get(r.person_id);
    if (!seen || at < seen.at) out.set(r.person_id, { at, region: r.old_value });
  }
  return new Map([...out].map(([id, v]) => [id, v.region]));
}

/**
 * Who a run considers: everyone on the register, and those closed (died, moved away) on or after
 * `floor`; of a jurisdiction's part, those now in its subtree and those who were in it on the day
 * (`include`: the caller drops, by regionsOn, those who came after the day).
 */
function population(handle: { dialect: DialectName }, db: Executor, floor: string, part: PopulationPart | undefined, include: readonly number[]) {
  const all = db.selectFrom('persons').where((eb) => eb.or([eb('status', '=', 'active'), eb('closed_on', '>=', floor)]));
  if (!part?.prefix) return all;
  const lower = part.from ?? part.prefix;
  const upper = part.to ?? part.prefix + '\uffff';
  // On SQLite the unary + keeps the planner on the id order a run reads in, rather than on a
  // region index it would then sort; PostgreSQL chooses by its statistics.
  const region = handle.dialect === 'sqlite' ? sql<string>`+region_code` : sql<string>`region_code`;
  return all.where((eb) => {
    const inSubtree = eb.and([eb(region, '>=', lower), eb(region, '<', upper)]);
    return include.length ? eb.or([inSubtree, idIn(handle, include)]) : inSubtree;
  });
}

/**
 * One batch of a run's population after `cursor` in id order, as arrays of the given columns (the
 * run's largest read: no row objects from the driver). The columns are those the declared person
 * facts are loaded from, the first being 'id'.
 */
export async function populationBatch(
  handle: DbHandle,
  columns: readonly string[],
  cursor: number,
  floor: string,
  limit: number,
  part?: PopulationPart,
  include: readonly number[] = [],
): Promise<unknown[][]> {
  const query = population(handle, handle.db, floor, part, include)
    .select(columns.map((c) => sql.ref<unknown>(c).as(c)))
    .where('id', '>', cursor)
    .orderBy('id')
    .limit(limit)
    .compile();
  return handle.selectArrays(query);
}

/** How many a run of a jurisdiction's part considers: those in it on the day, as populationBatch reads them. */
export async function populationCount(handle: DbHandle, db: Executor, floor: string, part: PopulationPart): Promise<number> {
  const moved = await regionsOn(db, part.on);
  const wereHere: number[] = [];
  const cameAfter: number[] = [];
  for (const [id, r] of moved) (partHolds(part, r) ? wereHere : cameAfter).push(id);
  const row = await population(handle, db, floor, part, wereHere)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  // of those counted, the ones now here who came after the day belong to where they came from
  const came = cameAfter.length
    ? await population(handle, db, floor, part, [])
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(idIn(handle, cameAfter))
        .executeTakeFirstOrThrow()
    : { n: 0 };
  return Number(row.n) - Number(came.n);
}

/**
 * How many a run of a jurisdiction's part considers, per region code on the day (each person
 * counted where they were on `part.on`, as populationBatch reads them): one read for every part of
 * a run split by town.
 */
export async function populationByRegion(handle: DbHandle, db: Executor, floor: string, part: PopulationPart): Promise<Map<string, number>> {
  const moved = await regionsOn(db, part.on);
  const wereHere: number[] = [];
  for (const [id, r] of moved) if (partHolds(part, r)) wereHere.push(id);
  const rows = await population(handle, db, floor, part, wereHere)
    .select(['region_code', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('region_code')
    .execute();
  const out = new Map(rows.map((r) => [r.region_code, Number(r.n)]));
  // the movers were counted under today's region: each counts where they were on the day, or not here
  if (moved.size) {
    const movers = await population(handle, db, floor, part, wereHere)
      .select(['id', 'region_code'])
      .where(idIn(handle, [...moved.keys()]))
      .execute();
    for (const m of movers) {
      out.set(m.region_code, out.get(m.region_code)! - 1);
      const then = moved.get(m.id)!;
      if (partHolds(part, then)) out.set(then, (out.get(then) ?? 0) + 1);
    }
  }
  return out;
}

/** `id` among many ids, as one parameter (an IN list of a province's movers would pass the databases' parameter limits). */
function idIn(handle: { dialect: DialectName }, ids: readonly number[]) {
  return inIds(handle.dialect, 'id', ids);
}

/** A person's payee account (register/sources/payee.ts): the number encrypted, its lookup hash and mask. */
export interface PayeeAccount {
  cardEnc: string | null;
  cardHash: string | null;
  cardMasked: string | null;
  bank: string | null;
  holder: string | null;
  /** the resident ID's lookup hash and encrypted form: a bank's file names the person by either */
  idHash: string;
  idEnc: string;
}

/** Of the given people, those on the register with no payee account to pay into (a roll pauses their lines). */
export async function withoutPayeeAccount(db: Executor, ids: readonly number[]): Promise<Set<number>> {
  const rows = await inChunks(ids, (chunk) => db.selectFrom('persons').select('id').where('id', 'in', chunk).where('payee_card_hash', 'is', null).execute());
  return new Set(rows.map((r) => r.id));
}

/**
 * The payee accounts of the given people, by id, for the disbursement file: the caller decrypts
 * the card number with its revealer (platform/reveal.ts) and audits the disclosure.
 */
export async function payeeAccounts(db: Executor, ids: readonly number[]): Promise<Map<number, PayeeAccount>> {
  const rows = await inChunks(ids, (chunk) =>
    db
      .selectFrom('persons')
      .select(['id', 'id_hash', 'id_enc', 'payee_card_enc', 'payee_card_hash', 'payee_card_masked', 'payee_bank', 'payee_holder'])
      .where('id', 'in', chunk)
      .execute(),
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        cardEnc: r.payee_card_enc,
        cardHash: r.payee_card_hash,
        cardMasked: r.payee_card_masked,
        bank: r.payee_bank,
        holder: r.payee_holder,
        idHash: r.id_hash,
        idEnc: r.id_enc,
      },
    ]),
  );
}
