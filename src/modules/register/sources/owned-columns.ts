import { sql, type Kysely } from 'kysely';
import { ownedColumns } from './facts.js';

/**
 * The register columns that declared facts own (register/sources/facts.ts, `owns`): each is a 0/1
 * flag read from a department file, NULL until a department states it. Declaring the fact is
 * enough: at start-up (openContext, after the migrations) a missing column is added. Adding a
 * nullable column with no default changes no existing row, on SQLite and PostgreSQL alike.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- columns that the typed schema does not list
export async function addOwnedColumns(db: Kysely<any>): Promise<string[]> {
  const added: string[] = [];
  for (const { column } of ownedColumns()) {
    if (!/^[a-z][a-z0-9_]*$/.test(column.name)) throw new Error(`owned column name "${column.name}" is not a plain identifier`);
    const exists = await sql`select ${sql.ref(column.name)} from persons where 1 = 0`.execute(db).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    try {
      await db.schema.alterTable('persons').addColumn(column.name, 'integer').execute();
      added.push(column.name);
    } catch (e) {
      // another server added it at the same moment
      const again = await sql`select ${sql.ref(column.name)} from persons where 1 = 0`.execute(db).then(
        () => true,
        () => false,
      );
      if (!again) throw e;
    }
  }
  return added;
}
