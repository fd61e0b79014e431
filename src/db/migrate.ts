import { Migrator, type Migration } from 'kysely';
import type { Db } from './database.js';
import * as m001 from './migrations/001-foundation.js';
import * as m010 from './migrations/010-jurisdiction-settings.js';
import * as m012 from './migrations/012-jobs.js';

/**
 * The platform's own migrations: the foundation (people, regions, users, audit, catalogue tables,
 * laid down before modules owned their storage), jurisdiction settings and jobs. Each module's
 * migrations are in its folder, listed by its manifest.
 */
const platformMigrations: Record<string, Migration> = {
  '001-foundation': m001,
  '010-jurisdiction-settings': m010,
  '012-jobs': m012,
};

/** What the migrator reads of a module's manifest. */
export interface MigratingModule {
  id: string;
  migrations?: Record<string, Migration>;
  recordedMigrations?: Record<string, Migration>;
}

/**
 * All migrations by recorded name. The platform's and those recorded before modules owned their
 * storage keep their names ('003-entitlements'); a module's own are recorded as '<module>/<name>',
 * so two modules never collide on a number. A name given twice is refused.
 */
export function collectMigrations(modules: readonly MigratingModule[]): { migrations: Record<string, Migration>; order: (a: string, b: string) => number } {
  const migrations: Record<string, Migration> = { ...platformMigrations };
  const rank = new Map<string, number>();
  const add = (name: string, m: Migration, owner: string) => {
    if (name in migrations) throw new Error(`migration ${name} is declared twice (module ${owner})`);
    migrations[name] = m;
  };
  modules.forEach((mod, i) => {
    rank.set(mod.id, i);
    for (const [name, m] of Object.entries(mod.recordedMigrations ?? {})) add(name, m, mod.id);
    for (const [name, m] of Object.entries(mod.migrations ?? {})) {
      if (!/^\d{3}-[a-z0-9-]+$/.test(name)) throw new Error(`migration ${mod.id}/${name}: name it NNN-what (e.g. 001-plans)`);
      add(`${mod.id}/${name}`, m, mod.id);
    }
  });
  // recorded names first, in name order (as they always ran); then modules' own, left to right on
  // the data path, each in name order
  const key = (name: string): [number, string] => {
    const slash = name.indexOf('/');
    return slash < 0 ? [-1, name] : [rank.get(name.slice(0, slash)) ?? modules.length, name.slice(slash + 1)];
  };
  const order = (a: string, b: string) => {
    const [ra, na] = key(a);
    const [rb, nb] = key(b);
    return ra - rb || (na < nb ? -1 : na > nb ? 1 : 0);
  };
  return { migrations, order };
}

/**
 * Runs every pending migration of the platform and the given modules. Unordered migrations are
 * allowed: a module's new migration runs on a database where migrations of modules to its right
 * have already run (each module's own run in order).
 * `schema`: PostgreSQL schema of the migration tables, when the database holds several.
 */
export async function migrate(db: Db, modules: readonly MigratingModule[], schema?: string): Promise<string[]> {
  const { migrations, order } = collectMigrations(modules);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
    nameComparator: order,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 0; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    // Kysely's PostgreSQL introspection asks has_schema_privilege of every schema it lists: one that
    // another database user of the server drops meanwhile (a test's own schema, a benchmark's) fails
    // the check with 3F000 naming that schema; and it asks pg_get_serial_sequence of every table it
    // lists: one dropped meanwhile (an import's staging table when the import ends, a test's schema)
    // fails with 42P01, and one whose columns are read as its table is dropped (another test's
    // schema, its month partitions) with 42703. Nothing of ours was touched: look again.
    if (error && attempt < 3 && (otherSchemaVanished(error, schema) || tableVanished(error))) continue;
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }
}

function tableVanished(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '42P01' || code === '42703';
}

function otherSchemaVanished(error: unknown, ours: string | undefined): boolean {
  const e = error as { code?: string; message?: string } | null;
  return !!e && e.code === '3F000' && !(ours && (e.message ?? '').includes(`"${ours}"`));
}
