import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createSeededContext, dialects, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import type { ItemsReply, ServiceItemView } from './providers.schema.js';

describe.each(dialects)('service items: price and standard minutes in range on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Session;
  let item: ServiceItemView;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    admin = await loginAs(app, 'admin');
    item = (await call(app, admin, { method: 'GET', url: '/api/services/items' })).json<ItemsReply>().items.find((i) => i.code === 'clean')!;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const stored = async () =>
    await ctx.db.selectFrom('service_items').select(['price_fen', 'standard_minutes']).where('id', '=', item.id).executeTakeFirstOrThrow();
  const create = (patch: Record<string, unknown>, lang = 'zh-CN') =>
    call(app, admin, {
      method: 'POST',
      url: '/api/services/items',
      headers: { 'accept-language': lang },
      payload: {
        code: `x_${Math.random().toString(36).slice(2, 8)}`,
        category: 'other',
        nameZh: '测试项目',
        nameEn: 'Test item',
        priceFen: 3_000,
        standardMinutes: 60,
        ...patch,
      },
    });
  const message = (res: { json<T>(): T }) => res.json<{ error: { message: string } }>().error.message;

  it('refuses a price of 0 fen or above 10,000 yuan, saying the field and the range in zh and en; nothing is written', async () => {
    const before = await stored();
    const zero = await call(app, admin, { method: 'PATCH', url: `/api/services/items/${item.id}`, payload: { priceFen: 0 } });
    expect(zero.statusCode).toBe(400);
    expect(errorCode(zero)).toBe('SERVICE_ITEM_PRICE_RANGE');
    expect(message(zero)).toContain('0.01');
    expect(message(zero)).toContain('10000');
    expect(message(zero)).toContain('价格');
    const huge = await call(app, admin, {
      method: 'PATCH',
      url: `/api/services/items/${item.id}`,
      headers: { 'accept-language': 'en' },
      payload: { priceFen: 1_000_001 },
    });
    expect(errorCode(huge)).toBe('SERVICE_ITEM_PRICE_RANGE');
    expect(message(huge)).toMatch(/price/i);
    expect(message(huge)).toContain('10000');
    expect(await stored()).toEqual(before);

    const items = async () =>
      Number(
        (
          await ctx.db
            .selectFrom('service_items')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const n = await items();
    expect(errorCode(await create({ priceFen: 0 }))).toBe('SERVICE_ITEM_PRICE_RANGE');
    expect(errorCode(await create({ priceFen: 1_000_001 }))).toBe('SERVICE_ITEM_PRICE_RANGE');
    expect(await items()).toBe(n);

    // the bounds themselves are allowed
    expect((await call(app, admin, { method: 'PATCH', url: `/api/services/items/${item.id}`, payload: { priceFen: 1 } })).statusCode).toBe(200);
    expect((await call(app, admin, { method: 'PATCH', url: `/api/services/items/${item.id}`, payload: { priceFen: 1_000_000 } })).statusCode).toBe(200);
    expect((await create({ priceFen: 1 })).statusCode).toBe(201);
  });

  it('refuses standard minutes outside 5–720, saying the field and the range in zh and en', async () => {
    const long = await call(app, admin, { method: 'PATCH', url: `/api/services/items/${item.id}`, payload: { standardMinutes: 721 } });
    expect(errorCode(long)).toBe('SERVICE_ITEM_MINUTES_RANGE');
    expect(message(long)).toContain('5');
    expect(message(long)).toContain('720');
    expect(message(long)).toContain('标准时长');
    const short = await create({ standardMinutes: 4 }, 'en');
    expect(errorCode(short)).toBe('SERVICE_ITEM_MINUTES_RANGE');
    expect(message(short)).toMatch(/standard minutes.*5.*720/i);
    expect((await call(app, admin, { method: 'PATCH', url: `/api/services/items/${item.id}`, payload: { standardMinutes: 720 } })).statusCode).toBe(200);
    expect((await create({ standardMinutes: 5 })).statusCode).toBe(201);
  });
});
