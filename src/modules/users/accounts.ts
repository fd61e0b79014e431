import type { Executor } from '../../db/database.js';
import { prefixUpperBound } from '../../db/dialect.js';

/** Display names of the given users, by id, for lists that say who did something (an import, a roll step). */
export async function displayNames(db: Executor, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** An account a generator creates (the demo county): already vetted, its password already hashed. */
export interface SeedAccount {
  username: string;
  displayName: string;
  role: string;
  regionCode: string;
  passwordHash: string;
}

/** Creates a generator's accounts in one statement (the demo; not audited: no one did it). */
export async function insertAccounts(db: Executor, accounts: readonly SeedAccount[], at: string): Promise<void> {
  await db
    .insertInto('users')
    .values(
      accounts.map((a) => ({
        username: a.username,
        display_name: a.displayName,
        password_hash: a.passwordHash,
        role: a.role,
        region_code: a.regionCode,
        failed_logins: 0,
        locked_until: null,
        active: 1,
        created_at: at,
      })),
    )
    .execute();
}

/** An active account as another module's picker or check sees it: no credentials, nothing personal. */
export interface ActiveAccount {
  id: number;
  name: string;
  role: string;
  regionCode: string;
}

/**
 * Active accounts of a role whose region lies in a region subtree (its code starts with
 * `regionPrefix`), or is one of the regions `alsoIn` names (the regions above it: a county's
 * assessment organisation works in every town), by name: the assessment form's second-assessor picker.
 */
export async function activeUsersOfRole(db: Executor, role: string, regionPrefix: string, alsoIn: readonly string[] = []): Promise<ActiveAccount[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'region_code'])
    .where('role', '=', role)
    .where('active', '=', 1)
    .where((eb) => {
      const inSubtree = eb.and([eb('region_code', '>=', regionPrefix), eb('region_code', '<', prefixUpperBound(regionPrefix))]);
      return alsoIn.length ? eb.or([inSubtree, eb('region_code', 'in', [...alsoIn])]) : inSubtree;
    })
    .orderBy('display_name')
    .orderBy('id')
    .limit(500)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name, role: r.role, regionCode: r.region_code }));
}

/** The given accounts if they are active, by id (an inactive or unknown id is absent). */
export async function activeAccounts(db: Executor, ids: readonly number[]): Promise<Map<number, ActiveAccount>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name', 'role', 'region_code']).where('id', 'in', wanted).where('active', '=', 1).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.display_name, role: r.role, regionCode: r.region_code }]));
}

/** An account by its username, as another module links to it (a caregiver's phone login): no credentials. */
export async function accountByUsername(
  db: Executor,
  username: string,
): Promise<{ id: number; username: string; name: string; role: string; regionCode: string; organisationId: number | null; active: boolean } | null> {
  const r = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'region_code', 'organisation_id', 'active'])
    .where('username', '=', username)
    .executeTakeFirst();
  return r
    ? {
        id: r.id,
        username: r.username,
        name: r.display_name,
        role: r.role,
        regionCode: r.region_code,
        organisationId: r.organisation_id,
        active: r.active === 1,
      }
    : null;
}
