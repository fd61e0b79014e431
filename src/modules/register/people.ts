import { sql } from 'kysely';
import type { DbHandle, Executor } from '../../db/database.js';
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

/** Who a run considers: everyone on the register, and those closed (died, moved away) on or after `floor`. */
function population(db: Executor, floor: string) {
  return db.selectFrom('persons').where((eb) => eb.or([eb('status', '=', 'active'), eb('closed_on', '>=', floor)]));
}

/**
 * One batch of a run's population after `cursor` in id order, as arrays of the given columns (the
 * run's largest read: no row objects from the driver). The columns are those the declared person
 * facts are loaded from, the first being 'id'.
 */
export async function populationBatch(handle: DbHandle, columns: readonly string[], cursor: number, floor: string, limit: number): Promise<unknown[][]> {
  const query = population(handle.db, floor)
    .select(columns.map((c) => sql.ref<unknown>(c).as(c)))
    .where('id', '>', cursor)
    .orderBy('id')
    .limit(limit)
    .compile();
  return handle.selectArrays(query);
}

export async function populationCount(db: Executor, floor: string): Promise<number> {
  const row = await population(db, floor)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
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
