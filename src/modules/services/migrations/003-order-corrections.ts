import type { Kysely } from 'kysely';
import { makeAppendOnly, withId } from '../../../db/dialect.js';

/**
 * An officer's correction of an order's start and end times (and the items done): a new row each
 * time, never an update of the order's check-in and check-out facts (issue 17: corrections never
 * overwrite the original record). The latest row of an order is what the detector, the order's
 * time on site and the settlement read from then on. Append-only in the database. Read by month
 * (period) for the detector. Recorded as 'services/003-order-corrections'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('service_order_corrections'))
    .addColumn('order_id', 'integer', (c) => c.notNull().references('service_orders.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'integer', (c) => c.notNull())
    .addColumn('check_in_at', 'text', (c) => c.notNull())
    .addColumn('check_out_at', 'text', (c) => c.notNull())
    .addColumn('items_done', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('corrected_by', 'integer', (c) => c.notNull())
    .addColumn('corrected_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_order_corrections_order').on('service_order_corrections').columns(['order_id', 'id']).execute();
  await db.schema.createIndex('service_order_corrections_period').on('service_order_corrections').columns(['period', 'order_id', 'id']).execute();
  await makeAppendOnly(db, 'service_order_corrections');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('service_order_corrections').execute();
}
