import { appendFileSync, chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from '../db/database.js';
import { verifyAudit, type Anchor, type AuditProblem, type AuditVerification } from './audit.js';
import { nowIso } from './time.js';

/**
 * The audit chain's anchor outside the database: an append-only file (AUDIT_ANCHOR_FILE, mode
 * 0600) of JSON lines `{seq, hash, at}`, each the chain's head when it was written. The server
 * appends one every AUDIT_ANCHOR_SECONDS when the head moved, and on shutdown; the CLI after a
 * command that wrote audit entries. verify-audit checks the database against every line: an
 * attacker who deletes the tail of the log together with its head row (which no key can reveal)
 * is caught by an anchor for an entry that is no longer there.
 */
export interface AnchorTarget {
  db: Db;
  config: { auditAnchorFile: string };
}

const HASH = /^[0-9a-f]{64}$/;

/** An operator-kept anchor written as `SEQ:HASH` (what `audit-anchor` prints). */
export function parseAnchor(text: string, source = 'operator anchor'): Anchor {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (!m) throw new Error(`An anchor is written SEQ:HASH (a number, a colon, 64 hex digits), got "${text}"`);
  return { seq: Number(m[1]), hash: m[2]!, source };
}

/** Every line of the anchor file; a line that cannot be read is a problem, not a crash. */
export function readAnchorFile(file: string): { anchors: Anchor[]; problems: AuditProblem[] } {
  const anchors: Anchor[] = [];
  const problems: AuditProblem[] = [];
  if (!existsSync(file)) return { anchors, problems };
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const a = JSON.parse(line) as { seq?: unknown; hash?: unknown };
      if (typeof a.seq !== 'number' || !Number.isInteger(a.seq) || a.seq < 0 || typeof a.hash !== 'string' || !HASH.test(a.hash)) throw new Error('bad fields');
      anchors.push({ seq: a.seq, hash: a.hash, source: `anchor file line ${i + 1}` });
    } catch {
      problems.push({ seq: 0, problem: 'anchor_unreadable', message: `line ${i + 1} of the anchor file ${file} is not an anchor: it was edited` });
    }
  });
  return { anchors, problems };
}

/** The last line of the anchor file (read from its end: the file only grows). */
function lastAnchor(file: string): { seq: number; hash: string } | null {
  if (!existsSync(file)) return null;
  const size = statSync(file).size;
  const len = Math.min(size, 4096);
  const buf = Buffer.alloc(len);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, len, size - len);
  } finally {
    closeSync(fd);
  }
  const line = buf.toString('utf8').trimEnd().split('\n').at(-1);
  try {
    const a = JSON.parse(line ?? '') as { seq: number; hash: string };
    return typeof a.seq === 'number' ? a : null;
  } catch {
    return null;
  }
}

/** Appends one anchor line; creates the file (and its directory) private to this user. */
export function appendAnchor(file: string, head: { seq: number; hash: string }): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, JSON.stringify({ seq: head.seq, hash: head.hash, at: nowIso() }) + '\n', { mode: 0o600, flag: 'a' });
  if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
}

/**
 * Anchors the current head if it moved past the last anchor (or there is no anchor file yet).
 * Returns what it wrote, or null. A head behind the last anchor is not written: verify-audit
 * reports it.
 */
export async function anchorAudit(ctx: AnchorTarget): Promise<{ seq: number; hash: string } | null> {
  const head = await ctx.db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (!head) return null;
  const file = ctx.config.auditAnchorFile;
  const last = lastAnchor(file);
  if (last && head.seq <= last.seq) return null;
  appendAnchor(file, head);
  return { seq: head.seq, hash: head.hash };
}

/** The database chain with this deployment's key, checked against the anchor file and any operator anchors. */
export async function verifyAuditAnchored(ctx: AnchorTarget, extra: Anchor[] = []): Promise<AuditVerification> {
  const file = readAnchorFile(ctx.config.auditAnchorFile);
  const result = await verifyAudit(ctx.db, { anchors: [...file.anchors, ...extra] });
  return { ...result, problems: [...file.problems, ...result.problems] };
}

/** The server's anchoring: every `seconds` when the head moved, and once more on stop. */
export function startAuditAnchoring(ctx: AnchorTarget, seconds: number, onError: (e: unknown) => void): { stop(): Promise<void> } {
  let busy: Promise<unknown> = Promise.resolve();
  const tick = () => {
    busy = busy.then(() => anchorAudit(ctx)).catch(onError);
    return busy;
  };
  const timer = seconds > 0 ? setInterval(() => void tick(), seconds * 1000) : undefined;
  timer?.unref();
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await tick();
    },
  };
}
