import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userScope as platformUserScope } from '../../platform/scope.js';
import { countyScope, createTestContext, dialects, type TestContext } from '../../testing/harness.js';
import { listAnomalies } from '../services/anomalies.js';
import { listBeds } from '../services/beds.js';
import { myOrders } from '../services/evv.js';
import { listOrders } from '../services/orders.js';
import { search } from '../register/register.service.js';
import { seedDemo } from './seed.js';

/** The demo county's home services: the provider's office and caregivers work on the first start. */
describe.each(dialects)('demo home services (%s)', (dialect) => {
  let ctx: TestContext;
  const logged: string[] = [];
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    await seedDemo(ctx, { elders: 600, seed: 17 }, (s) => logged.push(s));
  });
  afterAll(async () => ctx?.cleanup());

  const scopeOf = async (username: string) => {
    const u = await ctx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
    const r = ctx.regions.get(u.region_code)!;
    return platformUserScope({ id: u.id, username: u.username, role: u.role as 'provider' }, { code: r.code, prefix: r.prefix }, null, {
      organisationId: u.organisation_id,
      assignedOnly: false,
    });
  };

  it('gives provider1 and the caregivers their organisation, and caregiver1 visits waiting for today', async () => {
    expect(logged.some((l) => l.includes('home services:'))).toBe(true);
    console.log(logged.find((l) => l.includes('home services:')));
    const provider = await scopeOf('provider1');
    expect(provider.organisationId).toBeGreaterThan(0);
    const mine = await myOrders(ctx, await scopeOf('caregiver1'));
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((o) => o.status === 'assigned' || o.status === 'checked_in')).toBe(true);
    // the provider's office sees its own clients in the register, and only them
    const seen = await search(ctx, provider, { page: 1, pageSize: 200 } as never);
    expect(seen.total).toBeGreaterThan(0);
    expect(seen.total).toBeLessThanOrEqual(60);
  });

  it('leaves last month with verified visits and the planted exceptions for the queue', async () => {
    const all = await listOrders(ctx, countyScope(ctx), { page: 1, pageSize: 200 } as never);
    expect(all.total).toBeGreaterThan(40);
    const anomalies = await listAnomalies(ctx, countyScope(ctx), { page: 1, pageSize: 200 } as never);
    const codes = new Set(anomalies.items.map((a) => a.code));
    for (const code of ['far_checkin', 'too_short', 'overlap', 'cert_expired']) expect(codes, code).toContain(code);
    // planted, not everywhere: most visits are clean
    expect(anomalies.total).toBeLessThan(all.total / 3);
    const beds = await listBeds(ctx, countyScope(ctx), { page: 1, pageSize: 50 } as never);
    expect(beds.active).toBe(12);
  });
});
