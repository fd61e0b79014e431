import { sql, type Kysely } from 'kysely';
import { withId } from '../dialect.js';

/**
 * One job runner for all background work (platform/jobs.ts): a job is claimed by one process
 * ('host:pid' in `runner`, a heartbeat at every commit), resumed after a crash from its committed
 * progress (`done`/`total`) and state (JSON: a run's cursor, an import's last applied row), and
 * taken over by another process only when its runner is gone. `lock_key` ('kind:key') is unique
 * while the job runs and NULL once it has ended, so one job per key runs at a time.
 *
 * Entitlement runs that were running under the claim columns of 004 become jobs here, so an
 * interrupted run of an earlier version resumes through the runner; those columns are no longer
 * written.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('jobs'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('lock_key', 'text', (c) => c.unique())
    // running | finished | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('runner', 'text')
    .addColumn('heartbeat_at', 'text')
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON, the job's own resumption state
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('jobs_kind_key').on('jobs').columns(['kind', 'key']).execute();
  await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'id']).execute();
  await sql`insert into jobs (kind, key, lock_key, status, runner, heartbeat_at, done, total, state, created_at)
    select 'entitlement_run', cast(id as text), 'entitlement_run:' || cast(id as text), 'running', runner, heartbeat_at, persons_done, persons_total,
      '{"cursor":' || cast(cursor as text) || '}', started_at
    from entitlement_runs where status = 'running'`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The jobs migration cannot be reverted.');
}
