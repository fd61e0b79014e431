import { sql, type Kysely } from 'kysely';
import { withId } from '../../../db/dialect.js';

/**
 * Paused entitlements (暂停发放, issue 14): someone eligible but not payable this month is listed,
 * not dropped. A roll line says why it is paused (`roll_lines.pause`: a reason code, NULL for a
 * line paid or held back by hand); `payment_pauses` keeps the pauses officers set on a person
 * (abroad, missing, facts under verification, in an institution that covers the item), each with
 * who set and who lifted it. Recorded as 'entitlements/003-payment-pauses'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE roll_lines ADD COLUMN pause text`.execute(db);
  // the officer's pause (payment_pauses.id) a line was paused by
  await sql`ALTER TABLE roll_lines ADD COLUMN pause_id integer`.execute(db);
  await withId(db, db.schema.createTable('payment_pauses'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    // where the person lived when it was set: the scope of who may see and lift it
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    // JSON array of cash item ids it covers; NULL: every cash item
    .addColumn('items', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    // the first month it applies to (YYYY-MM)
    .addColumn('since', 'text', (c) => c.notNull())
    .addColumn('set_by', 'integer')
    .addColumn('set_by_name', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addColumn('lifted_by', 'integer')
    .addColumn('lifted_by_name', 'text')
    .addColumn('lifted_at', 'text')
    .addColumn('lift_note', 'text')
    // chosen when lifted: whether the months it paused are paid back (1) by the next run's back-pay
    .addColumn('backpay', 'integer')
    .execute();
  await db.schema.createIndex('payment_pauses_person').on('payment_pauses').columns(['person_id', 'lifted_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The payment-pauses migration cannot be reverted: pauses are records.');
}
