import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, dialects, type TestContext } from '../testing/harness.js';
import { recordAudit, verifyAudit } from './audit.js';
import { systemScope } from './scope.js';

describe.each(dialects)('audit chain on %s', (dialect) => {
  let ctx: TestContext;
  const scope = { ...systemScope('990101', '990101', 'tester'), ip: '127.0.0.1' };
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    for (let i = 1; i <= 6; i++) {
      await ctx.db.transaction().execute((trx) => recordAudit(trx, scope, {
        action: 'person.read', entityType: 'person', entityId: i, fields: ['name'], detail: { note: `phone 13812345678 id 990101194005061005 #${i}` },
      }));
    }
  });
  afterAll(async () => ctx.cleanup());

  it('chains entries and verifies an intact log', async () => {
    const rows = await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(await verifyAudit(ctx.db)).toEqual({ entries: 6, problems: [] });
  });

  it('masks IDs and phone numbers inside logged details', async () => {
    const row = await ctx.db.selectFrom('audit_log').select('detail').where('seq', '=', 1).executeTakeFirstOrThrow();
    expect(row.detail).toContain('138****5678');
    expect(row.detail).toContain('990101********1005');
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
