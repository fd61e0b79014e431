import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { prefixUpperBound } from '../../db/dialect.js';
import { createTestContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, loginAs } from '../../testing/http.js';
import { ageOn, today } from '../../platform/time.js';
import { seedDemo } from '../demo/seed.js';
import { handleChange } from '../entitlements/entitlements.service.js';
import { setPause } from '../entitlements/pauses.js';
import { editLine } from '../entitlements/rolls.service.js';
import { coverage } from '../assessment/coverage.js';
import { dueCounts } from '../assessment/due.js';
import type { WorkbenchReply } from './workbench.schema.js';
import { workbench } from './workbench.service.js';

const countOf = (r: WorkbenchReply, key: string) => r.todos.find((t) => t.key === key)?.count;

describe.each(dialects)('workbench (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let runId: number;

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { loginRatePerMinute: 10_000 });
    await seedDemo(ctx, { elders: 300, seed: 14 });
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    runId = (await ctx.db.selectFrom('entitlement_runs').select('id').where('status', '=', 'finished').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  /** Unhandled changes of the latest run under a region prefix, counted straight from the rows. */
  async function unhandled(prefix: string, verify: boolean) {
    const r = await ctx.db
      .selectFrom('decision_changes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_id', '=', runId)
      .where('handled_at', 'is', null)
      .where('kind', verify ? '=' : '!=', 'verify')
      .where('region_code', '>=', prefix)
      .where('region_code', '<', prefixUpperBound(prefix))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  it("a town officer's to-dos are their town's: the counts match the rows of that town, not the county's", async () => {
    // town2: the demo county's changes this month fall in town2 and others, none in town1
    const town = await userScope(ctx, 'town2');
    const county = await userScope(ctx, 'admin');
    const mine = await workbench(ctx, town);
    const all = await workbench(ctx, county);
    expect(mine.todos.map((t) => t.key).sort()).toEqual(['changes', 'conflicts', 'failedPayments', 'paused', 'rollsToSubmit', 'verify']);
    expect(countOf(mine, 'changes')).toBe(await unhandled(town.regionPrefix, false));
    expect(countOf(mine, 'verify')).toBe(await unhandled(town.regionPrefix, true));
    expect(countOf(all, 'changes')).toBe(await unhandled(county.regionPrefix, false));
    // the demo county has changes outside town1 too, so the town's count is a part of the county's
    expect(countOf(mine, 'changes')!).toBeGreaterThan(0);
    expect(countOf(mine, 'changes')!).toBeLessThan(countOf(all, 'changes')!);
    expect(mine.todos.find((t) => t.key === 'changes')!.runId).toBe(runId);

    const draft = await ctx.db
      .selectFrom('payment_rolls')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', ['draft', 'returned'])
      .where('town_code', '>=', town.regionPrefix)
      .where('town_code', '<', prefixUpperBound(town.regionPrefix))
      .executeTakeFirstOrThrow();
    expect(countOf(mine, 'rollsToSubmit')).toBe(Number(draft.n));
    expect(Number(draft.n)).toBeGreaterThan(0);
    // the bureau approves, imports; the town does neither
    expect(countOf(all, 'rollsToApprove')).toBe(0);
    expect(countOf(all, 'failedImports')).toBe(0);
    // the town's figures are its own town only
    expect(mine.population!.byTown.map((t) => t.code)).toEqual([town.regionCode]);
    expect(all.population!.byTown.length).toBeGreaterThan(1);
  });

  it('following up a change takes it off the count', async () => {
    const grid = await userScope(ctx, 'grid1');
    // two changes in the grid worker's village (the seed's fall elsewhere)
    const person = await ctx.db
      .selectFrom('persons')
      .select(['id', 'region_code'])
      .where('region_code', '=', grid.regionCode)
      .limit(1)
      .executeTakeFirstOrThrow();
    const base = { run_id: runId, person_id: person.id, region_code: person.region_code, old_value: null, missing: null, handled_by: null, handled_at: null };
    await ctx.db
      .insertInto('decision_changes')
      .values([
        { ...base, item_id: 'wb-1', kind: 'new', new_value: 10000 },
        { ...base, item_id: 'wb-2', kind: 'verify', new_value: null, missing: 'hardship' },
      ])
      .execute();
    const before = await workbench(ctx, grid);
    const change = await ctx.db
      .selectFrom('decision_changes')
      .select('id')
      .where('run_id', '=', runId)
      .where('handled_at', 'is', null)
      .where('kind', '!=', 'verify')
      .where('region_code', '>=', grid.regionPrefix)
      .where('region_code', '<', prefixUpperBound(grid.regionPrefix))
      .executeTakeFirstOrThrow();
    await handleChange(ctx, grid, change.id, true);
    const after = await workbench(ctx, grid);
    expect(countOf(after, 'changes')).toBe(countOf(before, 'changes')! - 1);
    expect(countOf(after, 'changes')).toBe(await unhandled(grid.regionPrefix, false));
    // a grid worker neither prepares rolls nor reads them
    expect(after.todos.map((t) => t.key).sort()).toEqual(['changes', 'verify']);
    expect(countOf(after, 'verify')).toBe(await unhandled(grid.regionPrefix, true));
    expect(countOf(after, 'verify')).toBeGreaterThan(0);
    expect(after.allowance).toBeNull();
  });

  it("counts the paused people and the failed bank payments of the viewer's towns (issue 14)", async () => {
    const town = await userScope(ctx, 'town2');
    const county = await userScope(ctx, 'admin');
    // paused: the latest month's lines held back (the demo's elders without an account) — people, not lines
    const period = (
      await ctx.db
        .selectFrom('payment_rolls')
        .select((eb) => eb.fn.max('period').as('p'))
        .executeTakeFirstOrThrow()
    ).p!;
    // and the people under an active pause the month's rolls have not seen yet (issue 19: the demo's
    // residents of institutions, paused from the month after their admission)
    const paused = async (prefix: string) =>
      new Set([
        ...(
          await ctx.db
            .selectFrom('roll_lines')
            .innerJoin('payment_rolls', 'payment_rolls.id', 'roll_lines.roll_id')
            .select('roll_lines.person_id')
            .where('payment_rolls.period', '=', period)
            .where('payment_rolls.kind', '=', 'regular')
            .where('payment_rolls.status', '!=', 'superseded')
            .where('roll_lines.excluded', '=', 1)
            .where('roll_lines.region_code', '>=', prefix)
            .where('roll_lines.region_code', '<', prefixUpperBound(prefix))
            .execute()
        ).map((r) => r.person_id),
        ...(
          await ctx.db
            .selectFrom('payment_pauses')
            .select('person_id')
            .where('lifted_at', 'is', null)
            .where('region_code', '>=', prefix)
            .where('region_code', '<', prefixUpperBound(prefix))
            .execute()
        ).map((r) => r.person_id),
      ]).size;
    const town1 = await userScope(ctx, 'town1');
    expect(countOf(await workbench(ctx, county), 'paused')).toBe(await paused(county.regionPrefix));
    const before = {
      town: countOf(await workbench(ctx, town), 'paused')!,
      county: countOf(await workbench(ctx, county), 'paused')!,
      town1: countOf(await workbench(ctx, town1), 'paused')!,
    };
    expect(before.town).toBe(await paused(town.regionPrefix));
    // the town holds one line back and pauses another person: two more people, in town2 and the county only
    const roll = await ctx.db
      .selectFrom('payment_rolls')
      .selectAll()
      .where('period', '=', period)
      .where('kind', '=', 'regular')
      .where('status', '=', 'draft')
      .where('town_code', '=', town.regionCode)
      .executeTakeFirstOrThrow();
    const [first, second] = await ctx.db
      .selectFrom('roll_lines')
      .select('person_id')
      .where('roll_id', '=', roll.id)
      .where('excluded', '=', 0)
      .orderBy('person_id')
      .limit(2)
      .execute();
    await editLine(ctx, town, roll.id, first!.person_id, { excluded: true, remark: '待核实' });
    await setPause(ctx, town, second!.person_id, { reason: 'missing', items: null, since: period, note: '多次上门未见本人' });
    expect(countOf(await workbench(ctx, town), 'paused')).toBe(before.town + 2);
    expect(countOf(await workbench(ctx, county), 'paused')).toBe(before.county + 2);
    expect(countOf(await workbench(ctx, town1), 'paused')).toBe(before.town1);
    // failed payments: one the bank returned in town2, not yet paid again
    expect(countOf(await workbench(ctx, town), 'failedPayments')).toBe(0);
    const village = ctx.regions.all().find((r) => r.level === 'village' && r.code.startsWith(town.regionPrefix))!.code;
    const batch = await ctx.db
      .insertInto('payment_batches')
      .values({
        roll_id: roll.id,
        reference: 'TEST-1',
        period,
        item_id: roll.item_id,
        item_name: roll.item_name,
        town_code: roll.town_code,
        bank: 'default',
        lines: 1,
        total_fen: 6000,
        exported_by: null,
        exported_by_name: 'test',
        exported_at: new Date().toISOString(),
        exports: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ctx.db
      .insertInto('payment_lines')
      .values({
        batch_id: batch.id,
        roll_id: roll.id,
        person_id: first!.person_id,
        region_code: village,
        period,
        item_id: 'nx-10',
        kind: 'regular',
        amount_fen: 6000,
        id_hash: 'h',
        card_hash: 'c',
        card_masked: '6222 **** **** 0000',
        bank: null,
        holder: null,
        status: 'failed',
        bank_code: 'E01',
        reason: '账户已销户',
        return_id: null,
        reissued_roll_id: null,
        reissued_at: null,
      })
      .execute();
    expect(countOf(await workbench(ctx, town), 'failedPayments')).toBe(1);
    expect(countOf(await workbench(ctx, county), 'failedPayments')).toBe(1);
    expect(countOf(await workbench(ctx, town1), 'failedPayments')).toBe(0);
  });

  it('the figures count the active persons by age band, and the allowance is the rolls of the month', async () => {
    const county = await userScope(ctx, 'admin');
    const on = today();
    const r = await workbench(ctx, county, on);
    const persons = await ctx.db.selectFrom('persons').select(['birth_date']).where('status', '=', 'active').execute();
    const ages = persons.map((p) => ageOn(p.birth_date, on)).filter((a) => a >= 60);
    expect(r.population!.total).toBe(ages.length);
    expect(r.population!.over80).toBe(ages.filter((a) => a >= 80).length);
    expect(r.population!.byBand.find((b) => b.band === '70-79')!.n).toBe(ages.filter((a) => a >= 70 && a < 80).length);
    expect(r.population!.byTown.reduce((a, t) => a + t.total, 0)).toBe(ages.length);

    const period = on.slice(0, 7);
    const rolls = await sql<{ total: number }>`select coalesce(sum(total_fen), 0) as total from payment_rolls
      where period = ${period} and status in ('draft', 'submitted', 'returned', 'approved')`.execute(ctx.db);
    const month = r.allowance!.find((a) => a.period === period)!;
    expect(month.totalFen).toBe(Number(rolls.rows[0]!.total));
    expect(month.totalFen).toBeGreaterThan(0);
    expect(month.approvedFen).toBe(0);
    expect(r.activity.filter((a) => a.kind === 'run').length).toBeGreaterThanOrEqual(2);
    expect(r.activity.some((a) => a.kind === 'import')).toBe(true);
  });

  it('a provider sees no figures of persons, no to-dos and no activity', async () => {
    const r = await workbench(ctx, await userScope(ctx, 'provider1'));
    expect(r).toMatchObject({ todos: [], activity: [], population: null, allowance: null, rolls: null, assessment: null, visits: null, timebank: null });
  });

  it('has a visits block for the roles that read visits (issue 16): a visitor gets their due today, others null there', async () => {
    const grid = (await workbench(ctx, await userScope(ctx, 'grid1'))).visits!;
    expect(grid.myDueToday).not.toBeNull();
    expect(grid.month).toBe(today().slice(0, 7));
    const [head, hotline, town] = await Promise.all(['head1', 'hotline1', 'town1'].map(async (u) => (await workbench(ctx, await userScope(ctx, u))).visits!));
    for (const v of [head, hotline, town]) expect(v).toMatchObject({ myDueToday: null, targetPercent: 100 });
    // the town's overdue and rate cover the village head's
    expect(town!.overdue).toBeGreaterThanOrEqual(head!.overdue);
    expect(town!.rate.due).toBeGreaterThanOrEqual(head!.rate.due);
    expect((await workbench(ctx, await userScope(ctx, 'assessor1'))).visits).toBeNull();
  });

  it("shows the 80+ coverage and the due counts of the viewer's region as the assessment schedule counts them", async () => {
    const town = await userScope(ctx, 'town1');
    const county = await userScope(ctx, 'admin');
    const mine = (await workbench(ctx, town)).assessment!;
    const all = (await workbench(ctx, county)).assessment!;
    const cov = await coverage(ctx, town, {});
    expect(mine.coverage).toEqual(cov.region);
    expect(mine.byRegion).toEqual(cov.children);
    expect(mine).toMatchObject({ olderAge: 80, target: 1, ...(await dueCounts(ctx, ctx.db, town)), assignedToMe: null, toCosign: null });
    expect(mine.toReview).not.toBeNull();
    expect(all.coverage.older).toBeGreaterThan(mine.coverage.older);
    expect(all.byRegion.find((r) => r.code === town.regionCode)).toEqual(cov.region);
    expect(all.overdue).toBeGreaterThanOrEqual(mine.overdue);
    // a grid worker does not read assessments; an assessor sees their region's counts and their own due persons
    expect((await workbench(ctx, await userScope(ctx, 'grid1'))).assessment).toBeNull();
    const assessor = (await workbench(ctx, await userScope(ctx, 'assessor1'))).assessment!;
    expect(assessor).toMatchObject({ toReview: null, overdue: mine.overdue });
    expect(assessor.assignedToMe).not.toBeNull();
    // the submitted assessments that name assessor2 as second assessor and wait for the co-signature
    const second = await userScope(ctx, 'assessor2');
    const waiting = await ctx.db
      .selectFrom('assessments')
      .select('id')
      .where('assessor2_id', '=', second.userId)
      .where('status', '=', 'submitted')
      .where('cosigned_at', 'is', null)
      .execute();
    expect((await workbench(ctx, second)).assessment!.toCosign).toBe(waiting.length);
  });

  it('GET /api/workbench answers every signed-in role through its schema, writes no audit entry, and refuses the anonymous', async () => {
    const grid = await loginAs(app, 'grid1');
    const before = Number((await sql<{ n: number }>`select count(*) as n from audit_log`.execute(ctx.db)).rows[0]!.n);
    const res = await call(app, grid, { method: 'GET', url: '/api/workbench' });
    expect(res.statusCode).toBe(200);
    const body = res.json<WorkbenchReply>();
    expect(body.todos.find((t) => t.key === 'changes')).toMatchObject({ runId });
    const after = Number((await sql<{ n: number }>`select count(*) as n from audit_log`.execute(ctx.db)).rows[0]!.n);
    expect(after).toBe(before);
    expect(JSON.stringify(body)).not.toMatch(/idMasked|personId|birthDate/);
    expect((await call(app, null, { method: 'GET', url: '/api/workbench' })).statusCode).toBe(401);
  });
});
