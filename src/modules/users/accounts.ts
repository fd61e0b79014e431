import type { Executor } from '../../db/database.js';

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
