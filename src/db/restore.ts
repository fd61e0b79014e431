import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import type { Config } from '../config.js';
import { openContext } from '../bootstrap.js';
import { AUDIT_CHAIN_SETTING, bindAuditKey, verifyAudit, type AuditVerification } from '../platform/audit.js';
import { verifyAuditAnchored } from '../platform/audit-anchor.js';
import { acquireDbLock } from '../platform/db-lock.js';
import { openSqlite, privateFiles } from './database.js';

/**
 * Restoring the embedded database from a backup, in an order that never loses the live one:
 * take the database's lock (refused while a server serves it), check a private copy of the
 * backup — SQLite's integrity check, a Yiyang schema, its audit chain verified with this
 * deployment's key — and only then move the live file aside as `<name>.before-restore-<time>`
 * and put the copy in its place. The anchor file belongs to the replaced history: it is moved
 * aside the same way and a new one starts at the restored head.
 */
export interface RestoreOptions {
  /** restore a backup whose audit chain predates keying (checked as plain SHA-256, re-keyed at open) */
  acceptUnkeyed?: boolean;
  log?: (line: string) => void;
}

export interface RestoreResult {
  keptAs: string | null;
  anchorKeptAs: string | null;
  audit: AuditVerification;
}

const stamp = () =>
  new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** Yiyang's own tables: a backup without them is some other database. */
const REQUIRED_TABLES = ['audit_log', 'audit_head', 'persons', 'users', 'regions', 'settings', 'kysely_migration'];

function checkFile(path: string, from: string): void {
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(path, { fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`SQLite integrity check: ${String(integrity)}`);
    const names = new Set((db.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map((r) => r.name));
    const missing = REQUIRED_TABLES.filter((t) => !names.has(t));
    if (missing.length) throw new Error(`not a Yiyang database (no ${missing.join(', ')})`);
    const first = db.prepare("select count(*) as n from kysely_migration where name = '001-foundation'").get() as { n: number };
    if (first.n !== 1) throw new Error('not a Yiyang database (its migrations are not ours)');
  } catch (e) {
    throw new Error(`${from} is not a sound Yiyang backup: ${(e as Error).message}. Nothing was replaced.`, { cause: e });
  } finally {
    db?.close();
  }
}

async function verifyCopy(path: string, from: string, masterKey: Buffer, acceptUnkeyed: boolean): Promise<void> {
  const handle = openSqlite(path, 16);
  try {
    bindAuditKey(handle.db, masterKey);
    const keyed = await handle.db.selectFrom('settings').select('value').where('key', '=', AUDIT_CHAIN_SETTING).executeTakeFirst();
    if (!keyed && !acceptUnkeyed) {
      throw new Error(
        `${from} holds an audit chain written before the chain was keyed, so this deployment's key cannot vouch for it. Nothing was replaced. If this is an old backup you trust, run restore again with --accept-unkeyed: its plain chain is checked and re-keyed when it is opened.`,
      );
    }
    const result = await verifyAudit(handle.db, { legacy: !keyed });
    if (result.problems.length) {
      const list = result.problems
        .slice(0, 20)
        .map((p) => `  #${p.seq} ${p.problem}: ${p.message}`)
        .join('\n');
      throw new Error(
        `The audit chain of ${from} does not verify with this deployment's key (YIYANG_KEY): ${result.problems.length} problems — it was tampered with, or comes from another deployment. Nothing was replaced.\n${list}`,
      );
    }
  } finally {
    await handle.close();
  }
}

export async function restoreSqlite(config: Config, from: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const log = opts.log ?? (() => {});
  if (config.databaseUrl) throw new Error('restore handles the embedded SQLite database; for PostgreSQL use pg_restore.');
  if (!existsSync(from)) throw new Error(`No such file: ${from}`);
  const live = config.sqlitePath;
  const lock = acquireDbLock(live, 'restore');
  const copy = `${live}.restoring-${process.pid}`;
  const cleanCopy = () => {
    for (const s of ['', '-wal', '-shm']) rmSync(copy + s, { force: true });
  };
  try {
    cleanCopy();
    copyFileSync(from, copy);
    privateFiles(copy);
    checkFile(copy, from);
    await verifyCopy(copy, from, config.masterKey, opts.acceptUnkeyed === true);

    const at = stamp();
    let keptAs: string | null = null;
    if (existsSync(live)) {
      // fold the live WAL into the file first, so that the kept file is whole by itself
      const db = new SQLite(live, { fileMustExist: true });
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      keptAs = `${live}.before-restore-${at}`;
      renameSync(live, keptAs);
      if (existsSync(`${live}-wal`)) renameSync(`${live}-wal`, `${keptAs}-wal`);
      rmSync(`${live}-shm`, { force: true });
      log(`The previous database is kept as ${keptAs}.`);
    }
    renameSync(copy, live);
    cleanCopy();

    let anchorKeptAs: string | null = null;
    if (existsSync(config.auditAnchorFile)) {
      anchorKeptAs = `${config.auditAnchorFile}.before-restore-${at}`;
      renameSync(config.auditAnchorFile, anchorKeptAs);
      log(`The audit anchors of the replaced history are kept as ${anchorKeptAs}; a new anchor file starts at the restored head.`);
    }
    log(`Restored ${live} from ${from}.`);

    const ctx = await openContext(config);
    try {
      const audit = await verifyAuditAnchored(ctx);
      return { keptAs, anchorKeptAs, audit };
    } finally {
      await ctx.handle.close();
    }
  } finally {
    cleanCopy();
    lock.release();
  }
}
