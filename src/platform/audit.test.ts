import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openContext } from '../bootstrap.js';
import { makeAppendOnly } from '../db/dialect.js';
import type { AuditRow } from '../db/tables.js';
import { createTestContext, dialects, type TestContext } from '../testing/harness.js';
import { AUDIT_CHAIN_SETTING, recordAudit, verifyAudit, type AuditProblem } from './audit.js';
import { anchorAudit, parseAnchor, verifyAuditAnchored } from './audit-anchor.js';
import { systemScope } from './scope.js';

describe.each(dialects)('audit chain on %s', (dialect) => {
  let ctx: TestContext;
  const scope = { ...systemScope('990101', '990101', 'tester'), ip: '127.0.0.1' };
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    for (let i = 1; i <= 6; i++) {
      await ctx.db.transaction().execute((trx) =>
        recordAudit(trx, scope, {
          action: 'person.read',
          entityType: 'person',
          entityId: i,
          fields: ['name'],
          detail: { note: `phone 13812345678 id 990101194005061005 #${i}` },
        }),
      );
    }
  });
  afterAll(async () => ctx.cleanup());

  it('chains entries and verifies an intact log', async () => {
    const rows = await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(await verifyAudit(ctx.db)).toMatchObject({ entries: 6, last: { seq: 6, hash: rows[5]!.hash }, problems: [] });
  });

  it('masks IDs and phone numbers inside logged details', async () => {
    const row = await ctx.db.selectFrom('audit_log').select('detail').where('seq', '=', 1).executeTakeFirstOrThrow();
    expect(row.detail).toContain('138****5678');
    expect(row.detail).toContain('990101************');
    expect(row.detail).not.toContain('1005');
    expect(row.detail).not.toContain('13812345678');
  });

  it('refuses UPDATE and DELETE at the database level', async () => {
    await expect(ctx.db.updateTable('audit_log').set({ actor: 'mallory' }).where('seq', '=', 2).execute()).rejects.toThrow(/append-only/);
    await expect(ctx.db.deleteFrom('audit_log').where('seq', '=', 2).execute()).rejects.toThrow(/append-only/);
  });

  it('finds an edited entry, a deleted one and a cut tail once someone bypasses the triggers', async () => {
    // Someone with direct access to the database drops the guard and tampers.
    if (dialect === 'postgres') await sql`DROP TRIGGER audit_log_append_only ON audit_log`.execute(ctx.db);
    else {
      await sql`DROP TRIGGER audit_log_no_update`.execute(ctx.db);
      await sql`DROP TRIGGER audit_log_no_delete`.execute(ctx.db);
    }
    await ctx.db.updateTable('audit_log').set({ actor: 'mallory' }).where('seq', '=', 2).execute();
    await ctx.db.deleteFrom('audit_log').where('seq', '=', 4).execute();
    await ctx.db.deleteFrom('audit_log').where('seq', '=', 6).execute();
    const { problems } = await verifyAudit(ctx.db);
    expect(problems.map((p) => [p.seq, p.problem])).toEqual([
      [2, 'edited'],
      [4, 'missing'],
      [5, 'chain_broken'],
      [6, 'head_mismatch'],
    ]);
  });
});

/** What a database-level attacker does once the append-only triggers are gone. */
async function dropGuard(ctx: TestContext): Promise<void> {
  if (ctx.dialect === 'postgres') await sql`DROP TRIGGER audit_log_append_only ON audit_log`.execute(ctx.db);
  else {
    await sql`DROP TRIGGER audit_log_no_update`.execute(ctx.db);
    await sql`DROP TRIGGER audit_log_no_delete`.execute(ctx.db);
  }
}

/** The chain as the attacker recomputes it without the key: plain SHA-256 over the same fields. */
function plainHash(r: AuditRow): string {
  return createHash('sha256')
    .update(
      JSON.stringify([r.seq, r.at, r.actor_id, r.actor, r.role, r.ip, r.action, r.entity_type, r.entity_id, r.region_code, r.fields, r.detail, r.prev_hash]),
    )
    .digest('hex');
}

describe.each(dialects)('keyed audit chain and its anchor on %s', (dialect) => {
  let ctx: TestContext;
  const scope = { ...systemScope('990101', '990101', 'tester'), ip: '127.0.0.1' };
  const kinds = (problems: AuditProblem[]) => problems.map((p) => p.problem);

  beforeEach(async () => {
    ctx = await createTestContext(dialect);
    for (let i = 1; i <= 6; i++) {
      await ctx.db.transaction().execute((trx) => recordAudit(trx, scope, { action: 'person.read', entityType: 'person', entityId: i }));
    }
    // the server (or the CLI after a command) writes the head to the anchor file outside the database
    expect(await anchorAudit(ctx)).toMatchObject({ seq: 6 });
    expect(await anchorAudit(ctx)).toBeNull(); // the head did not move: no new line
  });
  afterEach(async () => ctx.cleanup());

  it('writes the anchor file with mode 0600, one JSON line per anchor', async () => {
    const lines = readFileSync(ctx.config.auditAnchorFile, 'utf8').trim().split('\n');
    // one line written when the database was first opened (head 0), one for entry 6
    expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([0, 6]);
    expect(JSON.parse(lines[1]!)).toMatchObject({ seq: 6, hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: expect.any(String) });
    expect(statSync(ctx.config.auditAnchorFile).mode & 0o077).toBe(0);
    expect(await verifyAuditAnchored(ctx)).toMatchObject({ entries: 6, problems: [] });
  });

  it('finds the tail deleted together with the head row', async () => {
    await dropGuard(ctx);
    await ctx.db.deleteFrom('audit_log').where('seq', '>=', 5).execute();
    await ctx.db.deleteFrom('audit_head').execute();
    const { problems } = await verifyAuditAnchored(ctx);
    expect(kinds(problems)).toContain('head_missing');
    expect(kinds(problems)).toContain('anchor_beyond_end');
  });

  it('finds the tail deleted and the head rewritten to match what is left', async () => {
    await dropGuard(ctx);
    await ctx.db.deleteFrom('audit_log').where('seq', '>=', 5).execute();
    const last = await ctx.db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', '=', 4).executeTakeFirstOrThrow();
    await ctx.db.updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
    const { problems } = await verifyAuditAnchored(ctx);
    expect(problems.map((p) => [p.seq, p.problem])).toEqual([[6, 'anchor_beyond_end']]);
  });

  it('finds chosen entries deleted and the chain recomputed with plain SHA-256, even without an anchor', async () => {
    await dropGuard(ctx);
    await ctx.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
    for (const seq of [4, 5, 6])
      await ctx.db
        .updateTable('audit_log')
        .set({ seq: seq - 1 })
        .where('seq', '=', seq)
        .execute();
    let prev = '0'.repeat(64);
    for (const row of await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq').execute()) {
      const hash = plainHash({ ...row, prev_hash: prev });
      await ctx.db.updateTable('audit_log').set({ prev_hash: prev, hash }).where('seq', '=', row.seq).execute();
      prev = hash;
    }
    await ctx.db.updateTable('audit_head').set({ seq: 5, hash: prev }).where('id', '=', 1).execute();
    // the keyed chain alone: every recomputed entry fails its HMAC
    const keyed = await verifyAudit(ctx.db);
    expect(keyed.problems.map((p) => [p.seq, p.problem])).toEqual([1, 2, 3, 4, 5].map((s) => [s, 'edited']));
    // and the anchor says the log once reached entry 6 with another hash
    expect(kinds((await verifyAuditAnchored(ctx)).problems)).toContain('anchor_beyond_end');
  });

  it('checks an operator-kept anchor (SEQ:HASH) as well as the file', async () => {
    const head = await ctx.db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
    expect((await verifyAudit(ctx.db, { anchors: [parseAnchor(`${head.seq}:${head.hash}`)] })).problems).toEqual([]);
    const wrong = parseAnchor(`3:${'a'.repeat(64)}`);
    expect((await verifyAudit(ctx.db, { anchors: [wrong] })).problems.map((p) => [p.seq, p.problem])).toEqual([[3, 'anchor_mismatch']]);
    expect(() => parseAnchor('3:xyz')).toThrow(/SEQ:HASH/);
  });

  it('a missing head row makes recording fail with a clear error, not a TypeError', async () => {
    await ctx.db.deleteFrom('audit_head').execute();
    const err = await ctx.db
      .transaction()
      .execute((trx) => recordAudit(trx, scope, { action: 'person.read' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/audit_head.*missing/);
  });

  it('entries written with another master key do not verify', async () => {
    const other = await createTestContext(dialect);
    try {
      const rows = await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      await dropGuard(other);
      await other.db.deleteFrom('audit_log').execute();
      for (const r of rows) await other.db.insertInto('audit_log').values(r).execute();
      await other.db.updateTable('audit_head').set({ seq: 6, hash: rows[5]!.hash }).where('id', '=', 1).execute();
      expect((await verifyAudit(other.db)).problems.filter((p) => p.problem === 'edited')).toHaveLength(6);
    } finally {
      await other.cleanup();
    }
  });

  it('re-keys a plain SHA-256 chain once at open and records it; refuses when an anchor file exists', async () => {
    // make this database look like one written before the chain was keyed
    await dropGuard(ctx);
    let prev = '0'.repeat(64);
    for (const row of await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq').execute()) {
      const hash = plainHash({ ...row, prev_hash: prev });
      await ctx.db.updateTable('audit_log').set({ prev_hash: prev, hash }).where('seq', '=', row.seq).execute();
      prev = hash;
    }
    await ctx.db.updateTable('audit_head').set({ seq: 6, hash: prev }).where('id', '=', 1).execute();
    await ctx.db.deleteFrom('settings').where('key', '=', AUDIT_CHAIN_SETTING).execute();
    await makeAppendOnly(ctx.db, 'audit_log');

    // an anchor file exists: a database-level attacker must not be able to have the chain re-keyed
    await expect(openContext(ctx.config, ctx.handle)).rejects.toThrow(/anchor/);
    expect((await verifyAudit(ctx.db)).problems.length).toBeGreaterThan(0);

    rmSync(ctx.config.auditAnchorFile);
    const reopened = await openContext(ctx.config, ctx.handle);
    const result = await verifyAuditAnchored(reopened);
    expect(result).toMatchObject({ entries: 7, problems: [] });
    const last = await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last.action).toBe('audit.rekey');
    expect(readFileSync(ctx.config.auditAnchorFile, 'utf8')).toContain(`"seq":7`);
    // the triggers are back
    await expect(ctx.db.deleteFrom('audit_log').where('seq', '=', 2).execute()).rejects.toThrow(/append-only/);
    // a second open changes nothing
    await openContext(ctx.config, ctx.handle);
    expect((await ctx.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq).toBe(7);
  });
});
