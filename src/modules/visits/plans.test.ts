import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import { SimulatedCrash, waitForJobs } from '../../platform/jobs.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { codeOf, countyScope, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs } from '../../testing/http.js';
import { assign } from './assignments.js';
import { factBuilder } from '../catalogue/facts.js';
import { compilePlans } from './plan-rules.js';
import { listMembers, personVisitPlan, planFacts, plansOverview, refreshPlans, refreshTuning, REFRESH_JOB } from './plans.js';
import { DEFAULT_VISIT_SETTINGS } from './visits.settings.js';
import type { MembersReply, PersonPlanReply, PlansReply } from './plans.schema.js';
import { windowOf } from './windows.js';

describe('plan windows (pure)', () => {
  it('a calendar week runs Monday to Sunday, a month is the calendar month', () => {
    // 2026-03-04 is a Wednesday
    expect(windowOf('2026-03-04', 'weekly', 'calendar')).toEqual({ start: '2026-03-02', end: '2026-03-08' });
    expect(windowOf('2026-03-02', 'weekly', 'calendar')).toEqual({ start: '2026-03-02', end: '2026-03-08' });
    expect(windowOf('2026-03-08', 'weekly', 'calendar')).toEqual({ start: '2026-03-02', end: '2026-03-08' });
    expect(windowOf('2026-03-09', 'weekly', 'calendar')).toEqual({ start: '2026-03-09', end: '2026-03-15' });
    // a week over the year's end
    expect(windowOf('2026-01-01', 'weekly', 'calendar')).toEqual({ start: '2025-12-29', end: '2026-01-04' });
    expect(windowOf('2028-02-15', 'monthly', 'calendar')).toEqual({ start: '2028-02-01', end: '2028-02-29' });
    expect(windowOf('2026-02-28', 'monthly', 'rolling')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
  });
  it('a rolling week is 7 days counted from its anchor (joining, or the day after the last counted visit)', () => {
    expect(windowOf('2026-03-04', 'weekly', 'rolling', '2026-03-04')).toEqual({ start: '2026-03-04', end: '2026-03-10' });
    expect(windowOf('2026-03-10', 'weekly', 'rolling', '2026-03-04')).toEqual({ start: '2026-03-04', end: '2026-03-10' });
    expect(windowOf('2026-03-11', 'weekly', 'rolling', '2026-03-04')).toEqual({ start: '2026-03-11', end: '2026-03-17' });
    expect(windowOf('2026-04-01', 'weekly', 'rolling', '2026-03-04')).toEqual({ start: '2026-04-01', end: '2026-04-07' });
    expect(windowOf('2026-03-04', 'weekly', 'rolling')).toEqual({ start: '2026-03-04', end: '2026-03-10' });
  });
});

describe('the facts the plans read (pure)', () => {
  it('agree with the catalogue fact builder for the facts the rules name', () => {
    const names = new Set(compilePlans(DEFAULT_VISIT_SETTINGS.plans).flatMap((p) => p.facts));
    const pf = planFacts('2026-03', () => false, names);
    const full = factBuilder('2026-03', () => false);
    const rows: Record<string, unknown>[] = [
      {
        id: 1,
        status: 'active',
        region_code: 'x',
        birth_date: '1940-03-31',
        hardship: 'dibao',
        living_alone: 1,
        empty_nest: 0,
        left_behind: 0,
        solitary: 0,
        special_family: 0,
        disability_grade: null,
        ltc_grade: 'mild',
        capability_level: null,
        capability_on: null,
        capability_until: null,
      },
      {
        id: 2,
        status: 'active',
        region_code: 'x',
        birth_date: '1946-04-01',
        hardship: 'none',
        living_alone: 0,
        empty_nest: 1,
        left_behind: 0,
        solitary: 0,
        special_family: 1,
        disability_grade: 2,
        ltc_grade: null,
        capability_level: 'intact',
        capability_on: '2026-01-01',
        capability_until: '2027-01-01',
      },
    ];
    for (const r of rows) {
      const f = pf.build(pf.columns.map((c) => r[c] ?? null));
      const g = full(r);
      for (const n of names) expect([n, f[n]]).toEqual([n, g[n]]);
    }
  });
});

describe.each(dialects)('visit plans refresh on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let county: Scope;
  let town1: Scope;
  let village1: string;
  let village2: string;
  const ids: Record<string, number> = {};
  let n = 0;
  const ON1 = '2026-03-04'; // a Wednesday
  const ON2 = '2026-03-10'; // the Tuesday after

  async function person(key: string, birth: string, region: string, extra: Partial<NewPerson> = {}) {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-${key}-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `330503********${String(n).padStart(4, '0')}`,
      name: `探访${key}`,
      sex: 'F',
      birth_date: birth,
      region_code: region,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status: 'active',
      closed_on: null,
      hardship: 'none',
      provenance: '{}',
      created_at: now,
      updated_at: now,
      ...extra,
    } as NewPerson;
    const { id } = await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow();
    ids[key] = id;
    return id;
  }
  const update = (key: string, set: Partial<NewPerson>) => ctx.db.updateTable('persons').set(set).where('id', '=', ids[key]!).execute();
  const membersOf = (key: string) => ctx.db.selectFrom('visit_plan_members').selectAll().where('person_id', '=', ids[key]!).orderBy('id').execute();
  const duesOf = (key: string) => ctx.db.selectFrom('visit_dues').selectAll().where('person_id', '=', ids[key]!).orderBy('id').execute();
  const count = async (table: 'visit_dues' | 'visit_plan_members') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    county = countyScope(ctx);
    town1 = await userScope(ctx, 'town1');
    const grid1 = await userScope(ctx, 'grid1');
    village1 = grid1.regionCode;
    village2 = ctx.regions.all().find((r) => r.level === 'village' && !r.code.startsWith(town1.regionPrefix))!.code;
    // weekly: 80+, disabled (the LTC grade, no assessment), living alone
    await person('weekly85', '1940-05-06', village1, { ltc_grade: 'moderate', living_alone: 1 });
    // weekly: hardship under 80, mildly disabled (半失能 counts), empty-nest
    await person('dibao70', '1956-01-01', village1, { hardship: 'dibao', ltc_grade: 'mild', empty_nest: 1 });
    // monthly: living alone, not disabled
    await person('alone65', '1961-01-01', village1, { living_alone: 1 });
    // in no plan
    await person('none65', '1961-01-01', village1);
    // weekly by the capability assessment (moderate), living alone
    await person('assessed85', '1941-01-01', village2, {
      living_alone: 1,
      capability_level: 'moderate',
      capability_on: '2026-01-10',
      capability_due: '2027-01-10',
      capability_until: '2027-03-10',
      capability_assessment_id: 1,
    });
    // weekly, then closed (died)
    await person('dies', '1938-01-01', village2, { ltc_grade: 'severe', solitary: 1 });
    // under 60: in no plan, though living alone
    await person('young59', '1967-06-01', village1, { living_alone: 1 });
    app = await buildApp(ctx, { serveWeb: false });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('puts each person in the first plan whose rule is true, with the rule shown, and one due for the window', async () => {
    const c = await refreshPlans(ctx, ON1);
    expect(c).toMatchObject({ joined: 5, left: 0, dues: 5, members: 5, missed: 0, escalations: 0 });
    const [w] = await membersOf('weekly85');
    expect(w).toMatchObject({ plan_key: 'weekly_high_risk', frequency: 'weekly', high_risk: 1, joined_on: ON1, left_on: null });
    expect(w!.rule).toContain('disablement');
    expect((await membersOf('dibao70'))[0]!.plan_key).toBe('weekly_high_risk');
    expect((await membersOf('assessed85'))[0]!.plan_key).toBe('weekly_high_risk');
    expect((await membersOf('alone65'))[0]!.plan_key).toBe('monthly_special');
    expect(await membersOf('none65')).toEqual([]);
    expect(await membersOf('young59')).toEqual([]);
    expect(await duesOf('weekly85')).toMatchObject([
      { window_start: '2026-03-02', window_end: '2026-03-08', due_date: '2026-03-08', status: 'open', high_risk: 1 },
    ]);
    expect(await duesOf('alone65')).toMatchObject([{ window_start: '2026-03-01', window_end: '2026-03-31', status: 'open', high_risk: 0 }]);
  });

  it('a second refresh the same day writes nothing: dues are created once', async () => {
    const before = { dues: await count('visit_dues'), members: await count('visit_plan_members') };
    const c = await refreshPlans(ctx, ON1);
    expect(c).toMatchObject({ joined: 0, left: 0, dues: 0, members: 5 });
    expect({ dues: await count('visit_dues'), members: await count('visit_plan_members') }).toEqual(before);
  });

  it('at the next refresh: a person no longer meeting any rule leaves (rule), one meeting another plan changes plan, the dead leave (closed); missed windows are marked', async () => {
    // hardship cleared: under 80 and not special family → no longer weekly; empty-nest → monthly
    await update('dibao70', { hardship: 'none' });
    // no longer living alone → no plan
    await update('alone65', { living_alone: 0 });
    // reassessed intact → not disabled → monthly (living alone)
    await update('assessed85', { capability_level: 'intact', capability_on: '2026-03-05' });
    await update('dies', { status: 'closed', closed_on: '2026-03-06' });
    const c = await refreshPlans(ctx, ON2);
    expect(c).toMatchObject({ joined: 2, left: 4, changed: 2, members: 3, escalations: 0 });

    expect(await membersOf('dibao70')).toMatchObject([
      { plan_key: 'weekly_high_risk', left_on: ON2, left_reason: 'plan_changed' },
      { plan_key: 'monthly_special', joined_on: ON2, left_on: null },
    ]);
    expect(await membersOf('assessed85')).toMatchObject([
      { plan_key: 'weekly_high_risk', left_reason: 'plan_changed' },
      { plan_key: 'monthly_special', left_on: null },
    ]);
    expect(await membersOf('alone65')).toMatchObject([{ plan_key: 'monthly_special', left_on: ON2, left_reason: 'rule' }]);
    expect(await membersOf('dies')).toMatchObject([{ left_on: ON2, left_reason: 'closed' }]);

    // the weekly window of 2 to 8 March ended unvisited: missed; the new week's due is open
    expect(await duesOf('weekly85')).toMatchObject([
      { window_end: '2026-03-08', status: 'missed' },
      { window_start: '2026-03-09', window_end: '2026-03-15', status: 'open' },
    ]);
    // the leaver's month had not ended: cancelled, not missed
    expect(await duesOf('alone65')).toMatchObject([{ window_end: '2026-03-31', status: 'cancelled' }]);
    // a plan change: last week's window ended (missed), the month's due opens
    expect(await duesOf('dibao70')).toMatchObject([
      { plan_key: 'weekly_high_risk', status: 'missed' },
      { plan_key: 'monthly_special', window_start: '2026-03-01', window_end: '2026-03-31', status: 'open' },
    ]);
    expect(c.missed).toBe(4);
    expect(c.dues).toBe(3);

    // the refresh is audited by the system with its counts, naming nobody
    const audit = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'visits.plans_refresh')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const detail = JSON.parse(String(audit.detail)) as Record<string, unknown>;
    expect(detail).toMatchObject({ on: ON2, joined: 2, left: 4 });
    expect(detail.persons).toBeUndefined();
  });

  it('the plans page shows the rules in words, member counts in the viewer region and the last refresh', async () => {
    const o = await plansOverview(ctx, county);
    expect(o.plans.map((p) => [p.key, p.members])).toEqual([
      ['weekly_high_risk', 1],
      ['monthly_special', 2],
    ]);
    expect(o.plans[0]!.ruleWords.zh.length).toBeGreaterThan(5);
    expect(o.lastRefresh).toMatchObject({ on: ON2, status: 'finished', joined: 2, left: 4 });
    const t = await plansOverview(ctx, town1);
    expect(t.plans.map((p) => p.members)).toEqual([1, 1]);
    const res = await call(app, await loginAs(app, 'town1'), { method: 'GET', url: '/api/visits/plans' });
    expect(res.statusCode).toBe(200);
    expect(res.json<PlansReply>().settings).toMatchObject({ week: 'calendar', escalateAfter: 2 });
  });

  it('members list: scoped, filtered, audited naming the persons shown; a volunteer sees only their assigned people', async () => {
    const all = await listMembers(ctx, county, { page: 1, pageSize: 20 });
    expect(all.total).toBe(3);
    const mine = await listMembers(ctx, town1, { page: 1, pageSize: 20 });
    expect(mine.items.map((i) => i.personId).sort()).toEqual([ids.weekly85, ids.dibao70].sort());
    const w = mine.items.find((i) => i.personId === ids.weekly85)!;
    expect(w).toMatchObject({ planKey: 'weekly_high_risk', frequency: 'weekly', name: '探访weekly85', regionCode: village1, worker: null });
    expect(w.why.zh.length).toBeGreaterThan(5);
    expect((await listMembers(ctx, county, { page: 1, pageSize: 20, plan: 'monthly_special' })).total).toBe(2);
    expect((await listMembers(ctx, county, { page: 1, pageSize: 20, q: 'dibao' })).items.map((i) => i.personId)).toEqual([ids.dibao70]);
    expect(await codeOf(listMembers(ctx, county, { page: 1, pageSize: 20, plan: 'nope' }))).toBe('VISIT_PLAN_UNKNOWN');
    expect(await codeOf(listMembers(ctx, town1, { page: 1, pageSize: 20, region: village2 }))).toBe('VISIT_REGION_NOT_FOUND');

    const admin = await loginAs(app, 'admin');
    const res = await call(app, admin, { method: 'GET', url: `/api/visits/members?region=${village1}` });
    expect(res.statusCode).toBe(200);
    const body = res.json<MembersReply>();
    expect(body.total).toBe(2);
    const entry = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'visits.members_read')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect((JSON.parse(String(entry.detail)) as { persons: number[] }).persons.sort()).toEqual(body.items.map((i) => i.personId).sort());

    // the volunteer: nobody until someone is assigned to them
    const vol = await loginAs(app, 'vol1');
    expect((await call(app, vol, { method: 'GET', url: '/api/visits/members' })).json<MembersReply>().total).toBe(0);
    const volId = (await ctx.db.selectFrom('users').select('id').where('username', '=', 'vol1').executeTakeFirstOrThrow()).id;
    await assign(ctx, town1, { personIds: [ids.weekly85!], workerId: volId, note: null });
    const seen = (await call(app, vol, { method: 'GET', url: '/api/visits/members' })).json<MembersReply>();
    expect(seen.items.map((i) => i.personId)).toEqual([ids.weekly85]);
    expect(seen.items[0]!.worker).toMatchObject({ id: volId });
    // a grid worker: their assigned people only, too
    expect((await call(app, await loginAs(app, 'grid1'), { method: 'GET', url: '/api/visits/members' })).json<MembersReply>().total).toBe(0);
  });

  it("a person's plan history and dues; 404 outside the viewer's region; refresh only by officers", async () => {
    const h: PersonPlanReply = await personVisitPlan(ctx, county, ids.dibao70!);
    expect(h.current).toMatchObject({ planKey: 'monthly_special', leftOn: null });
    expect(h.memberships.map((m) => [m.planKey, m.leftReason])).toEqual([
      ['monthly_special', null],
      ['weekly_high_risk', 'plan_changed'],
    ]);
    expect(h.dues.map((d) => d.status)).toEqual(['open', 'missed']);
    const town1s = await loginAs(app, 'town1');
    expect((await call(app, town1s, { method: 'GET', url: `/api/persons/${ids.dibao70}/visit-plan` })).statusCode).toBe(200);
    // why this person: the conditions of the plan's rule that hold for them, not the whole rule
    const w = (await call(app, town1s, { method: 'GET', url: `/api/persons/${ids.weekly85}/visit-plan` })).json<PersonPlanReply>();
    expect(w.current).toMatchObject({ planKey: 'weekly_high_risk' });
    const why = w.why.map((x) => x.zh);
    expect(why).toContain('年满80周岁');
    expect(why).toContain('独居');
    expect(why.some((x) => x.startsWith('失能程度'))).toBe(true);
    // the branches of the rule they do not meet are left out
    expect(why.join('；')).not.toContain('低保');
    expect(why.join('；')).not.toContain('空巢');
    expect(w.why.every((x) => x.en.length > 0)).toBe(true);
    const out = await call(app, town1s, { method: 'GET', url: `/api/persons/${ids.assessed85}/visit-plan` });
    expect(out.statusCode).toBe(404);
    expect(errorCode(out)).toBe('NOT_FOUND');

    const grid = await call(app, await loginAs(app, 'grid1'), { method: 'POST', url: '/api/visits/plans/refresh', payload: {} });
    expect(grid.statusCode).toBe(403);
    const started = await call(app, await loginAs(app, 'admin'), { method: 'POST', url: '/api/visits/plans/refresh', payload: {} });
    expect(started.statusCode).toBe(202);
    const { jobId } = started.json<{ jobId: number }>();
    await waitForJobs();
    const job = await ctx.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ kind: REFRESH_JOB, status: 'finished' });
  });

  it('a refresh stopped dead after a batch resumes from its cursor and ends as a clean one would', async () => {
    const clean = await createSeededContext(dialect, { runBatchSize: 2 });
    try {
      const v = clean.regions.all().find((r) => r.level === 'village')!.code;
      const now = nowIso();
      for (let i = 0; i < 9; i++) {
        await clean.db
          .insertInto('persons')
          .values({
            id_hash: `h-${i}-${randomUUID()}`,
            id_enc: 'x',
            id_masked: `x${i}`,
            name: `续${i}`,
            sex: 'M',
            birth_date: '1940-01-01',
            region_code: v,
            hukou_local: 1,
            phone_enc: null,
            phone_masked: null,
            status: 'active',
            closed_on: null,
            hardship: 'none',
            living_alone: i % 3 === 0 ? 1 : 0,
            ltc_grade: i % 2 ? 'severe' : null,
            empty_nest: i % 3 === 1 ? 1 : 0,
            provenance: '{}',
            created_at: now,
            updated_at: now,
          } as NewPerson)
          .execute();
      }
      refreshTuning.crashAfterBatches = 2;
      const crashed = await refreshPlans(clean, ON1).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(crashed).toBeInstanceOf(SimulatedCrash);
      const halfway = await clean.db.selectFrom('jobs').selectAll().where('kind', '=', REFRESH_JOB).executeTakeFirstOrThrow();
      expect(halfway.status).toBe('running');
      expect(halfway.done).toBe(4);
      const c = await refreshPlans(clean, ON1);
      const members = await clean.db.selectFrom('visit_plan_members').select(['person_id', 'plan_key']).orderBy('person_id').execute();
      const dues = await clean.db.selectFrom('visit_dues').select(['person_id']).orderBy('person_id').execute();
      // every person considered once: no duplicate memberships or dues
      expect(new Set(members.map((m) => m.person_id)).size).toBe(members.length);
      expect(dues.map((d) => d.person_id)).toEqual(members.map((m) => m.person_id));
      expect(c).toMatchObject({ joined: members.length, dues: members.length, members: members.length });
      expect(members.length).toBe(7);
      const jobs = await clean.db.selectFrom('jobs').selectAll().where('kind', '=', REFRESH_JOB).execute();
      expect(jobs.map((j) => j.status)).toEqual(['finished']);
    } finally {
      refreshTuning.crashAfterBatches = undefined;
      await clean.cleanup();
    }
  });
});

describe.each(dialects)('rolling weeks on %s: 7 days from joining, then from the day after the last counted visit', (dialect) => {
  let ctx: TestContext;
  let pid: number;
  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    const county = countyScope(ctx);
    await ctx.settings.set(ctx, county, ctx.regions.counties()[0]!.code, 'visit_plans', { ...DEFAULT_VISIT_SETTINGS, week: 'rolling' }, 'test: rolling weeks');
    const v = ctx.regions.all().find((r) => r.level === 'village')!.code;
    const now = nowIso();
    const row = await ctx.db
      .insertInto('persons')
      .values({
        id_hash: `roll-${randomUUID()}`,
        id_enc: 'x',
        id_masked: 'x',
        name: '滚动',
        sex: 'F',
        birth_date: '1939-02-02',
        region_code: v,
        hukou_local: 1,
        phone_enc: null,
        phone_masked: null,
        status: 'active',
        closed_on: null,
        hardship: 'none',
        living_alone: 1,
        ltc_grade: 'severe',
        provenance: '{}',
        created_at: now,
        updated_at: now,
      } as NewPerson)
      .returning('id')
      .executeTakeFirstOrThrow();
    pid = row.id;
  });
  afterAll(async () => {
    await ctx?.cleanup();
  });
  const dues = () =>
    ctx.db.selectFrom('visit_dues').select(['window_start', 'window_end', 'status']).where('person_id', '=', pid).orderBy('window_start').execute();

  it('opens the window on joining, restarts it the day after a counted visit, and marks an unvisited one missed', async () => {
    await refreshPlans(ctx, '2026-03-04');
    expect(await dues()).toEqual([{ window_start: '2026-03-04', window_end: '2026-03-10', status: 'open' }]);
    // a visit counted on the 6th (the recording closes the due)
    await ctx.db.updateTable('visit_dues').set({ status: 'done', done_on: '2026-03-06', event_id: 1 }).where('person_id', '=', pid).execute();
    // the same day: nothing new (the next window starts tomorrow)
    expect((await refreshPlans(ctx, '2026-03-06')).dues).toBe(0);
    await refreshPlans(ctx, '2026-03-07');
    expect(await dues()).toEqual([
      { window_start: '2026-03-04', window_end: '2026-03-10', status: 'done' },
      { window_start: '2026-03-07', window_end: '2026-03-13', status: 'open' },
    ]);
    await refreshPlans(ctx, '2026-03-15');
    expect(await dues()).toEqual([
      { window_start: '2026-03-04', window_end: '2026-03-10', status: 'done' },
      { window_start: '2026-03-07', window_end: '2026-03-13', status: 'missed' },
      { window_start: '2026-03-14', window_end: '2026-03-20', status: 'open' },
    ]);
  });
});
