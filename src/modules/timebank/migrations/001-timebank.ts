import { sql, type Kysely } from 'kysely';
import { makeAppendOnly, withId } from '../../../db/dialect.js';

/** Time-bank accounts and the double-entry ledger. Recorded as 'timebank/001-timebank'. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('timebank_accounts'))
    .addColumn('holder_kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('person_id', 'integer')
    .addColumn('system_key', 'text', (c) => c.unique())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('balance_minutes', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'integer', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    // a holder's balance never goes below zero, whatever the code does: the database refuses it
    .addCheckConstraint('timebank_accounts_not_negative', sql`holder_kind = 'system' or balance_minutes >= 0`)
    .execute();
  await db.schema.createIndex('timebank_accounts_user').on('timebank_accounts').columns(['user_id']).unique().execute();
  await db.schema.createIndex('timebank_accounts_person').on('timebank_accounts').columns(['person_id']).unique().execute();
  await db.schema.createIndex('timebank_accounts_region').on('timebank_accounts').columns(['region_code']).execute();

  await withId(db, db.schema.createTable('timebank_entries'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('event_id', 'integer', (c) => c.unique())
    .addColumn('reverses_id', 'integer', (c) => c.unique())
    .addColumn('reward_key', 'text')
    .addColumn('client_id', 'text', (c) => c.unique())
    .addColumn('note', 'text')
    .addColumn('by_user', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('timebank_lines'))
    .addColumn('entry_id', 'integer', (c) => c.notNull().references('timebank_entries.id'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('timebank_accounts.id'))
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('timebank_lines_account').on('timebank_lines').columns(['account_id', 'entry_id']).execute();
  await db.schema.createIndex('timebank_lines_entry').on('timebank_lines').columns(['entry_id']).execute();

  await withId(db, db.schema.createTable('timebank_checks'))
    .addColumn('on_date', 'text', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('accounts', 'integer', (c) => c.notNull())
    .addColumn('entries', 'integer', (c) => c.notNull())
    .addColumn('problems', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();

  // the ledger is append-only: a correction is a reversing entry
  await makeAppendOnly(db, 'timebank_entries');
  await makeAppendOnly(db, 'timebank_lines');
}
