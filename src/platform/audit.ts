import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import { dialectOf } from '../db/dialect.js';
import type { AuditRow, Database } from '../db/tables.js';
import { maskText } from './mask.js';
import type { Scope } from './scope.js';
import { nowIso } from './time.js';

/**
 * The audit trail: one append-only, hash-chained log. Every entry is written inside the same
 * transaction as the read or change it records — the Transaction type makes that the only way.
 * Each entry's hash covers its content and the previous entry's hash, so an edited entry breaks
 * its own hash and a deleted one breaks the chain; `audit_head` holds the last seq and hash.
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

function entryHash(row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([
    row.seq, row.at, row.actor_id, row.actor, row.role, row.ip, row.action,
    row.entity_type, row.entity_id, row.region_code, row.fields, row.detail, row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export async function recordAudit(trx: Transaction<Database>, scope: Scope, entry: AuditEntry): Promise<number> {
  let q = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  // PostgreSQL: the row lock serialises concurrent appenders; SQLite transactions are already serial.
  if (dialectOf(trx) === 'postgres') q = q.forUpdate();
  const head = await q.executeTakeFirstOrThrow();
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
  const hash = entryHash(row);
  await trx.insertInto('audit_log').values({ ...row, hash }).execute();
  await trx.updateTable('audit_head').set({ seq: row.seq, hash }).where('id', '=', 1).execute();
  return row.seq;
}

export interface AuditProblem {
  seq: number;
  problem: 'edited' | 'missing' | 'chain_broken' | 'head_mismatch';
  message: string;
}

/** Walks the whole chain; finds edited entries, deleted entries and a truncated tail. */
export async function verifyAudit(db: Db, batch = 5000): Promise<{ entries: number; problems: AuditProblem[] }> {
  const problems: AuditProblem[] = [];
  let expectedSeq = 1;
  let prevHash = GENESIS;
  let entries = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(batch).execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      entries++;
      if (row.seq !== expectedSeq) {
        problems.push({ seq: expectedSeq, problem: 'missing', message: `entries ${expectedSeq}..${row.seq - 1} are missing (deleted)` });
      }
      if (row.prev_hash !== prevHash) {
        problems.push({ seq: row.seq, problem: 'chain_broken', message: `entry ${row.seq} does not follow the entry before it` });
      }
      const { hash, ...rest } = row;
      if (entryHash(rest) !== hash) {
        problems.push({ seq: row.seq, problem: 'edited', message: `entry ${row.seq} was changed after it was written` });
      }
      prevHash = hash;
      expectedSeq = row.seq + 1;
    }
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (head && (head.seq !== expectedSeq - 1 || head.hash !== prevHash)) {
    problems.push({ seq: head.seq, problem: 'head_mismatch', message: `the log ends at entry ${expectedSeq - 1} but ${head.seq} entries were written: entries at the end were deleted` });
  }
  return { entries, problems };
}
