import { Migrator } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { migrate } from './migrate.js';
import type { Db } from './database.js';

/**
 * PostgreSQL suites share a server, each test in its own schema. Kysely's introspection checks the
 * privilege on every schema it lists, so a schema another test drops at that moment fails the
 * migration of this one with 3F000 naming the other schema ("schema t_… does not exist" — seen in CI
 * on suites that had done nothing wrong). The migration looks again; a missing schema of its own is
 * still an error.
 */
describe('migrate beside other schemas coming and going', () => {
  afterEach(() => vi.restoreAllMocks());
  const vanished = (schema: string) => Object.assign(new Error(`schema "${schema}" does not exist`), { code: '3F000' });

  it('looks again when another schema vanished during the introspection', async () => {
    const spy = vi
      .spyOn(Migrator.prototype, 'migrateToLatest')
      .mockResolvedValueOnce({ error: vanished('t_other'), results: [] })
      .mockResolvedValueOnce({ results: [{ migrationName: 'x/001-a', direction: 'Up', status: 'Success' }] });
    expect(await migrate({} as Db, [], 't_mine')).toEqual(['x/001-a']);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['a table', 'an import’s staging table dropped as it ends', '42P01', 'relation "t_other.import_rows_5" does not exist'],
    // this session's CI: another test's schema dropped as Kysely read its partition's columns
    ['a column', 'another schema’s partition dropped as it was read', '42703', 'column "client_id" of relation "care_events_p202612" does not exist'],
  ])('looks again when %s vanished during the introspection (%s)', async (_what, _why, code, message) => {
    const gone = Object.assign(new Error(message), { code });
    const spy = vi
      .spyOn(Migrator.prototype, 'migrateToLatest')
      .mockResolvedValueOnce({ error: gone, results: [] })
      .mockResolvedValueOnce({ results: [{ migrationName: 'x/001-a', direction: 'Up', status: 'Success' }] });
    expect(await migrate({} as Db, [], 't_mine')).toEqual(['x/001-a']);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('fails when its own schema is missing, and after three tries', async () => {
    vi.spyOn(Migrator.prototype, 'migrateToLatest').mockResolvedValue({ error: vanished('t_mine'), results: [] });
    await expect(migrate({} as Db, [], 't_mine')).rejects.toThrow('schema "t_mine" does not exist');
    vi.restoreAllMocks();
    const spy = vi.spyOn(Migrator.prototype, 'migrateToLatest').mockResolvedValue({ error: vanished('t_other'), results: [] });
    await expect(migrate({} as Db, [], 't_mine')).rejects.toThrow('t_other');
    expect(spy).toHaveBeenCalledTimes(4);
  });
});
