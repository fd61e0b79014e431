import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createTestContext, dialects, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { ageOn, today } from '../../platform/time.js';
import { seedDemo } from '../demo/seed.js';
import type { BreakdownReply, DefinitionsReply, MembersReply, RefreshReply, ReportReply, ValuesReply } from './indicators.schema.js';

/**
 * Issue 20 through the API over the demo county, with the real registry: the 80+ assessment
 * coverage equals a count the test makes from the register's rows, drilling down lists exactly
 * those people (audited), a town officer sees only their town, the files open, the report has
 * seed 001's 19 rows in order.
 */
describe.each(dialects)('indicators API (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Session;
  let town1: Session;
  let town2Code: string;
  let town1Code: string;
  const asOf = today();
  const month = asOf.slice(0, 7);

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { loginRatePerMinute: 10_000 });
    await seedDemo(ctx, { elders: 400, seed: 20 });
    app = await buildApp(ctx, { serveWeb: false });
    admin = await loginAs(app, 'admin');
    town1 = await loginAs(app, 'town1');
    const users = await ctx.db.selectFrom('users').select(['username', 'region_code']).where('username', 'in', ['town1', 'town2']).execute();
    town1Code = users.find((u) => u.username === 'town1')!.region_code;
    town2Code = users.find((u) => u.username === 'town2')!.region_code;
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const get = <T>(s: Session, url: string) => call(app, s, { method: 'GET', url }).then((r) => ({ status: r.statusCode, body: r.json<T>(), res: r }));

  /** 80+ on the register and those with a valid assessment today, counted from the rows. */
  async function count80(prefix: string) {
    const rows = await ctx.db.selectFrom('persons').select(['id', 'birth_date', 'status', 'region_code', 'capability_on', 'capability_until']).execute();
    const den = rows.filter((p) => p.status === 'active' && p.region_code.startsWith(prefix) && ageOn(p.birth_date, asOf) >= 80);
    const num = den.filter((p) => p.capability_on !== null && p.capability_on <= asOf && p.capability_until! >= asOf);
    return { den: den.map((p) => p.id), num: num.map((p) => p.id) };
  }

  it('a first read computes the month; the 80+ coverage equals an independent count, and its drill-down lists exactly those people, audited', async () => {
    const t = Date.now();
    const v = await get<ValuesReply>(admin, '/api/indicators');
    console.log(`first dashboard read with the year's back-fill (${dialect}, 400 elders): ${Date.now() - t} ms`);
    expect(v.status).toBe(200);
    expect(v.body.period).toBe(month);
    expect(v.body.computedAt).not.toBeNull();
    const item = v.body.items.find((i) => i.key === 'assessed80')!;
    const expected = await count80(v.body.region.code.slice(0, 6));
    expect(expected.den.length).toBeGreaterThan(10);
    expect(item.numerator).toBe(expected.num.length);
    expect(item.denominator).toBe(expected.den.length);
    expect(item.value).toBe(Math.round((1000 * expected.num.length) / expected.den.length) / 10);

    const m = await get<MembersReply>(admin, `/api/indicators/assessed80/members?part=numerator&pageSize=200`);
    expect(m.status).toBe(200);
    expect(m.body.total).toBe(expected.num.length);
    expect(m.body.items.map((i) => i.id).sort()).toEqual([...expected.num].sort());
    expect(m.body.items.every((i) => i.inNumerator && i.idMasked && !/^\d{18}$/.test(i.idMasked))).toBe(true);
    const gap = await get<MembersReply>(admin, `/api/indicators/assessed80/members?part=gap&pageSize=200`);
    expect(gap.body.total).toBe(expected.den.length - expected.num.length);
    expect(gap.body.items.every((i) => !i.inNumerator)).toBe(true);

    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'indicators.members_read')
      .orderBy('seq', 'desc')
      .limit(2)
      .execute();
    expect(audit).toHaveLength(2);
    const shown = (JSON.parse(String(audit[1]!.detail)) as { persons: number[] }).persons;
    expect(shown.sort()).toEqual([...expected.num].sort());
  });

  it('a town officer sees their town and its villages only: another town, the county and its members are not found', async () => {
    const own = await get<ValuesReply>(town1, '/api/indicators');
    expect(own.status).toBe(200);
    expect(own.body.region.code).toBe(town1Code);
    expect(own.body.path.map((p) => p.code)).toEqual([town1Code]);
    expect(errorCode((await get(town1, `/api/indicators?region=${town2Code}`)).res)).toBe('NOT_FOUND');
    expect(errorCode((await get(town1, `/api/indicators/assessed80/members?region=${town2Code}`)).res)).toBe('NOT_FOUND');
    expect(errorCode((await get(town1, `/api/indicators/assessed80/regions?region=${ctx.regions.counties()[0]!.code}`)).res)).toBe('NOT_FOUND');
    const m = await get<MembersReply>(town1, `/api/indicators/assessed80/members?part=denominator&pageSize=200`);
    expect(m.body.total).toBe((await count80(ctx.regions.get(town1Code)!.prefix)).den.length);
    expect(m.body.items.every((i) => i.region.code.startsWith(ctx.regions.get(town1Code)!.prefix))).toBe(true);
  });

  it('the breakdown lists the children and adds up to the region with what is attached to it', async () => {
    const b = await get<BreakdownReply>(admin, '/api/indicators/assessed80/regions');
    expect(b.status).toBe(200);
    const sum = b.body.items.reduce((a, i) => a + i.numerator, 0);
    expect(sum + (b.body.unallocated?.numerator ?? 0)).toBe(b.body.indicator.numerator);
    expect(b.body.items.map((i) => i.region.level)).toContain('town');
    expect(errorCode((await get(admin, '/api/indicators/nope/regions')).res)).toBe('INDICATOR_NOT_FOUND');
  });

  it('caregivers per 10,000 elders divides by the elders the register holds (the refresh hands them over), after a full and an incremental refresh', async () => {
    const rows = await ctx.db.selectFrom('persons').select(['birth_date', 'status', 'region_code']).execute();
    const v0 = await get<ValuesReply>(admin, '/api/indicators');
    const prefix = v0.body.region.code.slice(0, 6);
    const elders = () => rows.filter((p) => p.status === 'active' && p.region_code.startsWith(prefix) && ageOn(p.birth_date, asOf) >= 60).length;
    expect(v0.body.items.find((i) => i.key === 'caregiversPer10k')!.denominator).toBe(elders());
    // an incremental refresh (no change) keeps the same denominator, read from the facts
    const r = await call(app, admin, { method: 'POST', url: '/api/indicators/refresh', payload: {} });
    expect(r.statusCode).toBe(200);
    const v1 = await get<ValuesReply>(admin, '/api/indicators');
    expect(v1.body.items.find((i) => i.key === 'caregiversPer10k')!.denominator).toBe(elders());
  });

  it('the files open: the members list and the values with one sheet per level', async () => {
    const res = await call(app, admin, { method: 'GET', url: '/api/indicators/assessed80/members.xlsx?part=numerator' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const expected = await count80(ctx.regions.counties()[0]!.prefix);
    expect(ws.rowCount - 3).toBe(expected.num.length);
    const res2 = await call(app, admin, { method: 'GET', url: '/api/indicators/export.xlsx' });
    expect(res2.statusCode).toBe(200);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(res2.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets.length).toBe(3); // the county, its towns, its villages
    // the words a reader expects: 姓名 for persons, 男/女 (Male/Female in English), the time in Asia/Shanghai
    expect(ws.getRow(3).getCell(1).value).toBe('姓名');
    const sexCol = (ws.getRow(3).values as unknown[]).indexOf('性别');
    const sexes = new Set<unknown>();
    for (let i = 4; i <= ws.rowCount; i++) sexes.add(ws.getRow(i).getCell(sexCol).value);
    expect([...sexes].every((x) => x === '男' || x === '女')).toBe(true);
    const en = await call(app, admin, { method: 'GET', url: '/api/indicators/assessed80/members.xlsx?part=numerator&lang=en' });
    const wbEn = new ExcelJS.Workbook();
    await wbEn.xlsx.load(en.rawPayload as unknown as ArrayBuffer);
    const wsEn = wbEn.worksheets[0]!;
    expect(wsEn.getRow(3).getCell(1).value).toBe('Name');
    expect(['Male', 'Female']).toContain(wsEn.getRow(4).getCell(sexCol).value);
    // each tab's file has its own name, as the tab reads
    const fileName = (r: { headers: Record<string, unknown> }) => decodeURIComponent(String(r.headers['content-disposition']));
    const gapFile = await call(app, admin, { method: 'GET', url: '/api/indicators/assessed80/members.xlsx?part=gap' });
    expect(fileName(res)).toContain('-计入-');
    expect(fileName(gapFile)).toContain('-未达到-');
    expect(fileName(en)).toContain('-numerator-');
    const facilities = await call(app, admin, { method: 'GET', url: '/api/indicators/nursingBedShare/members.xlsx?part=denominator' });
    const wbF = new ExcelJS.Workbook();
    await wbF.xlsx.load(facilities.rawPayload as unknown as ArrayBuffer);
    expect(wbF.worksheets[0]!.getRow(3).getCell(1).value).toBe('名称');
    const values = await get<ValuesReply>(admin, '/api/indicators');
    const local = new Date(new Date(values.body.computedAt!).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(String(wb2.worksheets[0]!.getRow(2).getCell(1).value)).toContain(`计算于 ${local}；`);
    const defs = await get<DefinitionsReply>(admin, '/api/indicators/definitions');
    expect(wb2.worksheets[0]!.rowCount - 3).toBe(defs.body.items.length);
  });

  it('the quarterly report has seed 001’s 19 rows in order, then the others', async () => {
    const q = `${asOf.slice(0, 4)}Q${Math.ceil(Number(asOf.slice(5, 7)) / 3)}`;
    const r = await get<ReportReply>(admin, `/api/indicators/report?quarter=${q}`);
    expect(r.status).toBe(200);
    expect(r.body.period).toBe(month);
    expect(r.body.rows.map((x) => x.seedRow)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(r.body.rows.find((x) => x.seedRow === 4)!.key).toBe('assessed80');
    expect(r.body.others.length).toBeGreaterThan(0);
    expect(r.body.others.every((x) => x.seedRow === null)).toBe(true);
    expect(errorCode((await get(admin, '/api/indicators/report?quarter=2099Q1')).res)).toBe('INDICATOR_PERIOD_FUTURE');
  });

  it('the bureau refreshes (incremental after the first); a town officer may not', async () => {
    const r = await call(app, admin, { method: 'POST', url: '/api/indicators/refresh', payload: {} });
    expect(r.statusCode).toBe(200);
    expect(r.json<RefreshReply>().mode).toBe('incremental');
    const f = await call(app, admin, { method: 'POST', url: '/api/indicators/refresh', payload: { full: true } });
    expect(f.json<RefreshReply>().mode).toBe('full');
    expect(f.json<RefreshReply>().persons).toBeGreaterThan(100);
    expect((await call(app, town1, { method: 'POST', url: '/api/indicators/refresh', payload: {} })).statusCode).toBe(403);
    // the first read filled the year behind this month (nothing older existed): a whole trend
    const s = await get<{ points: Array<{ period: string }> }>(admin, '/api/indicators/assessed80/series');
    expect(s.body.points).toHaveLength(12);
    expect(s.body.points.at(-1)!.period).toBe(month);
  });
});
