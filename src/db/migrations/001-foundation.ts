import type { Kysely } from 'kysely';
import { makeAppendOnly, withId } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text')
    .addColumn('prefix', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema.createIndex('regions_parent').on('regions').column('parent_code').execute();

  await withId(db, db.schema.createTable('persons'))
    .addColumn('id_hash', 'text', (c) => c.notNull().unique())
    .addColumn('id_enc', 'text', (c) => c.notNull())
    .addColumn('id_masked', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('hukou_local', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('phone_enc', 'text')
    .addColumn('phone_masked', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('closed_on', 'text')
    .addColumn('hardship', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('living_alone', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('empty_nest', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('left_behind', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('solitary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('special_family', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disability_grade', 'integer')
    .addColumn('disability_kind', 'text')
    .addColumn('ltc_grade', 'text')
    .addColumn('pension_type', 'text')
    .addColumn('veteran_category', 'text')
    .addColumn('special_contribution', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('chronic_diseases', 'text')
    .addColumn('last_checkup', 'text')
    .addColumn('provenance', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Register search is region + status + tags, or a name prefix, always within the viewer's
  // region: covering indexes let both the page and its count read the index alone.
  await db.schema
    .createIndex('persons_scope')
    .on('persons')
    .columns([
      'region_code',
      'status',
      'hardship',
      'living_alone',
      'empty_nest',
      'left_behind',
      'solitary',
      'special_family',
      'special_contribution',
      'disability_grade',
      'ltc_grade',
      'veteran_category',
      'birth_date',
      'id',
    ])
    .execute();
  await db.schema.createIndex('persons_name').on('persons').columns(['name', 'region_code', 'status', 'birth_date', 'id']).execute();

  await withId(db, db.schema.createTable('person_history'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('import_id', 'integer')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_history_person').on('person_history').column('person_id').execute();

  await withId(db, db.schema.createTable('attribute_conflicts'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('current_value', 'text')
    .addColumn('current_source', 'text', (c) => c.notNull())
    .addColumn('current_as_of', 'text', (c) => c.notNull())
    .addColumn('incoming_value', 'text')
    .addColumn('incoming_source', 'text', (c) => c.notNull())
    .addColumn('incoming_as_of', 'text', (c) => c.notNull())
    .addColumn('import_id', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('resolved_by', 'integer')
    .addColumn('resolved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conflicts_person').on('attribute_conflicts').columns(['person_id', 'status']).execute();
  await db.schema.createIndex('conflicts_status').on('attribute_conflicts').columns(['status', 'id']).execute();

  await withId(db, db.schema.createTable('imports'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rows_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_bad', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('conflicts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('message', 'text')
    .addColumn('imported_by', 'integer')
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();

  await withId(db, db.schema.createTable('import_errors'))
    .addColumn('import_id', 'integer', (c) => c.notNull().references('imports.id'))
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('column_name', 'text')
    .addColumn('value', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('import_errors_import').on('import_errors').columns(['import_id', 'row_no']).execute();

  await withId(db, db.schema.createTable('users'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('ip', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('region_code', 'text')
    .addColumn('fields', 'text')
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_entity').on('audit_log').columns(['entity_type', 'entity_id']).execute();
  await makeAppendOnly(db, 'audit_log');
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('audit_head')
    .values({ id: 1, seq: 0, hash: '0'.repeat(64) })
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The foundation migration cannot be reverted: nothing is deleted.');
}
