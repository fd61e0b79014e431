import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { nearestProviders, regionLevels } from '../services/nearest.js';
import { addContact } from './contacts.js';
import type { DischargeReply, SummaryReply } from './hotline.schema.js';
import { discharge, personSummary } from './summary.js';
import { createTicket } from './tickets.js';

/**
 * A person's hotline summary (issue 18): who, whom to call (masked), devices, recent alarms, the
 * nearest providers in the documented order (own provider, then village, town, county), what is
 * open — one audit entry per read; and a hospital discharge raising a reassessment request.
 */
describe('region levels (pure)', () => {
  it('reads padded and unpadded codes alike, nearest first', () => {
    expect(regionLevels('990101101201')).toEqual([
      { reach: 'village', prefix: '990101101201' },
      { reach: 'town', prefix: '990101101' },
      { reach: 'county', prefix: '990101' },
    ]);
    expect(regionLevels('330503101000')).toEqual([
      { reach: 'town', prefix: '330503101' },
      { reach: 'county', prefix: '330503' },
    ]);
    expect(regionLevels('330503000000')).toEqual([{ reach: 'county', prefix: '330503' }]);
  });
});

describe.each(dialects)('person summary (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let operator: Scope;
  let town2: Scope;
  let session: Session;
  let village1: string;
  let town1Code: string;
  let otherVillage: string;
  let elder: number;
  const providers: Record<string, number> = {};

  async function person(key: string, region: string) {
    const now = nowIso();
    const row = {
      id_hash: `hash-${key}-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: '990101********0001',
      name: `测试${key}`,
      sex: 'M',
      birth_date: '1938-03-02',
      region_code: region,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: '139****0008',
      status: 'active',
      closed_on: null,
      hardship: 'none',
      provenance: '{}',
      created_at: now,
      updated_at: now,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }
  async function provider(name: string, region: string, active = 1) {
    return (
      await ctx.db
        .insertInto('service_providers')
        .values({
          name,
          jurisdiction: ctx.regions.counties()[0]!.code,
          region_code: region,
          kind: 'home_service',
          credit_code: null,
          contact_phone_enc: null,
          contact_name: null,
          active,
          created_by: 0,
          created_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  const auditCount = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    operator = await userScope(ctx, 'hotline1');
    town2 = await userScope(ctx, 'town2');
    village1 = (await userScope(ctx, 'grid1')).regionCode;
    town1Code = (await userScope(ctx, 'town1')).regionCode;
    otherVillage = ctx.regions.all().find((r) => r.level === 'village' && r.parent_code === town1Code && r.code !== village1)!.code;
    const county = ctx.regions.counties()[0]!.code;
    const otherTown = (await userScope(ctx, 'town2')).regionCode;
    elder = await person('概览', village1);
    // named so that the order by name within a level is not the order of insertion
    providers.county = await provider('甲·县级服务中心', county);
    providers.otherTown = await provider('乙·邻镇服务社', otherTown);
    providers.town = await provider('丙·本镇服务社', town1Code);
    providers.sameTownOtherVillage = await provider('丁·本镇他村服务点', otherVillage);
    providers.village = await provider('戊·本村服务点', village1);
    providers.inactive = await provider('己·已停业', village1, 0);
    providers.serving = await provider('庚·签约服务商', county);
    await ctx.db
      .insertInto('service_clients')
      .values({
        provider_id: providers.serving,
        person_id: elder,
        region_code: village1,
        home_enc: ctx.cipher.encrypt(JSON.stringify({ lat: 30.87, lng: 120.42 })),
        home_cell: '30.87,120.42',
        card_hash: null,
        enrolled_by: 0,
        enrolled_at: nowIso(),
        ended_at: null,
      })
      .execute();
    await addContact(ctx, operator, elder, { name: '儿子', relation: 'child', phone: '13800000031', rank: 1 });
    const device = (
      await ctx.db
        .insertInto('alarm_devices')
        .values({
          serial: `SUM-${randomUUID().slice(0, 8)}`,
          kind: 'emergency_button',
          model: 'YY-1',
          vendor_id: null,
          person_id: elder,
          region_code: village1,
          address_enc: ctx.cipher.encrypt('青溪县东湖镇桃园村 12 号'),
          provider_id: null,
          installed_on: '2026-10-01',
          status: 'active',
          retired_on: null,
          last_seen_at: nowIso(),
          battery: 80,
          link: 'online',
          created_by: 0,
          created_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    for (const [kind, raisedAt] of [
      ['emergency', '2026-11-01T02:00:00.000Z'],
      ['fall', '2026-11-20T02:00:00.000Z'],
    ] as const)
      await ctx.db
        .insertInto('alarms')
        .values({
          person_id: elder,
          region_code: village1,
          device_id: device,
          rule_key: kind === 'fall' ? 'fall' : 'sos',
          kind,
          priority: 1,
          state: 'resolved',
          raised_at: raisedAt,
          event_count: 1,
          last_event_at: raisedAt,
          escalation: 0,
          escalated_at: null,
          acknowledged_at: raisedAt,
          acknowledged_by: 1,
          resolved_at: raisedAt,
          resolved_by: 1,
          outcome: 'real',
          follow_up: null,
          version: 3,
        })
        .execute();
    await createTicket(ctx, operator, { kind: 'complaint', personId: elder, subject: '投诉送餐' });
    app = await buildApp(ctx, { serveWeb: false });
    session = await loginAs(app, 'hotline1');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('shows the person, contacts masked, devices, recent alarms, nearest providers in order, open tickets — with one audit entry', async () => {
    const before = await auditCount();
    const res = await call(app, session, { method: 'GET', url: `/api/alarms/persons/${elder}/summary` });
    expect(res.statusCode).toBe(200);
    expect(await auditCount()).toBe(before + 1);
    const entry = await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'hotline.person_summary', entity_type: 'person', entity_id: String(elder), actor: 'hotline1' });
    expect((JSON.parse(entry.detail!) as { persons: number[] }).persons).toEqual([elder]);

    expect(res.body).not.toContain('13800000031');
    const s = res.json<SummaryReply>();
    expect(s.person).toMatchObject({
      id: elder,
      name: '测试概览',
      idMasked: '990101********0001',
      phoneMasked: '139****0008',
      address: '青溪县东湖镇桃园村 12 号',
    });
    expect(s.person.age).toBe(Number(today().slice(0, 4)) - 1938 - (today().slice(5) < '03-02' ? 1 : 0));
    expect(s.contacts).toEqual([expect.objectContaining({ name: '儿子', phoneMasked: '138****0031', rank: 1 })]);
    expect(s.devices).toEqual([expect.objectContaining({ kind: 'emergency_button', status: 'active', link: 'online', battery: 80 })]);
    expect(s.recentAlarms.map((a) => a.kind)).toEqual(['fall', 'emergency']);
    expect(s.nearestProviders.map((p) => [p.id, p.reach])).toEqual([
      [providers.serving, 'serving'],
      [providers.village, 'village'],
      [providers.town, 'town'],
      [providers.sameTownOtherVillage, 'town'],
      [providers.county, 'county'],
    ]);
    expect(s.openTickets.map((t) => t.subject)).toEqual(['投诉送餐']);
  });

  it('gives the providers past the first five in the same order, and never an inactive one', async () => {
    const all = await nearestProviders(ctx.db, elder, village1, 20);
    expect(all.map((p) => p.id)).toEqual([
      providers.serving,
      providers.village,
      providers.town,
      providers.sameTownOtherVillage,
      providers.county,
      providers.otherTown,
    ]);
  });

  it("answers not found for a person outside the viewer's scope, and writes no audit entry", async () => {
    const officer = await loginAs(app, 'town2');
    const before = await auditCount();
    expect(await codeOf(personSummary(ctx, town2, elder))).toBe('HOTLINE_PERSON_NOT_FOUND');
    const res = await call(app, officer, { method: 'GET', url: `/api/alarms/persons/${elder}/summary` });
    expect(errorCode(res)).toBe('HOTLINE_PERSON_NOT_FOUND');
    expect(await auditCount()).toBe(before);
  });

  it('records a hospital discharge as a reassessment request (reason change); a second one links the open request', async () => {
    const res = await call(app, session, {
      method: 'POST',
      url: `/api/alarms/persons/${elder}/discharge`,
      payload: { on: '2026-11-28', note: '髋部骨折术后' },
    });
    expect(res.statusCode).toBe(200);
    const first = res.json<DischargeReply>();
    expect(first).toMatchObject({ personId: elder, linked: false });
    const req = await ctx.db.selectFrom('assessment_requests').selectAll().where('id', '=', first.requestId!).executeTakeFirstOrThrow();
    expect(req).toMatchObject({ person_id: elder, reason: 'change', closed_at: null });
    expect(req.note).toContain('2026-11-28');
    const again = await discharge(ctx, operator, elder, { on: '2026-11-29' });
    expect(again).toEqual({ personId: elder, requestId: first.requestId, linked: true });
    expect(await codeOf(discharge(ctx, town2, elder, { on: '2026-11-29' }))).toBe('FORBIDDEN');
  });
});
