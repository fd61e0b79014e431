import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { listAudit, recordAudit } from '../../platform/audit.js';
import { auditedRead } from '../../platform/reads.js';
import type { Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { HEADER_ROW } from '../../platform/xlsx.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { dayBounds, exportLog, list } from './audit.service.js';

const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('audit date bounds', () => {
  it('takes civil dates as days in Asia/Shanghai', () => {
    expect(dayBounds('2026-03-01', '2026-03-01')).toEqual({ fromAt: '2026-02-28T16:00:00.000Z', toAt: '2026-03-01T16:00:00.000Z' });
    expect(dayBounds(undefined, '2024-02-29')).toEqual({ fromAt: undefined, toAt: '2024-02-29T16:00:00.000Z' });
  });
});

/** The audit log for people (issue 14): filters by date, operator, action and person; read by the inspector; exported. */
describe.each(dialects)('audit log filters and export on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let town1: Scope;
  let admin: Scope;
  let inspector: Session;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    town1 = await userScope(ctx, 'town1');
    admin = await userScope(ctx, 'admin');
    // person 1 read by town1 (profile), persons 11 and 21 shown by admin's list read, person 1 changed by admin
    await ctx.db.transaction().execute((trx) => recordAudit(trx, town1, { action: 'person.read', entityType: 'person', entityId: 1 }));
    await auditedRead(
      ctx.db,
      admin,
      async () => [11, 21],
      (ids) => ({ action: 'register.search', entityType: 'person', persons: ids, detail: { q: null } }),
    );
    await ctx.db
      .transaction()
      .execute((trx) =>
        recordAudit(trx, admin, { action: 'register.resolve_conflict', entityType: 'person', entityId: 1, detail: { conflictId: 11, choice: 'keep' } }),
      );
    await auditedRead(
      ctx.db,
      town1,
      async () => [3, 1],
      (ids) => ({ action: 'register.search', entityType: 'person', persons: ids }),
    );
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    inspector = await loginAs(app, 'inspector1');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const seqs = async (f: Parameters<typeof listAudit>[1]) => (await listAudit(ctx.db, f)).rows.map((r) => `${r.actor} ${r.action} ${r.entity_id ?? ''}`.trim());
  const page = { limit: 100, offset: 0 };

  it('filters by operator and action', async () => {
    expect(await seqs({ ...page, actor: 'town1' })).toEqual(['town1 register.search', 'town1 person.read 1']);
    expect(await seqs({ ...page, actor: 'admin', action: 'register.search' })).toEqual(['admin register.search']);
    expect(await seqs({ ...page, actor: 'nobody' })).toEqual([]);
  });

  it("filters by person: entries about them and list reads that showed them, not another person's whose id contains theirs", async () => {
    expect(await seqs({ ...page, personId: 1 })).toEqual(['town1 register.search', 'admin register.resolve_conflict 1', 'town1 person.read 1']);
    expect(await seqs({ ...page, personId: 11 })).toEqual(['admin register.search']);
    expect(await seqs({ ...page, personId: 21 })).toEqual(['admin register.search']);
    expect(await seqs({ ...page, personId: 3 })).toEqual(['town1 register.search']);
    expect(await seqs({ ...page, personId: 2 })).toEqual([]);
  });

  it('filters by a date range in the jurisdiction’s days', async () => {
    const on = today();
    const total = (await listAudit(ctx.db, page)).total;
    const count = async (q: Parameters<typeof list>[2]) => (await list(ctx, admin, q, 1, 100)).total;
    expect(await count({ from: on, to: on })).toBe(total);
    expect(await count({ to: shift(on, -1) })).toBe(0);
    expect(await count({ from: shift(on, 1) })).toBe(0);
    expect(await count({ from: shift(on, -3), actor: 'town1' })).toBe(2);
  });

  it('lets the inspector read the audit log (oversight), with its filters, and refuses a grid worker', async () => {
    const res = await call(app, inspector, { method: 'GET', url: `/api/audit?actor=town1&personId=1&from=${today()}` });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ items: { action: string }[] }>().items.map((i) => i.action)).toEqual(['register.search', 'person.read']);
    const grid = await call(app, await loginAs(app, 'grid1'), { method: 'GET', url: '/api/audit' });
    expect(grid.statusCode).toBe(403);
    const gridExport = await call(app, await loginAs(app, 'grid1'), { method: 'GET', url: '/api/audit/export' });
    expect(gridExport.statusCode).toBe(403);
    const bad = await call(app, inspector, { method: 'GET', url: '/api/audit?from=2026-02-30' });
    expect(errorCode(bad)).toBe('VALIDATION');
  });

  it('exports the filtered log as XLSX with actions in words, and records the export with its filter and count', async () => {
    const res = await call(app, inspector, { method: 'GET', url: '/api/audit/export?actor=town1' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const headers = (ws.getRow(HEADER_ROW).values as unknown[]).slice(1);
    const actionCol = headers.indexOf('操作') + 1;
    expect(actionCol).toBeGreaterThan(0);
    expect([ws.getRow(HEADER_ROW + 1).getCell(actionCol).value, ws.getRow(HEADER_ROW + 2).getCell(actionCol).value]).toEqual(['查询名册', '查看档案']);
    expect(ws.rowCount).toBe(HEADER_ROW + 2);
    const entry = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'audit.export').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(entry.actor).toBe('inspector1');
    expect(JSON.parse(entry.detail!)).toMatchObject({ list: 'audit', filter: { actor: 'town1' }, count: 2 });
  });

  it('refuses an export above the row cap, naming the count, and records nothing', async () => {
    const before = (await listAudit(ctx.db, page)).total;
    expect(await codeOf(exportLog(ctx, admin, { actor: 'town1' }, 1))).toBe('EXPORT_TOO_LARGE');
    expect((await listAudit(ctx.db, page)).total).toBe(before);
    expect(await codeOf(exportLog(ctx, admin, { actor: 'town1' }, 2))).toBe('resolved');
  });
});
