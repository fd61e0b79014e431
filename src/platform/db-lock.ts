import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { nowIso } from './time.js';

/**
 * Who holds the embedded SQLite database: a lock file `<sqlitePath>.lock` with the holder's pid
 * and host, created exclusively. The server holds it while it serves; `restore` holds it while
 * it replaces the file, and refuses while a live server holds it (the server's later writes
 * would vanish with the replaced file and its WAL). The file is removed when the holder exits;
 * one left by a process that is gone (kill -9, power cut) is taken over.
 */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  purpose: 'server' | 'restore';
}

export const lockPathOf = (sqlitePath: string) => `${sqlitePath}.lock`;

function holderOf(path: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? (h as LockHolder) : null;
  } catch {
    return null;
  }
}

/** On this host a pid can be checked; a holder on another host (shared disk) is taken as alive. */
function alive(h: LockHolder): boolean {
  if (h.host !== hostname()) return true;
  if (h.pid === process.pid) return true;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DatabaseLockedError extends Error {
  constructor(
    readonly holder: LockHolder,
    readonly lockFile: string,
  ) {
    const what = holder.purpose === 'server' ? 'Yiyang 服务器' : '恢复（restore）命令';
    const whatEn = holder.purpose === 'server' ? 'a Yiyang server' : 'a restore';
    super(
      `数据库正被${what}占用（主机 ${holder.host}，进程 ${holder.pid}，自 ${holder.since} 起）；请先停止它。` +
        ` The database is held by ${whatEn} (pid ${holder.pid} on host ${holder.host}, since ${holder.since}): stop it first.` +
        ` If that process is gone on another host, remove ${lockFile}.`,
    );
    this.name = 'DatabaseLockedError';
  }
}

export interface DbLock {
  release(): void;
}

/** Takes the lock or throws DatabaseLockedError naming the live holder. Released on exit. */
export function acquireDbLock(sqlitePath: string, purpose: LockHolder['purpose']): DbLock {
  const path = lockPathOf(sqlitePath);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: nowIso(), purpose };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(me) + '\n', { flag: 'wx', mode: 0o600 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw e;
      const holder = holderOf(path);
      if (holder && holder.pid !== process.pid && alive(holder)) throw new DatabaseLockedError(holder, path);
      // stale (its process is gone) or unreadable (it died while writing it): take it over
      rmSync(path, { force: true });
    }
  }
  const release = () => {
    if (holderOf(path)?.pid === process.pid) rmSync(path, { force: true });
    process.off('exit', release);
  };
  process.on('exit', release);
  return { release };
}
