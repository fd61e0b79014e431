import { sql, type Kysely } from 'kysely';
import { dialectOf, withId } from '../../../db/dialect.js';

/**
 * Issue 12 (trust), payment rolls and masks:
 * - at most one approved roll per month, item and town, in the database (a partial unique index);
 * - an approved roll is frozen whole: no line added, changed or deleted; the roll row itself
 *   neither changed nor deleted;
 * - what a re-run carries over: the roll a new one replaced (`replaced_by`), the state of the
 *   roll it replaced (`rerun`, JSON), the differences per person (`roll_rerun_changes`), a note
 *   on a held-back line whose amount changed (`roll_lines.note`);
 * - everyone who edited a roll's lines is one of its makers (`editors`, JSON array of user ids);
 * - masked IDs keep only the region of issue (the old mask with the birth date gave the ID back).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';

  const twice = await sql<{ period: string; item_id: string; town_code: string; n: number }>`
    select period, item_id, town_code, count(*) as n from payment_rolls where status = 'approved'
    group by period, item_id, town_code having count(*) > 1`.execute(db);
  if (twice.rows.length) {
    const list = twice.rows.map((r) => `${r.period} ${r.item_id} ${r.town_code} (${r.n})`).join('; ');
    throw new Error(
      `The database holds more than one approved payment roll for: ${list}. Someone was paid twice: settle it and mark the extra roll before upgrading.`,
    );
  }
  await sql`CREATE UNIQUE INDEX payment_rolls_one_approved ON payment_rolls (period, item_id, town_code) WHERE status = 'approved'`.execute(db);

  await db.schema.alterTable('payment_rolls').addColumn('replaced_by', 'integer').execute();
  await db.schema.alterTable('payment_rolls').addColumn('rerun', 'text').execute();
  await db.schema.alterTable('payment_rolls').addColumn('editors', 'text').execute();
  await db.schema.alterTable('roll_lines').addColumn('note', 'text').execute();

  await withId(db, db.schema.createTable('roll_rerun_changes'))
    .addColumn('roll_id', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    // added | removed | amount | held_gone (a held-back person no longer on the roll)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('old_fen', 'integer')
    .addColumn('new_fen', 'integer')
    .addColumn('remark', 'text')
    .execute();
  await db.schema.createIndex('roll_rerun_changes_roll').on('roll_rerun_changes').columns(['roll_id', 'region_code']).execute();

  if (pg) {
    await sql`CREATE OR REPLACE FUNCTION yiyang_roll_lines_insert_frozen() RETURNS trigger AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM payment_rolls WHERE id = NEW.roll_id AND status = 'approved') THEN
          RAISE EXCEPTION 'roll frozen: INSERT refused';
        END IF;
        RETURN NEW;
      END; $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER roll_lines_frozen_insert BEFORE INSERT ON roll_lines FOR EACH ROW EXECUTE FUNCTION yiyang_roll_lines_insert_frozen()`.execute(db);
    await sql`CREATE OR REPLACE FUNCTION yiyang_roll_row_frozen() RETURNS trigger AS $$
      BEGIN
        IF OLD.status = 'approved' THEN
          RAISE EXCEPTION 'roll frozen: % refused', TG_OP;
        END IF;
        RETURN COALESCE(NEW, OLD);
      END; $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER payment_rolls_frozen BEFORE UPDATE OR DELETE ON payment_rolls FOR EACH ROW EXECUTE FUNCTION yiyang_roll_row_frozen()`.execute(db);
  } else {
    await sql`CREATE TRIGGER roll_lines_frozen_insert BEFORE INSERT ON roll_lines
      WHEN (SELECT status FROM payment_rolls WHERE id = NEW.roll_id) = 'approved'
      BEGIN SELECT RAISE(ABORT, 'roll frozen'); END`.execute(db);
    for (const op of ['UPDATE', 'DELETE']) {
      await sql`CREATE TRIGGER ${sql.raw(`payment_rolls_frozen_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON payment_rolls
        WHEN OLD.status = 'approved'
        BEGIN SELECT RAISE(ABORT, 'roll frozen'); END`.execute(db);
    }
  }

  // The mask keeps the 6-digit region of issue only (18-digit: 12 stars; 15-digit: 9).
  await sql`UPDATE persons SET id_masked = substr(id_masked, 1, 6) || substr('************', 1, length(id_masked) - 6)
    WHERE length(id_masked) > 6`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The trust migration cannot be reverted: it protects payment records.');
}
