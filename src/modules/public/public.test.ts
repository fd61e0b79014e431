import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { countyScope, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call } from '../../testing/http.js';
import { catalogueOf } from '../catalogue/catalogue.settings.js';
import { ruleWords } from '../catalogue/rule-words.js';
import { addBeds } from '../facilities/beds.js';
import { freeBeds } from '../facilities/directory.js';
import { createFacility } from '../facilities/facilities.service.js';
import { admit } from '../facilities/residents.js';
import type { PublicReply } from '../facilities/facilities.schema.js';
import { createAdHoc, followUpInspection, signOffInspection, submitInspection } from '../supervision/inspections.js';
import { computeRatings } from '../supervision/ratings.js';
import { DEFAULT_SUPERVISION } from '../supervision/supervision.settings.js';
import type { FacilityPageReply, PortalReply, ServicesReply } from './public.schema.js';
import { DEFAULT_PUBLIC } from './public.settings.js';

describe.each(dialects)('the public pages’ reads on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let county: Scope;
  let town = '';
  let village = '';
  const ids = { nursingFull: 0, nursingFree: 0, dayCare: 0, closed: 0, elsewhere: 0 };

  async function person(name: string) {
    const now = nowIso();
    const row = {
      id_hash: `hash-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: '990101********0001',
      name,
      sex: 'F',
      birth_date: '1938-05-01',
      region_code: village,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status: 'active',
      closed_on: null,
      hardship: 'none',
      provenance: '{}',
      created_at: now,
      updated_at: now,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }
  const facility = (name: string, over: Partial<Parameters<typeof createFacility>[2]> = {}) =>
    createFacility(ctx, county, {
      name,
      kind: 'institution',
      ownership: 'public',
      regionCode: town,
      address: `${name}路 1 号`,
      lat: 30.8,
      lng: 120.4,
      grade: '3',
      governmentWork: false,
      providerId: null,
      hardshipHome: false,
      active: true,
      ...over,
    });

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    county = countyScope(ctx);
    town = ctx.regions.all().find((r) => r.level === 'town')!.code;
    village = ctx.regions.all().find((r) => r.parent_code === town)!.code;
    // a home whose one nursing bed is taken (its ordinary beds are free), one with a free nursing bed, a day-care centre, a closed home
    const full = await facility('满床敬老院');
    ids.nursingFull = full.id;
    await addBeds(ctx, county, full.id, { type: 'nursing', count: 1, prefix: 'N' });
    await addBeds(ctx, county, full.id, { type: 'ordinary', count: 2, prefix: 'P' });
    const bed = (await freeBeds(ctx.db, full.id)).find((b) => b.type === 'nursing')!;
    await admit(ctx, county, full.id, { personId: await person('住养老人甲'), bedId: bed.bedId, on: '2026-01-05' });
    const free = await facility('空床护理院', { grade: '4', ownership: 'private' });
    ids.nursingFree = free.id;
    await addBeds(ctx, county, free.id, { type: 'nursing', count: 3, prefix: 'N' });
    await addBeds(ctx, county, free.id, { type: 'dementia', count: 1, prefix: 'D' });
    ids.dayCare = (await facility('日间照料中心', { kind: 'day_care', grade: null })).id;
    ids.closed = (await facility('已停业敬老院', { active: false })).id;
    await addBeds(ctx, county, ids.closed, { type: 'nursing', count: 2, prefix: 'N' });
    // an inspection of the free home signed off, one of the full home not yet: only the first is published
    const inspector = await userScope(ctx, 'inspector1');
    const items = DEFAULT_SUPERVISION.checklists[0]!.items.map((i) => ({ itemKey: i.key, result: 'pass' as const }));
    const a = await createAdHoc(ctx, county, { targetKey: `facility:${free.id}`, checklistKey: 'comprehensive', inspectorIds: [inspector.userId!] });
    await submitInspection(ctx, inspector, a.id, { inspectedOn: '2026-11-20', items, findings: '消防通道畅通。' });
    await signOffInspection(ctx, county, a.id, {});
    const b = await createAdHoc(ctx, county, { targetKey: `facility:${full.id}`, checklistKey: 'comprehensive', inspectorIds: [inspector.userId!] });
    await submitInspection(ctx, inspector, b.id, { inspectedOn: '2026-11-21', items });
    await computeRatings(ctx, county, '2026-11-30');
    app = await buildApp(ctx);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const get = (url: string) => call(app, null, { method: 'GET', url });

  it('answers the portal without a login: the jurisdiction, the hotline and hours, how to apply, the consent text; a changed setting shows', async () => {
    const res = await get('/api/public/portal');
    expect(res.statusCode).toBe(200);
    const p = res.json<PortalReply>();
    expect(p.jurisdiction.name).toBe(ctx.regions.counties()[0]!.name);
    expect(p.hotline).toBe(DEFAULT_PUBLIC.hotline);
    expect(p.apply.length).toBeGreaterThan(2);
    expect(p.consent.zh).toContain('同意');
    expect(p.links.map((l) => l.path)).toEqual(expect.arrayContaining(['/public/catalogue', '/facility-map', '/self-check', '/complaint', '/complaint/track']));
    await ctx.settings.set(ctx, county, ctx.regions.counties()[0]!.code, 'public', { ...DEFAULT_PUBLIC, hotline: '0513-68812349' }, '测试：热线号码');
    expect((await get('/api/public/portal')).json<PortalReply>().hotline).toBe('0513-68812349');
    await ctx.settings.set(ctx, county, ctx.regions.counties()[0]!.code, 'public', DEFAULT_PUBLIC, '测试：恢复');
  });

  it('words every catalogue item: who (the rule in words), how much in yuan, automatic or applied for, whom to ask', async () => {
    const res = await get('/api/public/services');
    expect(res.statusCode).toBe(200);
    const s = res.json<ServicesReply>();
    const cat = ctx.catalogues.forPeriod(catalogueOf(ctx, ctx.regions.counties()[0]!.code), s.period);
    expect(s.items.map((i) => i.id)).toEqual(cat.items.map((i) => i.id));
    for (const i of s.items) {
      const item = cat.items.find((c) => c.id === i.id)!;
      // the same words the catalogue page and the self-check say (parameters here are only amounts)
      expect(i.who.zh).toBe(ruleWords(cat, item, {}).zh);
      expect(i.automatic).toBe(['cash_monthly', 'insurance'].includes(item.benefit.kind));
      expect(i.ask.zh).toContain(DEFAULT_PUBLIC.window.zh);
      if (item.department) expect(i.ask.zh).toContain(item.department);
    }
    // a cash item says its amount in force in yuan: nanxun's high-age allowance, 60 yuan a month (6000 fen)
    const allowance = s.items.find((i) => i.id === 'nx-10')!;
    expect(allowance.amount?.zh).toContain('60元/月');
    expect(allowance.automatic).toBe(true);
    const assessment = s.items.find((i) => i.id === 'nx-4')!;
    expect([assessment.automatic, assessment.amount]).toEqual([false, null]);
  });

  it('shows a facility’s page: beds and free beds by type, its published inspections and credit grade with the date, nothing of residents', async () => {
    const res = await get(`/api/public/facilities/${ids.nursingFree}`);
    expect(res.statusCode).toBe(200);
    const p = res.json<FacilityPageReply>();
    expect(p.facility).toMatchObject({ name: '空床护理院', kind: 'institution', ownership: 'private', grade: '4', beds: 4, freeBeds: 4 });
    expect(p.facility.byType).toEqual([
      { type: 'nursing', beds: 3, free: 3 },
      { type: 'dementia', beds: 1, free: 1 },
    ]);
    expect(p.inspections).toHaveLength(1);
    expect(p.inspections[0]).toMatchObject({ inspectedOn: '2026-11-20', failed: [], findings: '消防通道畅通。' });
    expect(p.rating).toMatchObject({ computedOn: '2026-11-30' });
    expect(['A', 'B', 'C', 'D']).toContain(p.rating!.grade);

    const full = await get(`/api/public/facilities/${ids.nursingFull}`);
    const f = full.json<FacilityPageReply>();
    expect(f.facility.byType).toEqual([
      { type: 'ordinary', beds: 2, free: 2 },
      { type: 'nursing', beds: 1, free: 0 },
    ]);
    // submitted, not signed off: not published
    expect(f.inspections).toEqual([]);
    // the resident is nowhere in the answer
    expect(full.body).not.toContain('住养老人甲');
    expect(full.body).not.toMatch(/person|resident|since/i);
  });

  it('says of each inspection with a deadline whether it was rectified (on the follow-up day), is being rectified, or is overdue', async () => {
    const inspector = await userScope(ctx, 'inspector1');
    const home = await facility('整改敬老院', { kind: 'regional_centre', grade: null });
    const list = DEFAULT_SUPERVISION.checklists[0]!;
    const items = list.items.map((i, n) =>
      n === 0 ? { itemKey: i.key, result: 'fail' as const, note: '安全出口堵塞' } : { itemKey: i.key, result: 'pass' as const },
    );
    const publish = async (inspectedOn: string, rectificationDue: string) => {
      const x = await createAdHoc(ctx, county, { targetKey: `facility:${home.id}`, checklistKey: list.key, inspectorIds: [inspector.userId!] });
      await submitInspection(ctx, inspector, x.id, { inspectedOn, items, findings: '安全出口堵塞。' });
      await signOffInspection(ctx, county, x.id, { rectificationDue });
      return x.id;
    };
    const overdue = await publish('2026-01-05', '2026-01-12');
    const rectified = await publish('2026-02-05', '2026-02-12');
    await followUpInspection(ctx, county, rectified, { note: '复查：安全出口已清理。', on: '2026-02-10' });
    const rectifying = await publish('2026-03-05', '2999-12-31');
    const p = (await get(`/api/public/facilities/${home.id}`)).json<FacilityPageReply>();
    const state = (id: number) => p.inspections.find((r) => r.inspectionId === id);
    expect(state(overdue)).toMatchObject({ rectificationDue: '2026-01-12', followedUpOn: null, rectification: 'overdue' });
    expect(state(rectified)).toMatchObject({ followedUpOn: '2026-02-10', rectification: 'rectified' });
    expect(state(rectifying)).toMatchObject({ rectification: 'rectifying' });
    // nothing failed: nothing to rectify
    const clean = (await get(`/api/public/facilities/${ids.nursingFree}`)).json<FacilityPageReply>();
    expect(clean.inspections[0]!.rectification).toBeNull();
  });

  it('answers "not found" for a closed facility and an unknown one', async () => {
    for (const id of [ids.closed, 999999]) {
      const res = await get(`/api/public/facilities/${id}`);
      expect(res.statusCode).toBe(404);
    }
  });

  it('filters the map by a free bed of a type, by grade and by kind', async () => {
    const map = async (q: string) => (await get(`/api/facilities/public/map${q}`)).json<PublicReply>().items.map((f) => f.id);
    expect(await map('?freeBed=nursing')).toEqual([ids.nursingFree]);
    expect((await map('?freeBed=ordinary')).sort()).toEqual([ids.nursingFull]);
    expect(await map('?freeBed=dementia')).toEqual([ids.nursingFree]);
    expect(await map('?grade=3')).toEqual([ids.nursingFull]);
    expect(await map('?kind=day_care')).toEqual([ids.dayCare]);
    // the closed home (free nursing beds, but closed) is never listed
    expect(await map('')).not.toContain(ids.closed);
    expect((await get('/api/facilities/public/map?freeBed=suite')).statusCode).toBe(400);
  });

  it('stores a complainant’s name and phone only when the consent box was ticked', async () => {
    const body = {
      targetKind: 'facility',
      targetId: ids.nursingFree,
      category: 'food',
      text: '午饭经常是凉的，说了也不改。',
      contactName: '李阿姨',
      contactPhone: '13800138009',
    };
    const file = async (extra: object) => {
      const res = await call(app, null, { method: 'POST', url: '/api/complaints/public', payload: { ...body, ...extra } });
      expect(res.statusCode).toBe(201);
      // the latest complaint (the tracking number is kept only as a keyed hash)
      return ctx.db.selectFrom('complaints').select(['contact_name_enc', 'contact_phone_enc']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    };
    // no box ticked (an old client), the box left unticked: nothing personal kept
    expect(await file({})).toEqual({ contact_name_enc: null, contact_phone_enc: null });
    expect(await file({ consent: false })).toEqual({ contact_name_enc: null, contact_phone_enc: null });
    const kept = await file({ consent: true });
    expect(ctx.cipher.decrypt(kept.contact_name_enc!)).toBe('李阿姨');
    expect(ctx.cipher.decrypt(kept.contact_phone_enc!)).toBe('13800138009');
  });
});
