import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDbLock, DatabaseLockedError, lockPathOf } from './db-lock.js';

describe('database lock file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-lock-'));
  const db = join(dir, 'y.sqlite');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const holder = (pid: number) => JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00Z', purpose: 'server' });

  it('is refused while a live process holds it, naming that process', () => {
    writeFileSync(lockPathOf(db), holder(process.ppid));
    expect(() => acquireDbLock(db, 'restore')).toThrow(DatabaseLockedError);
    expect(() => acquireDbLock(db, 'restore')).toThrow(new RegExp(`pid ${process.ppid}`));
    rmSync(lockPathOf(db));
  });

  it('takes over a lock whose process is gone, and removes its own on release', () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(lockPathOf(db), holder(gone));
    const lock = acquireDbLock(db, 'server');
    expect(JSON.parse(readFileSync(lockPathOf(db), 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'server' });
    lock.release();
    expect(existsSync(lockPathOf(db))).toBe(false);
  });
});
