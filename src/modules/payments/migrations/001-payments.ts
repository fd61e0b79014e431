import type { Kysely } from 'kysely';
import { withId } from '../../../db/dialect.js';

/**
 * Bank disbursement and reconciliation: a batch per approved roll sent to the bank, a line per
 * person paid with the bank's answer, and the return files applied.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('payment_batches'))
    .addColumn('roll_id', 'integer', (c) => c.notNull().unique())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('item_name', 'text', (c) => c.notNull())
    .addColumn('town_code', 'text', (c) => c.notNull())
    .addColumn('bank', 'text', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('total_fen', 'integer', (c) => c.notNull())
    .addColumn('exported_by', 'integer')
    .addColumn('exported_by_name', 'text', (c) => c.notNull())
    .addColumn('exported_at', 'text', (c) => c.notNull())
    .addColumn('exports', 'integer', (c) => c.notNull())
    .execute();
  await withId(db, db.schema.createTable('payment_lines'))
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('payment_batches.id'))
    .addColumn('roll_id', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('id_hash', 'text', (c) => c.notNull())
    .addColumn('card_hash', 'text', (c) => c.notNull())
    .addColumn('card_masked', 'text', (c) => c.notNull())
    .addColumn('bank', 'text')
    .addColumn('holder', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('bank_code', 'text')
    .addColumn('reason', 'text')
    .addColumn('return_id', 'integer')
    .addColumn('reissued_roll_id', 'integer')
    .addColumn('reissued_at', 'text')
    .execute();
  await db.schema.createIndex('payment_lines_roll_person').unique().on('payment_lines').columns(['roll_id', 'person_id']).execute();
  await db.schema.createIndex('payment_lines_month').on('payment_lines').columns(['period', 'item_id', 'person_id', 'kind']).execute();
  await db.schema.createIndex('payment_lines_status').on('payment_lines').columns(['status', 'region_code']).execute();
  await withId(db, db.schema.createTable('payment_returns'))
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('payment_batches.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('paid', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addColumn('imported_by', 'integer')
    .addColumn('imported_by_name', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('payment_returns').execute();
  await db.schema.dropTable('payment_lines').execute();
  await db.schema.dropTable('payment_batches').execute();
}
