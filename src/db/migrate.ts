import { Migrator, type Migration } from 'kysely';
import type { Db } from './database.js';
import * as m001 from './migrations/001-foundation.js';
import * as m002 from './migrations/002-register-flags.js';
import * as m003 from './migrations/003-entitlements.js';
import * as m004 from './migrations/004-run-claims.js';
import * as m005 from './migrations/005-trust-rolls.js';
import * as m006 from './migrations/006-import-progress.js';
import * as m007 from './migrations/007-login-guard.js';
import * as m009 from './migrations/009-import-error-params.js';
import * as m010 from './migrations/010-jurisdiction-settings.js';
import * as m011 from './migrations/011-verify.js';
import * as m012 from './migrations/012-jobs.js';
import * as m013 from './migrations/013-decision-items.js';

/** Migrations are listed here in order; the same list runs on SQLite and PostgreSQL. */
const migrations: Record<string, Migration> = {
  '001-foundation': m001,
  '002-register-flags': m002,
  '003-entitlements': m003,
  '004-run-claims': m004,
  '005-trust-rolls': m005,
  '006-import-progress': m006,
  '007-login-guard': m007,
  '009-import-error-params': m009,
  '010-jurisdiction-settings': m010,
  '011-verify': m011,
  '012-jobs': m012,
  '013-decision-items': m013,
};

/** `schema`: PostgreSQL schema of the migration tables, when the database holds several. */
export async function migrate(db: Db, schema?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
