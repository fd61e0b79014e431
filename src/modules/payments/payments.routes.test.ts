import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createSeededContext, dialects, importText, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { demoCard } from '../demo/files.js';
import { makeResidentId } from '../register/resident-id.js';

function multipart(name: string, content: Buffer) {
  const boundary = '----yiyang' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

// The console's path: a town officer downloads the bank file and uploads the bank's return file.
describe.each(dialects)('payments over HTTP (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let town1: Session;
  let inspector: Session;
  let grid1: Session;
  let rollId = 0;
  const ids = [1, 2].map((n) => makeResidentId('990101', '1938-02-03', n, 'F'));

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    app = await buildApp(ctx, { serveWeb: false });
    town1 = await loginAs(app, 'town1');
    inspector = await loginAs(app, 'inspector1');
    grid1 = await loginAs(app, 'grid1');
    const townCode = (await ctx.db.selectFrom('users').select('region_code').where('username', '=', 'town1').executeTakeFirstOrThrow()).region_code;
    const village = ctx.regions.all().find((r) => r.level === 'village' && r.parent_code === townCode)!.code;
    await importText(ctx, 'public_security', ['身份证号,姓名,村（社区）代码', `${ids[0]},周一,${village}`, `${ids[1]},吴二,${village}`].join('\n'));
    await importText(
      ctx,
      'civil_affairs',
      [
        '身份证号,姓名,银行卡号,开户银行,账户户名',
        ...ids.map((id, i) => `${id},${['周一', '吴二'][i]},${demoCard(id)},农村商业银行,${['周一', '吴二'][i]}`),
      ].join('\n'),
    );
    const persons = await ctx.db.selectFrom('persons').select(['id']).orderBy('id').execute();
    const r = await ctx.db
      .insertInto('payment_rolls')
      .values({
        run_id: 1,
        period: '2026-08',
        item_id: 'nx-1',
        item_name: '高龄津贴',
        town_code: townCode,
        status: 'draft',
        lines: 2,
        total_fen: 40000,
        made_by: null,
        made_by_name: null,
        made_at: null,
        checked_by: null,
        checked_by_name: null,
        checked_at: null,
        note: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    rollId = r.id;
    for (const p of persons)
      await ctx.db
        .insertInto('roll_lines')
        .values({ roll_id: rollId, person_id: p.id, region_code: village, amount_fen: 20000, standard_fen: 20000, excluded: 0, remark: null })
        .execute();
    await ctx.db.updateTable('payment_rolls').set({ status: 'approved' }).where('id', '=', rollId).execute();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('exports the disbursement file, takes the return file, and lists the failed line with its reason', async () => {
    // a role without payments (the inspector) and one that may reveal but not see rolls (grid worker): refused, nothing written
    for (const s of [inspector, grid1]) {
      const res = await call(app, s, { method: 'GET', url: `/api/payments/${rollId}/disbursement` });
      expect(res.statusCode).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
    }
    expect(await ctx.db.selectFrom('payment_batches').selectAll().execute()).toEqual([]);

    const file = await call(app, town1, { method: 'GET', url: `/api/payments/${rollId}/disbursement` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    expect(file.body).toContain(demoCard(ids[0]!));
    const ref = `YY202608-${rollId}`;

    const other = multipart('r.csv', Buffer.from(`批次号,身份证号,账号,金额,状态码,失败原因\r\nYY202608-99999,${ids[0]},,200.00,0000,\r\n`));
    const refused = await call(app, town1, { method: 'POST', url: `/api/payments/${rollId}/returns`, ...other });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'PAYMENT_RETURN_OTHER_ROLL', message: expect.stringContaining('整个文件未导入') } });

    const ok = multipart(
      '回盘.csv',
      Buffer.from(`批次号,身份证号,账号,金额,状态码,失败原因\r\n${ref},${ids[0]},,200.00,0000,\r\n${ref},${ids[1]},,200.00,3012,账户已冻结\r\n`),
    );
    const applied = await call(app, town1, { method: 'POST', url: `/api/payments/${rollId}/returns`, ...ok });
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toEqual({ returnId: expect.any(Number), rows: 2, paid: 1, failed: 1 });

    const detail = await call(app, town1, { method: 'GET', url: `/api/payments/${rollId}` });
    expect(detail.json()).toMatchObject({
      batch: { reference: ref, paid: 1, failed: 1, pending: 0 },
      failed: [{ name: '吴二', reason: '账户已冻结', bankCode: '3012', reissuedRollId: null }],
    });
    // masked everywhere but the disbursement file
    expect(detail.body).not.toContain(demoCard(ids[1]!));
    const list = await call(app, town1, { method: 'GET', url: '/api/payments' });
    expect(list.json().items).toEqual([expect.objectContaining({ rollId, batch: expect.objectContaining({ paid: 1, failed: 1 }) })]);
  });
});
