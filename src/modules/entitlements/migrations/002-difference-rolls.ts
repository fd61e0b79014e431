import { sql, type Kysely } from 'kysely';
import { dialectOf, withId } from '../../../db/dialect.js';

/**
 * Back-pay and recovery (补发 / 追回, issue 14): a payment roll has a kind — 'regular' (a month's
 * payment), 'backpay' or 'recovery' (the differences a run found for earlier months). A run may
 * make one roll of each kind per item and town, and a month, item, town and kind is approved at
 * most once. `difference_months` keeps, per difference line, each month it covers: what was due
 * by the facts now known, what had been paid, and why they differ. Recorded as
 * 'entitlements/002-difference-rolls'.
 */
const COLUMNS = [
  'id',
  'run_id',
  'period',
  'item_id',
  'item_name',
  'town_code',
  'status',
  'lines',
  'total_fen',
  'made_by',
  'made_by_name',
  'made_at',
  'checked_by',
  'checked_by_name',
  'checked_at',
  'note',
  'replaced_by',
  'rerun',
  'editors',
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`ALTER TABLE payment_rolls ADD COLUMN kind text NOT NULL DEFAULT 'regular'`.execute(db);
    await sql`ALTER TABLE payment_rolls DROP CONSTRAINT payment_rolls_once`.execute(db);
    await sql`ALTER TABLE payment_rolls ADD CONSTRAINT payment_rolls_once UNIQUE (run_id, item_id, town_code, kind)`.execute(db);
    await sql`DROP INDEX payment_rolls_one_approved`.execute(db);
  } else {
    // SQLite cannot change a table's unique constraint: the table is rebuilt, and with it the
    // triggers that freeze an approved roll (those on roll_lines name payment_rolls, which a
    // rename checks, so they go first and come back last).
    for (const t of ['roll_lines_frozen_update', 'roll_lines_frozen_delete', 'roll_lines_frozen_insert'])
      await sql`DROP TRIGGER IF EXISTS ${sql.raw(t)}`.execute(db);
    await withId(db, db.schema.createTable('payment_rolls_next'))
      .addColumn('run_id', 'integer', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('item_name', 'text', (c) => c.notNull())
      .addColumn('town_code', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('lines', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('total_fen', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('made_by', 'integer')
      .addColumn('made_by_name', 'text')
      .addColumn('made_at', 'text')
      .addColumn('checked_by', 'integer')
      .addColumn('checked_by_name', 'text')
      .addColumn('checked_at', 'text')
      .addColumn('note', 'text')
      .addColumn('replaced_by', 'integer')
      .addColumn('rerun', 'text')
      .addColumn('editors', 'text')
      .addColumn('kind', 'text', (c) => c.notNull().defaultTo('regular'))
      .addUniqueConstraint('payment_rolls_once_kind', ['run_id', 'item_id', 'town_code', 'kind'])
      .execute();
    const cols = sql.raw(COLUMNS.join(', '));
    await sql`INSERT INTO payment_rolls_next (${cols}) SELECT ${cols} FROM payment_rolls`.execute(db);
    await sql`DROP TABLE payment_rolls`.execute(db);
    await sql`ALTER TABLE payment_rolls_next RENAME TO payment_rolls`.execute(db);
    await db.schema.createIndex('payment_rolls_period').on('payment_rolls').columns(['period', 'item_id', 'town_code', 'status']).execute();
    for (const op of ['UPDATE', 'DELETE']) {
      await sql`CREATE TRIGGER ${sql.raw(`payment_rolls_frozen_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON payment_rolls
        WHEN OLD.status = 'approved'
        BEGIN SELECT RAISE(ABORT, 'roll frozen'); END`.execute(db);
      await sql`CREATE TRIGGER ${sql.raw(`roll_lines_frozen_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON roll_lines
        WHEN (SELECT status FROM payment_rolls WHERE id = OLD.roll_id) = 'approved'
        BEGIN SELECT RAISE(ABORT, 'roll frozen'); END`.execute(db);
    }
    await sql`CREATE TRIGGER roll_lines_frozen_insert BEFORE INSERT ON roll_lines
      WHEN (SELECT status FROM payment_rolls WHERE id = NEW.roll_id) = 'approved'
      BEGIN SELECT RAISE(ABORT, 'roll frozen'); END`.execute(db);
  }
  await sql`CREATE UNIQUE INDEX payment_rolls_one_approved ON payment_rolls (period, item_id, town_code, kind) WHERE status = 'approved'`.execute(db);

  await db.schema
    .createTable('difference_months')
    .addColumn('roll_id', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('due_fen', 'integer', (c) => c.notNull())
    .addColumn('paid_fen', 'integer', (c) => c.notNull())
    // JSON: the late facts and parameter changes behind the difference (DifferenceReason[])
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('difference_months_pk', ['roll_id', 'person_id', 'month'])
    .execute();
  // what earlier difference rolls settled for a person, item and month
  await db.schema.createIndex('difference_months_person').on('difference_months').columns(['person_id', 'item_id', 'month']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The difference-rolls migration cannot be reverted: rolls are records.');
}
