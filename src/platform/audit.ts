import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db, Executor } from '../db/database.js';
import { dialectOf, dropAppendOnly, makeAppendOnly } from '../db/dialect.js';
import type { AuditRow, Database } from '../db/tables.js';
import { maskText } from './mask.js';
import { everywhere, type Scope } from './scope.js';
import { nowIso } from './time.js';

/**
 * The audit trail: one append-only, hash-chained log. Every entry is written inside the same
 * transaction as the read or change it records — the Transaction type makes that the only way.
 * Each entry's hash covers its content and the previous entry's hash, so an edited entry breaks
 * its own hash and a deleted one breaks the chain; `audit_head` holds the last seq and hash.
 *
 * The hash is an HMAC-SHA256 under a key derived from the master key (never stored in the
 * database), so someone who can write the database but does not hold the key cannot recompute
 * the chain after deleting or editing entries. What the key cannot show — the tail cut off
 * together with the head row — the anchor file outside the database shows (audit-anchor.ts).
 */
export interface AuditEntry {
  action: string;
  entityType?: string;
  entityId?: string | number;
  regionCode?: string | null;
  /** names of the fields read or changed */
  fields?: string[];
  /** extra facts; text in it is masked before it is stored */
  detail?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

/** settings row that says the chain is keyed; absent in databases written before it was. */
export const AUDIT_CHAIN_SETTING = 'audit_chain';
const KEYED = 'hmac-sha256';

type Hasher = (canonical: string) => string;
const plainSha256: Hasher = (c) => createHash('sha256').update(c).digest('hex');

/**
 * The audit key travels with the database handle: Kysely shares one adapter object between a
 * handle and every transaction opened on it, so the key is found from `trx` without callers
 * passing it, and two handles with different keys (tests, a backup being checked) never mix.
 */
const hashers = new WeakMap<object, Hasher>();
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema
const adapterOf = (db: Kysely<any>): object => db.getExecutor().adapter;

/** The audit-chain key for this handle: HKDF-SHA256 of the master key, its own label. */
export function bindAuditKey(db: Db, masterKey: Buffer): void {
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'yiyang/audit-chain', 32));
  hashers.set(adapterOf(db), (c) => createHmac('sha256', key).update(c).digest('hex'));
}

function hasherOf(db: Executor): Hasher {
  const h = hashers.get(adapterOf(db));
  if (!h) throw new Error('No audit key is bound to this database handle: open it through openContext (src/bootstrap.ts)');
  return h;
}

function canonical(row: Omit<AuditRow, 'hash'>): string {
  return JSON.stringify([
    row.seq,
    row.at,
    row.actor_id,
    row.actor,
    row.role,
    row.ip,
    row.action,
    row.entity_type,
    row.entity_id,
    row.region_code,
    row.fields,
    row.detail,
    row.prev_hash,
  ]);
}

export async function recordAudit(trx: Transaction<Database>, scope: Scope, entry: AuditEntry): Promise<number> {
  const hasher = hasherOf(trx);
  let q = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  // PostgreSQL: the row lock serialises concurrent appenders; SQLite transactions are already serial.
  if (dialectOf(trx) === 'postgres') q = q.forUpdate();
  const head = await q.executeTakeFirst();
  if (!head) {
    throw new Error(
      'The audit chain head (table audit_head, row 1) is missing: nothing can be recorded until it is restored. The audit log may have been tampered with: run verify-audit.',
    );
  }
  const row: Omit<AuditRow, 'hash'> = {
    seq: head.seq + 1,
    at: nowIso(),
    actor_id: scope.userId,
    actor: scope.username,
    role: scope.role,
    ip: scope.ip,
    action: entry.action,
    entity_type: entry.entityType ?? null,
    entity_id: entry.entityId === undefined ? null : String(entry.entityId),
    region_code: entry.regionCode ?? null,
    fields: entry.fields ? JSON.stringify(entry.fields) : null,
    detail: entry.detail ? maskText(JSON.stringify(entry.detail)) : null,
    prev_hash: head.hash,
  };
  const hash = hasher(canonical(row));
  await trx
    .insertInto('audit_log')
    .values({ ...row, hash })
    .execute();
  await trx.updateTable('audit_head').set({ seq: row.seq, hash }).where('id', '=', 1).execute();
  return row.seq;
}

export interface AuditProblem {
  seq: number;
  problem: 'edited' | 'missing' | 'chain_broken' | 'head_mismatch' | 'head_missing' | 'anchor_mismatch' | 'anchor_beyond_end' | 'anchor_unreadable';
  message: string;
}

/** A (seq, hash) kept outside the database: a line of the anchor file or one an operator wrote down. */
export interface Anchor {
  seq: number;
  hash: string;
  /** where it comes from, for messages: 'anchor file line 3', 'operator' */
  source: string;
}

export interface AuditVerification {
  entries: number;
  /** the last entry of the log as walked (null when empty) */
  last: { seq: number; hash: string } | null;
  problems: AuditProblem[];
}

/**
 * Walks the whole chain with this handle's key; finds edited entries, deleted entries, a
 * truncated tail, a missing head, and any disagreement with the anchors given.
 * `legacy`: check a chain written before it was keyed (plain SHA-256) — only the upgrade does.
 */
export async function verifyAudit(db: Db, opts: { anchors?: Anchor[]; batch?: number; legacy?: boolean } = {}): Promise<AuditVerification> {
  const hasher = opts.legacy ? plainSha256 : hasherOf(db);
  const batch = opts.batch ?? 5000;
  const anchors = new Map<number, Anchor[]>();
  for (const a of opts.anchors ?? []) anchors.set(a.seq, [...(anchors.get(a.seq) ?? []), a]);
  const problems: AuditProblem[] = [];
  let expectedSeq = 1;
  let prevHash = GENESIS;
  let entries = 0;
  const checkAnchorsBefore = (seq: number, found?: { seq: number; hash: string }) => {
    // anchors for entries that are gone (seq skipped) and for the entry found
    for (let s = expectedSeq; s <= seq; s++) {
      for (const a of anchors.get(s) ?? []) {
        if (found && s === found.seq) {
          if (a.hash !== found.hash)
            problems.push({ seq: s, problem: 'anchor_mismatch', message: `entry ${s} does not match the ${a.source}: it was replaced` });
        } else problems.push({ seq: s, problem: 'anchor_mismatch', message: `entry ${s}, recorded in the ${a.source}, is missing` });
      }
    }
  };
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(batch).execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      entries++;
      if (row.seq !== expectedSeq) {
        problems.push({ seq: expectedSeq, problem: 'missing', message: `entries ${expectedSeq}..${row.seq - 1} are missing (deleted)` });
      }
      if (anchors.size) checkAnchorsBefore(row.seq, row);
      if (row.prev_hash !== prevHash) {
        problems.push({ seq: row.seq, problem: 'chain_broken', message: `entry ${row.seq} does not follow the entry before it` });
      }
      const { hash, ...rest } = row;
      if (hasher(canonical(rest)) !== hash) {
        problems.push({
          seq: row.seq,
          problem: 'edited',
          message: `entry ${row.seq} was changed after it was written (or written without this deployment's key)`,
        });
      }
      prevHash = hash;
      expectedSeq = row.seq + 1;
    }
  }
  const lastSeq = expectedSeq - 1;
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (!head) {
    problems.push({
      seq: lastSeq,
      problem: 'head_missing',
      message: 'the head row (audit_head) was deleted: entries at the end may have been deleted with it',
    });
  } else if (head.seq !== lastSeq || head.hash !== prevHash) {
    problems.push({
      seq: head.seq,
      problem: 'head_mismatch',
      message: `the log ends at entry ${lastSeq} but ${head.seq} entries were written: entries at the end were deleted`,
    });
  }
  const beyond = (opts.anchors ?? []).filter((a) => a.seq > lastSeq).sort((a, b) => b.seq - a.seq)[0];
  if (beyond) {
    problems.push({
      seq: beyond.seq,
      problem: 'anchor_beyond_end',
      message: `the log ends at entry ${lastSeq} but the ${beyond.source} records entry ${beyond.seq}: entries at the end were deleted`,
    });
  }
  return { entries, last: lastSeq ? { seq: lastSeq, hash: prevHash } : null, problems };
}

/** Whether this database's chain is keyed (false for one written before keying and not yet opened since). */
export async function isChainKeyed(db: Db): Promise<boolean> {
  const marker = await db.selectFrom('settings').select('value').where('key', '=', AUDIT_CHAIN_SETTING).executeTakeFirst();
  return marker?.value === KEYED;
}

/**
 * Once per database: a chain written before the chain was keyed (plain SHA-256) is checked and,
 * if intact, re-keyed with this deployment's key in one transaction, recorded as `audit.rekey`.
 * Refused when the anchor file already exists: that file exists only once a keyed chain has been
 * anchored, so an unkeyed chain next to it means someone made it look unkeyed to have a rewritten
 * log re-keyed. Returns the number of entries re-keyed.
 */
export async function upgradeAuditChain(db: Db, opts: { anchorFile: string; anchorFileExists: boolean }): Promise<number> {
  const marker = await db.selectFrom('settings').select('value').where('key', '=', AUDIT_CHAIN_SETTING).executeTakeFirst();
  if (marker?.value === KEYED) return 0;
  if (marker) throw new Error(`Unknown audit chain kind "${marker.value}" in settings.${AUDIT_CHAIN_SETTING}`);
  const setMarker = (ex: Executor) =>
    ex.insertInto('settings').values({ key: AUDIT_CHAIN_SETTING, value: KEYED, updated_at: nowIso(), updated_by: null }).execute();
  const old = await verifyAudit(db, { legacy: true });
  if (old.entries === 0 && old.problems.length === 0) {
    await setMarker(db);
    return 0;
  }
  if (opts.anchorFileExists) {
    throw new Error(
      `The audit chain in this database is not keyed, but the anchor file ${opts.anchorFile} exists, so it was keyed before: refusing to re-key it (that would bless a rewritten log). Run verify-audit. If you restored an old backup by hand, move the anchor file away first (restore does this itself).`,
    );
  }
  if (old.problems.length) {
    throw new Error(
      `The (unkeyed) audit chain is not intact, so it is not re-keyed: ${old.problems.length} problems, first: #${old.problems[0]!.seq} ${old.problems[0]!.message}`,
    );
  }
  const hasher = hasherOf(db);
  return db.transaction().execute(async (trx) => {
    await dropAppendOnly(trx, 'audit_log');
    let prev = GENESIS;
    let after = 0;
    for (;;) {
      const rows = await trx.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(5000).execute();
      if (rows.length === 0) break;
      for (const { hash: _old, ...row } of rows) {
        const hash = hasher(canonical({ ...row, prev_hash: prev }));
        await trx.updateTable('audit_log').set({ prev_hash: prev, hash }).where('seq', '=', row.seq).execute();
        prev = hash;
        after = row.seq;
      }
    }
    await trx.updateTable('audit_head').set({ seq: after, hash: prev }).where('id', '=', 1).execute();
    await makeAppendOnly(trx, 'audit_log');
    await setMarker(trx);
    await recordAudit(trx, everywhere(), { action: 'audit.rekey', detail: { entries: old.entries, from: 'sha256', to: KEYED } });
    return old.entries;
  });
}

export interface AuditFilter {
  action?: string;
  entityType?: string;
  entityId?: string;
  /** the operator's username */
  actor?: string;
  /** entries about this person: naming them as their entity, or a list read that showed them */
  personId?: number;
  /** instants (UTC ISO): entries at or after `fromAt`, and before `toAt` */
  fromAt?: string;
  toAt?: string;
  limit: number;
  offset: number;
}

/**
 * Entries of the log, newest first: the audit page's list and export, and a profile's access
 * history. The log is the platform's: modules read it through this function, never its table.
 *
 * A person is named by an entry's entity (a profile read, a change), or in the `persons` list a
 * list read writes into its detail (auditedRead puts it last): matched as a whole number in that
 * list, so person 1 does not match a list showing person 11.
 */
export async function listAudit(db: Executor, f: AuditFilter) {
  let q = db.selectFrom('audit_log');
  if (f.action) q = q.where('action', '=', f.action);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.actor) q = q.where('actor', '=', f.actor);
  if (f.fromAt) q = q.where('at', '>=', f.fromAt);
  if (f.toAt) q = q.where('at', '<', f.toAt);
  if (f.personId !== undefined) {
    const id = String(Math.trunc(f.personId));
    const list = ['%"persons":[' + id + ']%', '%"persons":[' + id + ',%', '%"persons":[%,' + id + ',%', '%"persons":[%,' + id + ']%'];
    q = q.where((eb) => eb.or([eb.and([eb('entity_type', '=', 'person'), eb('entity_id', '=', id)]), ...list.map((pattern) => eb('detail', 'like', pattern))]));
  }
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('seq', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
