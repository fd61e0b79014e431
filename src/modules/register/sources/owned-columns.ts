import { sql, type Kysely } from 'kysely';
import { ownedColumns } from './facts.js';
import { PAYEE_COLUMNS } from './payee.js';

/**
 * The register columns that declared facts own (register/sources/facts.ts, `owns`): each is a 0/1
 * flag read from a department file, NULL until a department states it. Declaring the fact is
 * enough: at start-up (openContext, after the migrations) a missing column is added. Adding a
 * nullable column with no default changes no existing row, on SQLite and PostgreSQL alike.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- columns that the typed schema does not list
export async function addOwnedColumns(db: Kysely<any>): Promise<string[]> {
  const added: string[] = [];
  // the payee account's columns (text) are added the same way: nullable, changing no row
  const wanted = [
    ...ownedColumns().map(({ column }) => ({ name: column.name, type: 'integer' as const })),
    ...PAYEE_COLUMNS.map((name) => ({ name, type: 'text' as const })),
  ];
  for (const column of wanted) {
    if (!/^[a-z][a-z0-9_]*$/.test(column.name)) throw new Error(`owned column name "${column.name}" is not a plain identifier`);
    const exists = await sql`select ${sql.ref(column.name)} from persons where 1 = 0`.execute(db).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    try {
      await db.schema.alterTable('persons').addColumn(column.name, column.type).execute();
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
