import { sql, type Kysely } from 'kysely';
import { dialectOf, makeAppendOnly, withId } from '../../../db/dialect.js';

/**
 * Catalogue versions used by runs, administrators' parameter values, entitlement runs with their
 * decisions and change lists, and payment rolls. Parameter values and catalogue versions are
 * append-only: a change on a date is a new row, so the past is never rewritten.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('catalogue_versions'))
    .addColumn('jurisdiction', 'text', (c) => c.notNull())
    .addColumn('effective', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().unique())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await makeAppendOnly(db, 'catalogue_versions');

  await withId(db, db.schema.createTable('parameter_values'))
    .addColumn('jurisdiction', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    // JSON: fen for money, a number for int, a string for text
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('set_by', 'integer', (c) => c.notNull())
    .addColumn('set_by_name', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('parameter_values_once', ['jurisdiction', 'name', 'valid_from'])
    .execute();
  await makeAppendOnly(db, 'parameter_values');

  await withId(db, db.schema.createTable('entitlement_runs'))
    .addColumn('jurisdiction', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('catalogue_version_id', 'integer', (c) => c.notNull().references('catalogue_versions.id'))
    // JSON: the parameter values and versions the run used
    .addColumn('params', 'text', (c) => c.notNull())
    // JSON: the fact names, in the order each decision stores their values
    .addColumn('fact_names', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // set while running, so a second start for the same period fails on the unique index
    .addColumn('lock_key', 'text', (c) => c.unique())
    .addColumn('previous_run_id', 'integer')
    .addColumn('cursor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('persons_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('persons_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('granted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_by', 'integer')
    .addColumn('started_by_name', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('message', 'text')
    .execute();
  await db.schema.createIndex('runs_period').on('entitlement_runs').columns(['jurisdiction', 'period', 'status']).execute();

  await db.schema
    .createTable('decisions')
    .addColumn('run_id', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    // JSON array of fact values, in the run's fact_names order: the inputs of the decision
    .addColumn('facts', 'text', (c) => c.notNull())
    // JSON object item id → amount in fen / discount percent / 1: what was granted
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('decisions_pk', ['run_id', 'person_id'])
    .execute();

  await withId(db, db.schema.createTable('decision_changes'))
    .addColumn('run_id', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    // new | ended | amount
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('old_value', 'integer')
    .addColumn('new_value', 'integer')
    .addColumn('handled_by', 'integer')
    .addColumn('handled_at', 'text')
    .addUniqueConstraint('decision_changes_once', ['run_id', 'person_id', 'item_id'])
    .execute();
  await db.schema.createIndex('decision_changes_run').on('decision_changes').columns(['run_id', 'region_code', 'kind']).execute();

  await withId(db, db.schema.createTable('payment_rolls'))
    .addColumn('run_id', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('item_name', 'text', (c) => c.notNull())
    .addColumn('town_code', 'text', (c) => c.notNull())
    // draft → submitted → approved | returned; superseded when a later run of the period replaces a draft
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
    .addUniqueConstraint('payment_rolls_once', ['run_id', 'item_id', 'town_code'])
    .execute();
  await db.schema.createIndex('payment_rolls_period').on('payment_rolls').columns(['period', 'item_id', 'town_code', 'status']).execute();

  await db.schema
    .createTable('roll_lines')
    .addColumn('roll_id', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('standard_fen', 'integer', (c) => c.notNull())
    .addColumn('excluded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('remark', 'text')
    .addPrimaryKeyConstraint('roll_lines_pk', ['roll_id', 'person_id'])
    .execute();
  // An approved roll is frozen in the database too, not only in the service.
  if (dialectOf(db) === 'postgres') {
    await sql`CREATE OR REPLACE FUNCTION yiyang_roll_frozen() RETURNS trigger AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM payment_rolls WHERE id = COALESCE(OLD.roll_id, NEW.roll_id) AND status = 'approved') THEN
          RAISE EXCEPTION 'roll frozen: % refused', TG_OP;
        END IF;
        RETURN COALESCE(NEW, OLD);
      END; $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER roll_lines_frozen BEFORE UPDATE OR DELETE ON roll_lines FOR EACH ROW EXECUTE FUNCTION yiyang_roll_frozen()`.execute(db);
  } else {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql`CREATE TRIGGER ${sql.raw(`roll_lines_frozen_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON roll_lines
        WHEN (SELECT status FROM payment_rolls WHERE id = OLD.roll_id) = 'approved'
        BEGIN SELECT RAISE(ABORT, 'roll frozen'); END`.execute(db);
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The entitlements migration cannot be reverted: decisions and rolls are records.');
}
