import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countyScope, createTestContext, dialects, type TestContext } from '../../testing/harness.js';
import { writeMarker } from '../../platform/settings.js';
import { ageOn, nowIso, periodBounds, today } from '../../platform/time.js';
import { seedDemo } from '../demo/seed.js';
import { coverageOf } from '../assessment/coverage.js';
import { assessmentScheduleSetting } from '../assessment/assessment.settings.js';
import { voidEvent } from '../care-events/care-events.service.js';
import { recordCapability } from '../register/capability.js';
import type { PersonSource, Since, Span } from './contract.js';
import { addDays, ONLY_CHUNK } from './source-ids.js';
import { personCards, personSources, population } from './registry.js';

/**
 * Issue 20: each person source over the demo county, on both databases, against a count the test
 * makes itself from the capabilities' rows; the 80+ coverage agrees with its module's own figure
 * (the visit rate is an aggregate over visits' rate.ts: visits/indicator-aggregates.test.ts); and each kind of change is caught by the incremental refresh's changedSince.
 */

const source = (key: string): PersonSource => (key === population.key ? population : personSources.find((s) => s.key === key)!);
const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);

describe.each(dialects)('indicator person sources (%s)', (dialect) => {
  let ctx: TestContext;
  const asOf = today();
  const month = asOf.slice(0, 7);
  const span: Span = {
    month,
    from: periodBounds(month).start,
    to: periodBounds(month).end,
    asOf,
    yearFrom: `${asOf.slice(0, 4)}-01-01`,
    planFrom: '2021-01-01',
  };
  /** a refresh "a month ago": nothing written since its instant is in the answers unless the test writes it */
  const since = async (on = asOf): Promise<Since> => {
    const s = { at: nowIso(), on };
    await new Promise((r) => setTimeout(r, 3)); // rows written next are stamped after it
    return s;
  };

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    await seedDemo(ctx, { elders: 400, seed: 20 });
  }, 300_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  const persons = () =>
    ctx.db.selectFrom('persons').select(['id', 'birth_date', 'status', 'region_code', 'capability_on', 'capability_until', 'updated_at']).execute();
  const elders = async (age: number) => (await persons()).filter((p) => p.status === 'active' && ageOn(p.birth_date, asOf) >= age);

  it('population: active persons aged 60+ with their region; register.age80 the 80+', async () => {
    const expected = await elders(60);
    expect(expected.length).toBeGreaterThan(100);
    expect(sorted(await population.persons(ctx, ctx.db, span))).toEqual(sorted(expected.map((p) => p.id)));
    const regions = await population.regions(ctx, ctx.db, span);
    expect(new Map(regions)).toEqual(new Map(expected.map((p) => [p.id, p.region_code])));
    const old = await elders(80);
    expect(old.length).toBeGreaterThan(5);
    expect(sorted(await source('register.age80').persons(ctx, ctx.db, span))).toEqual(sorted(old.map((p) => p.id)));
    // inside a transaction the answer is read once and kept for it (regions, then persons)
    const home = sorted(await source('facilities.atHome').persons(ctx, ctx.db, span));
    await ctx.db.transaction().execute(async (trx) => {
      expect((await population.regions(ctx, trx, span)).length).toBe(expected.length);
      expect(sorted(await population.persons(ctx, trx, span))).toEqual(sorted(expected.map((p) => p.id)));
      expect(sorted(await source('facilities.atHome').persons(ctx, trx, span))).toEqual(home);
    });
    // `only`: a subset, over a list longer than one chunk of bound parameters
    const only = [...expected.slice(0, 5).map((p) => p.id), -1, ...Array.from({ length: 2000 }, (_, i) => 10_000_000 + i)];
    expect(sorted(await population.persons(ctx, ctx.db, span, only))).toEqual(sorted(expected.slice(0, 5).map((p) => p.id)));
  });

  it('assessment.valid: a valid capability on the date, and the 80+ coverage equals GET /api/assessments/coverage for every town', async () => {
    const all = await persons();
    const valid = all.filter((p) => p.capability_on !== null && p.capability_on <= asOf && p.capability_until! >= asOf).map((p) => p.id);
    expect(valid.length).toBeGreaterThan(0);
    expect(sorted(await source('assessment.valid').persons(ctx, ctx.db, span))).toEqual(sorted(valid));
    expect(sorted(await source('assessment.ever').persons(ctx, ctx.db, span))).toEqual(sorted(all.filter((p) => p.capability_on !== null).map((p) => p.id)));

    const county = ctx.regions.counties()[0]!;
    const reply = await coverageOf(ctx, ctx.db, countyScope(ctx), county, asOf);
    const old = new Set(await source('register.age80').persons(ctx, ctx.db, span));
    const ok = new Set(await source('assessment.valid').persons(ctx, ctx.db, span));
    const regionOf = new Map(await population.regions(ctx, ctx.db, span));
    for (const row of [reply.region, ...reply.children]) {
      const prefix = ctx.regions.get(row.code)!.prefix;
      const den = [...old].filter((id) => regionOf.get(id)?.startsWith(prefix));
      expect({ older: den.length, covered: den.filter((id) => ok.has(id)).length }, row.code).toEqual({ older: row.older, covered: row.covered });
    }
    expect(reply.region.covered).toBeGreaterThan(0);
  });

  it('facilities: in an institution on the date (an open stay), at home the rest of the elders', async () => {
    const stays = await ctx.db.selectFrom('facility_stays').select(['person_id', 'since', 'until_date']).execute();
    const residents = new Set(stays.filter((s) => s.since <= asOf && (s.until_date === null || s.until_date > asOf)).map((s) => s.person_id));
    expect(residents.size).toBeGreaterThan(0);
    expect(sorted(await source('facilities.inInstitution').persons(ctx, ctx.db, span))).toEqual(sorted(residents));
    const home = (await elders(60)).map((p) => p.id).filter((id) => !residents.has(id));
    expect(sorted(await source('facilities.atHome').persons(ctx, ctx.db, span))).toEqual(sorted(home));
  });

  it('services.servedYtd: a home-service event not voided, begun this year up to the date (Beijing days)', async () => {
    const events = await ctx.db.selectFrom('care_events').select(['person_id', 'kind', 'status', 'started_at']).execute();
    const served = new Set(
      events
        .filter((e) => e.kind === 'service' && e.status !== 'voided')
        .filter((e) => {
          const day = today(new Date(e.started_at));
          return day >= span.yearFrom && day <= asOf;
        })
        .map((e) => e.person_id),
    );
    expect(served.size).toBeGreaterThan(0);
    expect(sorted(await source('services.servedYtd').persons(ctx, ctx.db, span))).toEqual(sorted(served));
  });

  it('every person source asked about some persons answers exactly those of its everyone answer, over more ids than one statement takes', async () => {
    const everyone = (await population.regions(ctx, ctx.db, span)).map(([id]) => id);
    // the demo's elders, every other one, then ids nobody has, past one chunk (ONLY_CHUNK) in all
    const asked = [...everyone.filter((_, i) => i % 2 === 0), -1, ...Array.from({ length: ONLY_CHUNK + 500 }, (_, i) => 50_000_000 + i)];
    const askedSet = new Set(asked);
    for (const s of [population, ...personSources]) {
      const all = await s.persons(ctx, ctx.db, span);
      expect(sorted(await s.persons(ctx, ctx.db, span, asked)), s.key).toEqual(sorted(all.filter((id) => askedSet.has(id))));
      expect(await s.persons(ctx, ctx.db, span, []), s.key).toEqual([]);
    }
  });

  it('personCards: name, masked ID, sex, age on the date and region, in the order asked', async () => {
    const [a, b] = await elders(60);
    const cards = await personCards(ctx.db, [b!.id, a!.id, -5], asOf);
    expect(cards.map((c) => c.id)).toEqual([b!.id, a!.id]);
    expect(cards[1]!.age).toBe(ageOn(a!.birth_date, asOf));
    expect(cards[1]!.region).toBe(a!.region_code);
    expect(cards[1]!.idMasked).toMatch(/\*/);
  });

  describe('changedSince catches each kind of change', () => {
    it('a person row written after the refresh (register sources, and at home)', async () => {
      const s = await since();
      const [p] = await elders(60);
      await ctx.db.updateTable('persons').set({ updated_at: nowIso() }).where('id', '=', p!.id).execute();
      for (const key of [population.key, 'register.age80', 'facilities.atHome', 'assessment.valid'])
        expect(await source(key).changedSince(ctx, ctx.db, span, s), key).toContain(p!.id);
      const untouched = (await elders(60)).find((x) => x.id !== p!.id)!;
      expect(await population.changedSince(ctx, ctx.db, span, s)).not.toContain(untouched.id);
    });

    it('rows of an import still applying at the refresh, stamped with its start (before the refresh)', async () => {
      const started = nowIso();
      await new Promise((r) => setTimeout(r, 5));
      const s = await since();
      const [p] = await elders(60);
      const { id } = await ctx.db
        .insertInto('imports')
        .values({
          source: 'civil_affairs',
          file_name: 't.csv',
          file_sha256: 'x',
          format: 'csv',
          encoding: 'utf-8',
          as_of: asOf,
          status: 'applying',
          rows_total: 1,
          rows_bad: 0,
          created: 0,
          updated: 0,
          unchanged: 0,
          conflicts: 0,
          closed: 0,
          message: null,
          imported_by: null,
          region_code: ctx.regions.counties()[0]!.code,
          started_at: started,
          finished_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await ctx.db.updateTable('persons').set({ updated_at: started }).where('id', '=', p!.id).execute();
      expect(await population.changedSince(ctx, ctx.db, span, s)).toContain(p!.id);
      await ctx.db.deleteFrom('imports').where('id', '=', id).execute();
    });

    it('a birthday crossing 60 or 80 between the refresh and the date, with nothing written', async () => {
      const on = addDays(asOf, -10);
      const all = (await elders(60)).slice(-2);
      for (const [i, key, age] of [
        [0, population.key, 60],
        [1, 'register.age80', 80],
      ] as const) {
        // born so as to reach the age 5 days ago; the row's stamp left in the past
        const birth = `${String(Number(addDays(asOf, -5).slice(0, 4)) - age)}${addDays(asOf, -5).slice(4)}`;
        await ctx.db.updateTable('persons').set({ birth_date: birth, updated_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', all[i]!.id).execute();
        const s = await since(on);
        expect(ageOn(birth, on)).toBe(age - 1);
        expect(await source(key).changedSince(ctx, ctx.db, span, s), key).toContain(all[i]!.id);
        expect(await source(key).persons(ctx, ctx.db, span, [all[i]!.id]), key).toEqual([all[i]!.id]);
        expect(await source(key).changedSince(ctx, ctx.db, span, { ...s, on: asOf }), key).not.toContain(all[i]!.id);
      }
    });

    it('an assessment reviewed (the capability written), and one lapsing between the refresh and the date', async () => {
      const s = await since();
      const [p] = (await elders(60)).filter((x) => x.capability_on === null);
      await ctx.db
        .transaction()
        .execute((trx) => recordCapability(trx, p!.id, { level: 'mild', on: asOf, due: addDays(asOf, 365), until: addDays(asOf, 395), assessmentId: 999_999 }));
      expect(await source('assessment.valid').changedSince(ctx, ctx.db, span, s)).toContain(p!.id);
      expect(await source('assessment.valid').persons(ctx, ctx.db, span, [p!.id])).toEqual([p!.id]);

      const [q] = (await elders(60)).filter((x) => x.capability_on !== null && x.id !== p!.id);
      const lapsed = addDays(asOf, -3);
      await ctx.db.updateTable('persons').set({ capability_until: lapsed }).where('id', '=', q!.id).execute(); // no updated_at: a date crossing
      const later = await since(addDays(asOf, -10));
      expect(await source('assessment.valid').changedSince(ctx, ctx.db, span, later)).toContain(q!.id);
      expect(await source('assessment.valid').persons(ctx, ctx.db, span, [q!.id])).toEqual([]);
    });

    it('the capability dates recomputed wholesale after the schedule setting changed', async () => {
      const code = ctx.regions.counties()[0]!.code;
      const s = await since();
      await ctx.settings.set(ctx, countyScope(ctx), code, assessmentScheduleSetting.name, ctx.settings.get(assessmentScheduleSetting, code), 'test');
      const entry = ctx.settings.list(ctx, code).find((d) => d.name === assessmentScheduleSetting.name)!;
      await ctx.db
        .transaction()
        .execute((trx) => writeMarker(trx, `assessment_schedule_dates:${code}:${entry.setAt}`, JSON.stringify({ changed: 1, at: nowIso() })));
      const assessed = (await persons()).filter((p) => p.capability_on !== null).map((p) => p.id);
      expect(sorted(await source('assessment.valid').changedSince(ctx, ctx.db, span, s))).toEqual(sorted(assessed));
    });

    it('a stay begun, and a discharge recorded late (dated before the refresh)', async () => {
      const stays = await ctx.db.selectFrom('facility_stays').selectAll().where('until_date', 'is', null).execute();
      const open = stays[0]!;
      const s = await since();
      await ctx.db
        .updateTable('facility_stays')
        .set({ until_date: addDays(asOf, -20), ended: 'discharge' })
        .where('id', '=', open.id)
        .execute();
      for (const key of ['facilities.inInstitution', 'facilities.atHome'])
        expect(await source(key).changedSince(ctx, ctx.db, span, s), key).toContain(open.person_id);
      const [p] = (await elders(60)).filter((x) => !stays.some((st) => st.person_id === x.id));
      await ctx.db
        .insertInto('facility_stays')
        .values({ ...open, id: undefined, person_id: p!.id, since: asOf, until_date: null, ended: null, created_at: nowIso() })
        .execute();
      expect(await source('facilities.inInstitution').changedSince(ctx, ctx.db, span, s)).toContain(p!.id);
      expect(await source('facilities.inInstitution').persons(ctx, ctx.db, span, [p!.id, open.person_id])).toEqual([p!.id]);
    });

    it('a home service recorded, and one voided', async () => {
      const events = await ctx.db.selectFrom('care_events').selectAll().where('kind', '=', 'service').where('status', '!=', 'voided').execute();
      const s = await since();
      const e = events[0]!;
      await voidEvent(ctx, countyScope(ctx), e.id, 'test');
      expect(await source('services.servedYtd').changedSince(ctx, ctx.db, span, s)).toContain(e.person_id);
      const [p] = await elders(60);
      await ctx.db
        .insertInto('care_events')
        .values({
          ...e,
          id: undefined,
          client_id: `t-${Date.now()}`,
          person_id: p!.id,
          status: 'recorded',
          voided_at: null,
          voided_by: null,
          void_reason: null,
          recorded_at: nowIso(),
        })
        .execute();
      const changed = await source('services.servedYtd').changedSince(ctx, ctx.db, span, s);
      expect(changed).toContain(p!.id);
      const untouched = events.find((x) => x.person_id !== e.person_id && x.person_id !== p!.id)!;
      expect(changed).not.toContain(untouched.person_id);
    });
  });
});
