import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { createSeededContext, dialects, userScope, type TestContext } from '../../../testing/harness.js';
import type { Scope } from '../../../platform/scope.js';
import { departments } from '../sources/departments.js';
import { fields } from '../sources/fields.js';
import { runImport } from './imports.service.js';
import { SAMPLE_ID, allowedValues, templateFor } from './templates.js';

async function login(app: FastifyInstance, username: string) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'Yiyang@2026' } });
  return { cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken };
}

async function sheets(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const rows = (name: string) => {
    const out: string[][] = [];
    wb.getWorksheet(name)!.eachRow((r) => out.push((r.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
    return out;
  };
  return { names: wb.worksheets.map((w) => w.name), rows };
}

describe('import templates', () => {
  it('lists, for each coded column, values its own field accepts', () => {
    for (const d of departments) {
      for (const c of d.columns) {
        const allowed = allowedValues(c.field);
        if (allowed) for (const v of allowed) expect(fields[c.field].parse(v).ok, `${d.key} ${c.field} ${v}`).toBe(true);
      }
    }
    expect(allowedValues('hardship')).toContain('低保');
    expect(allowedValues('name')).toBeNull();
  });
});

describe.each(dialects)('import templates over HTTP on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    app = await buildApp(ctx, { serveWeb: false });
    // a bureau administrator of one town (only the bureau imports): the templates follow their scope
    const admin = await ctx.db.selectFrom('users').selectAll().where('username', '=', 'admin').executeTakeFirstOrThrow();
    const town1 = await ctx.db.selectFrom('users').select('region_code').where('username', '=', 'town1').executeTakeFirstOrThrow();
    await ctx.db
      .insertInto('users')
      .values({
        username: 'townadmin',
        display_name: '镇管理员',
        password_hash: admin.password_hash,
        role: 'bureau_admin',
        region_code: town1.region_code,
        active: 1,
        created_at: admin.created_at,
      })
      .execute();
  });
  afterAll(async () => {
    await app.close();
    await ctx.cleanup();
  });

  const get = async (headers: Record<string, string>, url: string) => {
    const res = await app.inject({ method: 'GET', url, headers });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    return res;
  };
  const importAs = async (scope: Scope, source: string, body: Buffer | string, fileName: string) => {
    const path = join(ctx.dir, `t-${randomBytes(4).toString('hex')}`);
    writeFileSync(path, body);
    try {
      return await runImport(ctx, scope, { source, path, fileName, asOf: '2026-01-01' });
    } finally {
      rmSync(path, { force: true });
    }
  };

  it('gives each department a CSV and an XLSX whose header is its column map and whose sample row imports cleanly', async () => {
    const town = await login(app, 'townadmin');
    const scope = await userScope(ctx, 'townadmin');
    // household registration first: its sample creates the sample person the others attach to
    for (const d of departments) {
      const csv = await get(town, `/api/sources/${d.key}/template.csv`);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const lines = csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]!.split(',')).toEqual(d.columns.map((c) => c.headers[0]));
      expect(lines[1]).toContain(SAMPLE_ID);
      const done = await importAs(scope, d.key, csv.rawPayload, `${d.key}.csv`);
      expect({ source: d.key, status: done.status, bad: done.rows_bad, rows: done.rows_total }).toEqual({ source: d.key, status: 'applied', bad: 0, rows: 1 });
      if (d.createsPersons) expect(done.created).toBe(1);

      const xlsx = await get(town, `/api/sources/${d.key}/template.xlsx`);
      expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
      const book = await sheets(xlsx.rawPayload);
      expect(book.names).toEqual(['数据', '填写说明', '区划代码']);
      expect(book.rows('数据')[0]).toEqual(d.columns.map((c) => c.headers[0]));
      expect(book.rows('数据')[1]).toEqual(lines[1]!.split(','));
      // the same file imports as it is: nothing new, nothing refused
      const again = await importAs(scope, d.key, xlsx.rawPayload, `${d.key}.xlsx`);
      expect({ source: d.key, status: again.status, bad: again.rows_bad, created: again.created }).toEqual({
        source: d.key,
        status: 'applied',
        bad: 0,
        created: 0,
      });
    }
    const person = await ctx.db.selectFrom('persons').select(['name', 'hardship', 'disability_grade', 'region_code']).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ name: '示例老人', hardship: 'dibao', disability_grade: 2 });
    expect(person.region_code.startsWith(scope.regionPrefix)).toBe(true);
  });

  it('fills every column the sample can state with a value its field accepts', async () => {
    const scope = await userScope(ctx, 'townadmin');
    for (const d of departments) {
      const t = templateFor(d, scope, ctx.regions);
      d.columns.forEach((c, i) => {
        const cell = t.sample[i]!;
        // a column the sample leaves empty (a status date, a bank account: not made up even for a sample) is an optional one
        if (cell === '') return expect(c.required, `${d.key} ${c.field}`).toBe(false);
        expect(fields[c.field].parse(cell).ok, `${d.key} ${c.field} ${cell}`).toBe(true);
      });
    }
  });

  it('lists the allowed values of each coded column, and only the region codes of the viewer’s scope', async () => {
    const admin = await sheets((await get(await login(app, 'admin'), '/api/sources/civil_affairs/template.xlsx')).rawPayload);
    const town = await sheets((await get(await login(app, 'townadmin'), '/api/sources/civil_affairs/template.xlsx')).rawPayload);
    const hardship = town.rows('填写说明').find((r) => r[0] === '救助类别')!;
    expect(hardship[3]).toContain('低保边缘');
    expect(hardship[3]).toContain('特困（集中供养）');
    const name = town.rows('填写说明').find((r) => r[0] === '姓名')!;
    expect(name[3]).not.toContain('、低保');

    const codes = (b: typeof admin) =>
      b
        .rows('区划代码')
        .slice(3)
        .map((r) => r[0]!);
    const scope = await userScope(ctx, 'townadmin');
    const townCodes = codes(town);
    const adminCodes = codes(admin);
    expect(townCodes.length).toBeGreaterThan(1);
    expect(townCodes.every((c) => c.startsWith(scope.regionPrefix))).toBe(true);
    expect(adminCodes.length).toBeGreaterThan(townCodes.length);
    expect(adminCodes.filter((c) => c.startsWith(scope.regionPrefix))).toEqual(townCodes);
    expect(new Set(townCodes)).toEqual(
      new Set(
        ctx.regions
          .inScope(scope)
          .filter((r) => r.level === 'village' || r.level === 'town')
          .map((r) => r.code),
      ),
    );
  });

  it('refuses an unknown department and a role that may not import', async () => {
    const admin = await login(app, 'admin');
    expect((await app.inject({ method: 'GET', url: '/api/sources/nobody/template.xlsx', headers: admin })).statusCode).toBe(400);
    for (const who of ['inspector1', 'town1']) {
      const headers = await login(app, who);
      expect((await app.inject({ method: 'GET', url: '/api/sources/civil_affairs/template.xlsx', headers })).statusCode).toBe(403);
    }
  });
});
