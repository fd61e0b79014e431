import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { makeResidentId } from './modules/register/resident-id.js';
import { seedDemo } from './modules/demo/seed.js';
import { createTestContext, type TestContext } from './testing/harness.js';
import { call, loginAs, type Session } from './testing/http.js';

const CJK = /[\u3400-\u9fff\uff00-\uffef]/;
const EN = { 'accept-language': 'en' };

/**
 * Refusals answer in the viewer's language (issue 13, seam 7): domain refusals, Fastify's zod
 * validation (field path kept) and import row reasons (API and CSV report). The wording does not
 * depend on the database, so this runs on SQLite only.
 */
describe("errors in the viewer's language", () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Session;
  let town1: Session;
  let rollId: number;

  beforeAll(async () => {
    ctx = await createTestContext('sqlite', { loginRatePerMinute: 10_000 });
    await seedDemo(ctx, { elders: 300, seed: 4 });
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    admin = await loginAs(app, 'admin');
    town1 = await loginAs(app, 'town1');
    const rolls = (await call(app, town1, { method: 'GET', url: '/api/rolls?status=draft' })).json<{ items: { id: number }[] }>();
    rollId = rolls.items[0]!.id;
    const submitted = await call(app, town1, { method: 'POST', url: `/api/rolls/${rollId}/submit`, payload: {} });
    expect(submitted.statusCode).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('a refused roll submit answers 409 in English or in Chinese', async () => {
    const en = await call(app, town1, { method: 'POST', url: `/api/rolls/${rollId}/submit`, payload: {}, headers: EN });
    expect(en.statusCode).toBe(409);
    expect(en.json().error).toMatchObject({ code: 'ROLL_ALREADY_SUBMITTED', message: 'The roll is already submitted and awaits checking' });
    const zh = await call(app, town1, { method: 'POST', url: `/api/rolls/${rollId}/submit`, payload: {} });
    expect(zh.json().error).toMatchObject({ code: 'ROLL_ALREADY_SUBMITTED', message: '名册已提交，等待审核' });
  });

  it("a period too far ahead answers 400 in the viewer's language", async () => {
    const en = await call(app, admin, { method: 'POST', url: '/api/runs', payload: { period: '2999-01' }, headers: EN });
    expect(en.statusCode).toBe(400);
    expect(en.json().error.code).toBe('PERIOD_TOO_FAR');
    expect(en.json().error.message).toMatch(/^Runs go at most to next month \(\d{4}-\d{2}\)$/);
    const zh = await call(app, admin, { method: 'POST', url: '/api/runs', payload: { period: '2999-01' } });
    expect(zh.json().error.message).toMatch(/^最远只能测算下个月/);
  });

  it('a zod validation error names the field and reads in English or Chinese', async () => {
    const en = await call(app, admin, { method: 'POST', url: '/api/runs', payload: { period: '2026-13' }, headers: EN });
    expect(en.statusCode).toBe(400);
    const e = en.json<{ error: { code: string; message: string; details: { field: string; message: string }[] } }>().error;
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toBe('Invalid request: body.period: is not in the expected format (regex)');
    expect(e.details).toEqual([{ field: 'body.period', message: 'body.period: is not in the expected format (regex)' }]);
    const zh = await call(app, admin, { method: 'POST', url: '/api/runs', payload: { period: '2026-13' } });
    expect(zh.json().error.message).toBe('请求参数有误：body.period: 格式不正确（regex）');
    const missing = await call(app, admin, { method: 'POST', url: '/api/runs', payload: {}, headers: EN });
    expect(missing.json().error.message).toBe('Invalid request: body.period: must be of type string');
    const big = await call(app, admin, { method: 'GET', url: '/api/rolls/1?pageSize=9999', headers: EN });
    expect(big.json().error.message).toBe('Invalid request: querystring.pageSize: must be at most 500');
  });

  it("an import's row errors and its CSV report read in the requester's language", async () => {
    const village = ctx.regions.all().find((r) => r.level === 'village')!.code;
    const good = makeResidentId('990101', '1938-08-08', 1, 'F');
    const csv = `身份证号,姓名,性别,村（社区）代码\n${good},钱秀兰,女,${village}\n990101193808081234,孙强,男,${village}\n${makeResidentId('990101', '1939-01-02', 3, 'M')},赵刚,未知,${village}\n${good},钱秀兰,女,${village}\n`;
    const boundary = '----lang';
    const payload = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\npublic_security\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    );
    const res = await call(app, admin, {
      method: 'POST',
      url: '/api/imports',
      payload,
      headers: { ...EN, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toMatch(/^3 rows have errors/);
    const id = res.json().error.details.importId as number;

    type Item = { row: number; column: string | null; reason: string };
    const en = (await call(app, admin, { method: 'GET', url: `/api/imports/${id}/errors`, headers: EN })).json<{ items: Item[] }>().items;
    expect(en.map((i) => i.row)).toEqual([3, 4, 5]);
    expect(en[0]!.reason).toBe('The resident ID check digit is wrong');
    expect(en[1]!.reason).toBe('sex (male or female): "未知" is not one of the allowed values (男/女/M/F)');
    expect(en[2]!.reason).toBe('Same resident ID as row 2');
    const zh = (await call(app, admin, { method: 'GET', url: `/api/imports/${id}/errors` })).json<{ items: Item[] }>().items;
    expect(zh.map((i) => i.reason)).toEqual(['身份证号校验位错误', '性别“未知”不在可选值中（男/女/M/F）', '与第 2 行的身份证号重复']);

    const report = await call(app, admin, { method: 'GET', url: `/api/imports/${id}/errors.csv`, headers: EN });
    const lines = report.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('row,column,value,reason');
    expect(lines[1]).toMatch(/^3,身份证号,990101\*{12},The resident ID check digit is wrong$/);
    expect(lines[3]).toMatch(/,Same resident ID as row 2$/);
    expect(lines[1]!.split(',').at(-1)).not.toMatch(CJK);
    const zhReport = await call(app, admin, { method: 'GET', url: `/api/imports/${id}/errors.csv` });
    expect(zhReport.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('行号,列,值,原因');
    const linked = await call(app, admin, { method: 'GET', url: `/api/imports/${id}/errors.csv?lang=en` });
    expect(linked.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('row,column,value,reason');

    // a row stored before reasons were codes (no params) still reads, as written
    await ctx.db
      .insertInto('import_errors')
      .values({ import_id: id, row_no: 99, column_name: '姓名', value: 'x', reason: '旧的原因', code: 'invalid', params: null })
      .execute();
    const old = (await call(app, admin, { method: 'GET', url: `/api/imports/${id}/errors?pageSize=10`, headers: EN })).json<{ items: Item[] }>().items;
    expect(old.at(-1)).toMatchObject({ row: 99, reason: '旧的原因' });
  });
});
