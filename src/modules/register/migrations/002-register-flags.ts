import type { Kysely } from 'kysely';

/**
 * Two register attributes that catalogue rules read: 参加基本医疗保险 (from medical insurance)
 * and 流浪乞讨救助对象 (from civil affairs). Both 0/1 with 0 meaning "not known to be", so
 * existing persons need no back-fill. The covering search index gains `vagrant` so the new tag
 * filter still reads the index alone.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  // one column per statement: SQLite's ALTER TABLE adds a single column at a time
  await db.schema
    .alterTable('persons')
    .addColumn('medical_insured', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('persons')
    .addColumn('vagrant', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.dropIndex('persons_scope').execute();
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
      'vagrant',
      'disability_grade',
      'ltc_grade',
      'veteran_category',
      'birth_date',
      'id',
    ])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The register flags migration cannot be reverted: nothing is deleted.');
}
