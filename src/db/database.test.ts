import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from './database.js';

/** Personal data at rest: no file of the embedded database is readable by group or others. */
describe('SQLite file modes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-db-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const modeOf = (p: string) => statSync(p).mode & 0o777;

  it('creates the database, its WAL and shared-memory files as 0600 whatever the umask', async () => {
    const old = process.umask(0o022);
    try {
      const path = join(dir, 'new', 'y.sqlite');
      const h = openSqlite(path, 8);
      await h.db.schema.createTable('t').addColumn('x', 'integer').execute();
      for (const p of [path, `${path}-wal`, `${path}-shm`]) {
        expect(existsSync(p)).toBe(true);
        expect(modeOf(p) & 0o077).toBe(0);
      }
      expect(modeOf(join(dir, 'new')) & 0o077).toBe(0);
      await h.close();
    } finally {
      process.umask(old);
    }
  });

  it('tightens an older install whose files are 0644', async () => {
    const path = join(dir, 'old.sqlite');
    const s = new SQLite(path);
    s.pragma('journal_mode = WAL');
    s.exec('create table t (x integer); insert into t values (1)');
    s.close();
    chmodSync(path, 0o644);
    writeFileSync(`${path}-wal`, '');
    chmodSync(`${path}-wal`, 0o644);
    const h = openSqlite(path, 8);
    expect(modeOf(path)).toBe(0o600);
    expect(modeOf(`${path}-wal`) & 0o077).toBe(0);
    await h.close();
  });
});
