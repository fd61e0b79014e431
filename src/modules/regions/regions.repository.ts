import type { Executor } from '../../db/database.js';
import type { RegionRow } from '../../db/tables.js';

export async function listRegions(db: Executor): Promise<RegionRow[]> {
  return db.selectFrom('regions').selectAll().orderBy('code').execute();
}

export async function insertRegions(db: Executor, rows: RegionRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('regions')
      .values(rows.slice(i, i + 200))
      .execute();
}
