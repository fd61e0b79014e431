import type { Kysely } from 'kysely';

/**
 * Login back-off counters, keyed per (username, client address) and per client address, so that
 * failures from one address never lock an account out from another, and unknown usernames are
 * counted exactly like known ones (the answers do not tell which accounts exist). Replaces the
 * per-account users.failed_logins / users.locked_until, which are no longer read or written.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_guard')
    // 'user:<ip> <username>' or 'ip:<ip>'
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text')
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute();
  await db.schema.createIndex('login_guard_username').on('login_guard').column('username').execute();
  await db.schema.createIndex('login_guard_first_at').on('login_guard').column('first_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_guard').execute();
}
