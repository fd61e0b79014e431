import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import { hashPassword } from '../../platform/auth.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { insertAccounts } from '../users/accounts.js';
import { activeClient, cardMatches, homeOf } from './clients.js';
import { cellOf } from './geo.js';
import { DEFAULT_ITEMS, ensureDefaultItems, itemById } from './items.js';
import { caregiverById, caregiverCertStatus, caregiverOfUser, certificateProblem, certificateStatusOn } from './providers.js';
import type { CaregiverView, ClientsReply, ClientView, ItemsReply, ProvidersReply, ProviderView, ServiceItemView } from './providers.schema.js';

/** A civil date `days` from today (Beijing). */
function inDays(days: number): string {
  const d = new Date(`${today()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe('certificate states (pure)', () => {
  it('says valid, expiring within 30 days, expired; a caregiver with none is missing', () => {
    expect(certificateStatusOn(null, '2026-06-01')).toBe('valid');
    expect(certificateStatusOn('2026-05-31', '2026-06-01')).toBe('expired');
    expect(certificateStatusOn('2026-06-01', '2026-06-01')).toBe('expiring');
    expect(certificateStatusOn('2026-07-01', '2026-06-01')).toBe('expiring');
    expect(certificateStatusOn('2026-07-02', '2026-06-01')).toBe('valid');
    const c = (expiresOn: string | null, kind: 'caregiver' | 'health' = 'caregiver', issuedOn = '2020-01-01') => ({ kind, issuedOn, expiresOn });
    expect(caregiverCertStatus([], '2026-06-01')).toBe('missing');
    expect(caregiverCertStatus([c('2030-01-01', 'health')], '2026-06-01')).toBe('missing');
    expect(caregiverCertStatus([c('2026-01-01')], '2026-06-01')).toBe('expired');
    expect(caregiverCertStatus([c('2026-01-01'), c('2026-06-20')], '2026-06-01')).toBe('expiring');
    expect(caregiverCertStatus([c('2026-06-20'), c(null)], '2026-06-01')).toBe('valid');
    // issued only later: not held on the date
    expect(caregiverCertStatus([c(null, 'caregiver', '2026-07-01')], '2026-06-01')).toBe('expired');
  });
});

describe.each(dialects)('providers, caregivers, items and clients on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Session;
  let town1: Session;
  let town2: Session;
  let staffA: Session;
  let staffB: Session;
  let noOrg: Session;
  let town1Scope: Scope;
  let village1: string;
  let village2: string;
  let carerAUserId: number;
  let elder1: number;
  let elder2: number;
  let elder3: number;
  let provA: ProviderView;
  let provB: ProviderView;
  let n = 0;

  async function person(key: string, region: string) {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-${key}-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `330503********${String(n).padStart(4, '0')}`,
      name: `服务${key}`,
      sex: 'F',
      birth_date: '1940-01-01',
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
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  const count = async (table: 'service_clients' | 'service_caregivers' | 'service_providers' | 'service_certificates' | 'service_items') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const HOME = { lat: 30.8712, lng: 120.4231 };

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    town1Scope = await userScope(ctx, 'town1');
    const town2Scope = await userScope(ctx, 'town2');
    village1 = (await userScope(ctx, 'grid1')).regionCode;
    village2 = ctx.regions.all().find((r) => r.level === 'village' && r.code.startsWith(town2Scope.regionPrefix))!.code;
    const county = ctx.regions.counties()[0]!.code;
    const hash = await hashPassword(DEMO_PASSWORD);
    await insertAccounts(
      ctx.db,
      ['staffA', 'carerA', 'staffB', 'carerB'].map((u) => ({
        username: u,
        displayName: `服务商账号${u}`,
        role: 'provider',
        regionCode: county,
        passwordHash: hash,
      })),
      nowIso(),
    );
    elder1 = await person('甲', village1);
    elder2 = await person('乙', village1);
    elder3 = await person('丙', village2);
    app = await buildApp(ctx, { serveWeb: false });
    admin = await loginAs(app, 'admin');
    town1 = await loginAs(app, 'town1');
    town2 = await loginAs(app, 'town2');
    noOrg = await loginAs(app, 'provider1');

    const a = await call(app, town1, {
      method: 'POST',
      url: '/api/services/providers',
      payload: { name: '安康居家服务中心', kind: 'home_service', regionCode: town1Scope.regionCode, contactName: '王经理', contactPhone: '13912345678' },
    });
    expect(a.statusCode, a.body).toBe(201);
    provA = a.json<ProviderView>();
    const b = await call(app, town2, {
      method: 'POST',
      url: '/api/services/providers',
      payload: { name: '福寿助餐服务社', kind: 'mixed', regionCode: town2Scope.regionCode, creditCode: '91330503MA2B3C4D5E' },
    });
    expect(b.statusCode, b.body).toBe(201);
    provB = b.json<ProviderView>();
    // the staff accounts belong to their organisations (users' organisation_id is the provider's id)
    await ctx.db.updateTable('users').set({ organisation_id: provA.id }).where('username', 'in', ['staffA', 'carerA']).execute();
    await ctx.db.updateTable('users').set({ organisation_id: provB.id }).where('username', 'in', ['staffB', 'carerB']).execute();
    carerAUserId = (await ctx.db.selectFrom('users').select('id').where('username', '=', 'carerA').executeTakeFirstOrThrow()).id;
    staffA = await loginAs(app, 'staffA');
    staffB = await loginAs(app, 'staffB');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('registers providers with the phone sealed and shown masked; a duplicate name is refused', async () => {
    expect(provA).toMatchObject({ kind: 'home_service', contactName: '王经理', phoneMasked: '139****5678', active: true, caregivers: 0, clients: 0 });
    const stored = await ctx.db.selectFrom('service_providers').selectAll().where('id', '=', provA.id).executeTakeFirstOrThrow();
    expect(stored.contact_phone_enc).not.toContain('13912345678');
    expect(ctx.cipher.decrypt(stored.contact_phone_enc!)).toBe('13912345678');
    expect(stored.jurisdiction).toBe(ctx.regions.counties()[0]!.code);

    const before = await count('service_providers');
    const dup = await call(app, admin, {
      method: 'POST',
      url: '/api/services/providers',
      payload: { name: '安康居家服务中心', kind: 'canteen', regionCode: town1Scope.regionCode },
    });
    expect(dup.statusCode).toBe(409);
    expect(errorCode(dup)).toBe('SERVICE_PROVIDER_NAME_TAKEN');
    // a town officer registers in their own town only
    const elsewhere = await call(app, town1, {
      method: 'POST',
      url: '/api/services/providers',
      payload: { name: '别处服务社', kind: 'canteen', regionCode: provB.regionCode },
    });
    expect(errorCode(elsewhere)).toBe('REGION_OUT_OF_SCOPE');
    expect(await count('service_providers')).toBe(before);

    // renaming onto another's name is refused too; a real change is audited
    const clash = await call(app, admin, { method: 'PATCH', url: `/api/services/providers/${provB.id}`, payload: { name: provA.name } });
    expect(errorCode(clash)).toBe('SERVICE_PROVIDER_NAME_TAKEN');
    const edit = await call(app, admin, {
      method: 'PATCH',
      url: `/api/services/providers/${provB.id}`,
      payload: { contactName: '李站长', contactPhone: '0572-3012345' },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json<ProviderView>()).toMatchObject({ contactName: '李站长', phoneMasked: '057*****2345' });
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['detail'])
      .where('action', '=', 'services.provider_update')
      .where('entity_id', '=', String(provB.id))
      .executeTakeFirstOrThrow();
    expect(audit.detail).toContain('李站长');
    expect(audit.detail).not.toContain('3012345');
  });

  it("lists providers by scope: an officer's region, a provider's staff their own only, none without an organisation", async () => {
    const names = async (s: Session) => (await call(app, s, { method: 'GET', url: '/api/services/providers' })).json<ProvidersReply>().items.map((p) => p.id);
    expect(await names(admin)).toEqual(expect.arrayContaining([provA.id, provB.id]));
    expect(await names(town1)).toEqual([provA.id]);
    expect(await names(town2)).toEqual([provB.id]);
    expect(await names(staffA)).toEqual([provA.id]);
    expect(await names(staffB)).toEqual([provB.id]);
    expect(await names(noOrg)).toEqual([]);
    // staff may not manage providers
    const res = await call(app, staffA, { method: 'PATCH', url: `/api/services/providers/${provA.id}`, payload: { active: false } });
    expect(res.statusCode).toBe(403);
  });

  it('registers caregivers, links a login of the same organisation only, refuses skill 6 and another provider', async () => {
    const res = await call(app, staffA, {
      method: 'POST',
      url: '/api/services/caregivers',
      payload: { providerId: provA.id, name: '张护理', phone: '13700001111', skillLevel: 3, username: 'carerA' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const cg = res.json<CaregiverView>();
    expect(cg).toMatchObject({
      providerId: provA.id,
      providerName: provA.name,
      userId: carerAUserId,
      username: 'carerA',
      phoneMasked: '137****1111',
      certStatus: 'missing',
    });
    expect((await caregiverOfUser(ctx.db, carerAUserId))?.id).toBe(cg.id);
    expect((await caregiverById(ctx.db, cg.id))?.name).toBe('张护理');

    const before = await count('service_caregivers');
    const bad = [
      // skill level 6
      { payload: { providerId: provA.id, name: '李', skillLevel: 6 }, code: 'VALIDATION', as: staffA },
      // a login of another organisation
      { payload: { providerId: provA.id, name: '李', skillLevel: 2, username: 'carerB' }, code: 'SERVICE_CAREGIVER_USER_INVALID', as: staffA },
      // a login of a non-provider role
      { payload: { providerId: provA.id, name: '李', skillLevel: 2, username: 'grid1' }, code: 'SERVICE_CAREGIVER_USER_INVALID', as: staffA },
      // the same login twice
      { payload: { providerId: provA.id, name: '李', skillLevel: 2, username: 'carerA' }, code: 'SERVICE_CAREGIVER_USER_TAKEN', as: staffA },
      // another provider's staff registering for A: not found
      { payload: { providerId: provA.id, name: '李', skillLevel: 2 }, code: 'SERVICE_PROVIDER_NOT_FOUND', as: staffB },
    ];
    for (const b of bad) {
      const r = await call(app, b.as, { method: 'POST', url: '/api/services/caregivers', payload: b.payload });
      expect(errorCode(r), JSON.stringify(b.payload)).toBe(b.code);
    }
    expect(await count('service_caregivers')).toBe(before);

    // another provider's caregiver is not found for B's staff, and not listed
    const edit = await call(app, staffB, { method: 'PATCH', url: `/api/services/caregivers/${cg.id}`, payload: { skillLevel: 4 } });
    expect(edit.statusCode).toBe(404);
    expect(errorCode(edit)).toBe('SERVICE_CAREGIVER_NOT_FOUND');
    const cert = await call(app, staffB, {
      method: 'POST',
      url: `/api/services/caregivers/${cg.id}/certificates`,
      payload: { kind: 'caregiver', number: 'X1', issuedOn: '2024-01-01', expiresOn: null },
    });
    expect(errorCode(cert)).toBe('SERVICE_CAREGIVER_NOT_FOUND');
    const listB = await call(app, staffB, { method: 'GET', url: '/api/services/caregivers' });
    expect(listB.json<{ items: CaregiverView[] }>().items.map((c) => c.id)).not.toContain(cg.id);
    const listBofA = await call(app, staffB, { method: 'GET', url: `/api/services/caregivers?providerId=${provA.id}` });
    expect(errorCode(listBofA)).toBe('SERVICE_PROVIDER_NOT_FOUND');
    // their own staff edit them
    const ok = await call(app, staffA, { method: 'PATCH', url: `/api/services/caregivers/${cg.id}`, payload: { skillLevel: 4, phone: null } });
    expect(ok.json<CaregiverView>()).toMatchObject({ skillLevel: 4, phoneMasked: null });
    const provider = (await call(app, staffA, { method: 'GET', url: '/api/services/providers' })).json<ProvidersReply>().items[0]!;
    expect(provider.caregivers).toBe(1);
  });

  it('keeps certificates and says valid, expiring, expired or missing; certificateProblem on a date', async () => {
    const mk = async (name: string) =>
      (
        await call(app, staffA, { method: 'POST', url: '/api/services/caregivers', payload: { providerId: provA.id, name, skillLevel: 2 } })
      ).json<CaregiverView>();
    const add = (id: number, body: Record<string, unknown>) =>
      call(app, staffA, { method: 'POST', url: `/api/services/caregivers/${id}/certificates`, payload: body });

    const valid = await mk('证有效');
    const r1 = await add(valid.id, { kind: 'caregiver', number: 'YL-001', issuedOn: '2024-03-01', expiresOn: inDays(400) });
    expect(r1.statusCode, r1.body).toBe(201);
    expect(r1.json<CaregiverView>()).toMatchObject({ certStatus: 'valid', certificates: [{ kind: 'caregiver', number: 'YL-001', status: 'valid' }] });

    const expiring = await mk('证将到期');
    const r2 = await add(expiring.id, { kind: 'caregiver', number: 'YL-002', issuedOn: '2024-03-01', expiresOn: inDays(10) });
    expect(r2.json<CaregiverView>()).toMatchObject({ certStatus: 'expiring', certificates: [{ status: 'expiring' }] });

    const expired = await mk('证已过期');
    const r3 = await add(expired.id, { kind: 'caregiver', number: 'YL-003', issuedOn: '2020-03-01', expiresOn: inDays(-1) });
    expect(r3.json<CaregiverView>()).toMatchObject({ certStatus: 'expired', certificates: [{ status: 'expired' }] });
    // a health certificate is not a caregiver certificate
    const r4 = await add(expired.id, { kind: 'health', number: 'JK-9', issuedOn: '2025-01-01', expiresOn: null });
    expect(r4.json<CaregiverView>().certStatus).toBe('expired');

    const none = await mk('无证');
    expect(none.certStatus).toBe('missing');

    // the date the service is scheduled on decides
    expect(await certificateProblem(ctx.db, valid.id, today())).toBeNull();
    expect(await certificateProblem(ctx.db, expiring.id, inDays(5))).toBeNull();
    expect(await certificateProblem(ctx.db, expiring.id, inDays(11))).toEqual({ kind: 'caregiver', expiresOn: inDays(10), missing: false });
    expect(await certificateProblem(ctx.db, expired.id, today())).toEqual({ kind: 'caregiver', expiresOn: inDays(-1), missing: false });
    expect(await certificateProblem(ctx.db, none.id, today())).toEqual({ kind: 'caregiver', expiresOn: null, missing: true });
    // before it was issued, it does not count
    expect(await certificateProblem(ctx.db, valid.id, '2024-02-28')).toMatchObject({ missing: false });

    // a renewal is a new certificate: the caregiver is valid again
    await add(expired.id, { kind: 'caregiver', number: 'YL-003b', issuedOn: inDays(-1), expiresOn: inDays(700) });
    expect(await certificateProblem(ctx.db, expired.id, today())).toBeNull();

    const before = await count('service_certificates');
    const wrong = await add(valid.id, { kind: 'caregiver', number: 'YL-X', issuedOn: '2025-05-01', expiresOn: '2025-04-01' });
    expect(wrong.statusCode).toBe(400);
    expect(errorCode(wrong)).toBe('SERVICE_CERTIFICATE_DATES');
    const badDate = await add(valid.id, { kind: 'caregiver', number: 'YL-X', issuedOn: '2025/05/01', expiresOn: null });
    expect(errorCode(badDate)).toBe('VALIDATION');
    expect(await count('service_certificates')).toBe(before);
  });

  it("seeds the jurisdiction's default items once, adds and edits items (audited before/after), refuses a duplicate code", async () => {
    const list = await call(app, staffA, { method: 'GET', url: '/api/services/items' });
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json<ItemsReply>().items;
    expect(items).toHaveLength(DEFAULT_ITEMS.length);
    expect(items.find((i) => i.code === 'clean')).toMatchObject({ category: 'clean', nameZh: '助洁', priceFen: 5_000, standardMinutes: 60, active: true });
    expect(new Set(items.map((i) => i.category))).toEqual(new Set(['meal', 'clean', 'bath', 'walk', 'medical', 'emergency', 'other']));
    await ensureDefaultItems(ctx, ctx.regions.counties()[0]!.code, 0);
    await Promise.all([ensureDefaultItems(ctx, 'elsewhere', 0), ensureDefaultItems(ctx, 'elsewhere', 0)]);
    expect(await count('service_items')).toBe(2 * DEFAULT_ITEMS.length);
    expect((await call(app, admin, { method: 'GET', url: '/api/services/items' })).json<ItemsReply>().items).toHaveLength(DEFAULT_ITEMS.length);

    const created = await call(app, admin, {
      method: 'POST',
      url: '/api/services/items',
      payload: { code: 'foot_care', category: 'other', nameZh: '足部护理', nameEn: 'Foot care', priceFen: 4_500, standardMinutes: 45 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const item = created.json<ServiceItemView>();
    expect((await itemById(ctx.db, item.id))?.price_fen).toBe(4_500);
    const dup = await call(app, admin, {
      method: 'POST',
      url: '/api/services/items',
      payload: { code: 'foot_care', category: 'other', nameZh: '足疗', nameEn: 'Foot', priceFen: 1, standardMinutes: 30 },
    });
    expect(errorCode(dup)).toBe('SERVICE_ITEM_CODE_TAKEN');
    const byStaff = await call(app, staffA, {
      method: 'POST',
      url: '/api/services/items',
      payload: { code: 'x_item', category: 'other', nameZh: '某', nameEn: 'X', priceFen: 1, standardMinutes: 30 },
    });
    expect(byStaff.statusCode).toBe(403);

    const edited = await call(app, town1, { method: 'PATCH', url: `/api/services/items/${item.id}`, payload: { priceFen: 5_200, active: false } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<ServiceItemView>()).toMatchObject({ priceFen: 5_200, active: false });
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'services.item_update')
      .where('entity_id', '=', String(item.id))
      .executeTakeFirstOrThrow();
    const detail = JSON.parse(audit.detail!) as { before: ServiceItemView; after: ServiceItemView };
    expect(detail.before.priceFen).toBe(4_500);
    expect(detail.after.priceFen).toBe(5_200);
    const missing = await call(app, admin, { method: 'PATCH', url: '/api/services/items/999999', payload: { priceFen: 1 } });
    expect(errorCode(missing)).toBe('SERVICE_ITEM_NOT_FOUND');
  });

  it('enrols clients with the home sealed and the card kept only as a keyed hash; bad input writes nothing', async () => {
    const res = await call(app, staffA, {
      method: 'POST',
      url: '/api/services/clients',
      payload: { providerId: provA.id, personId: elder1, home: HOME, cardCode: '20260417' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const client = res.json<ClientView>();
    expect(client).toMatchObject({ providerId: provA.id, personId: elder1, personName: '服务甲', regionCode: village1, hasCard: true, active: true });

    const row = (await activeClient(ctx.db, provA.id, elder1))!;
    expect(row.id).toBe(client.id);
    // the card code and the home appear nowhere in clear
    const stored = JSON.stringify(row);
    expect(stored).not.toContain('20260417');
    expect(stored).not.toContain('30.8712');
    expect(stored).not.toContain('120.4231');
    expect(row.home_cell).toBe(cellOf(HOME));
    expect(homeOf(ctx, row)).toEqual(HOME);
    expect(cardMatches(ctx, row, '20260417')).toBe(true);
    expect(cardMatches(ctx, row, '20260418')).toBe(false);
    expect(cardMatches(ctx, { card_hash: null }, '20260417')).toBe(false);

    const before = await count('service_clients');
    const bad: { as: Session; payload: Record<string, unknown>; code: string }[] = [
      // home outside the jurisdiction's bounds
      { as: staffA, payload: { providerId: provA.id, personId: elder2, home: { lat: 39.9, lng: 116.4 } }, code: 'SERVICE_LOCATION_OUTSIDE' },
      // no fix (0,0)
      { as: staffA, payload: { providerId: provA.id, personId: elder2, home: { lat: 0, lng: 0 } }, code: 'SERVICE_LOCATION_INVALID' },
      // a card code of letters
      { as: staffA, payload: { providerId: provA.id, personId: elder2, home: HOME, cardCode: '12ab56' }, code: 'VALIDATION' },
      // enrolled already
      { as: staffA, payload: { providerId: provA.id, personId: elder1, home: HOME }, code: 'SERVICE_CLIENT_EXISTS' },
      // a person who does not exist
      { as: staffA, payload: { providerId: provA.id, personId: 99_999_999, home: HOME }, code: 'NOT_FOUND' },
      // another provider's staff enrolling with A
      { as: staffB, payload: { providerId: provA.id, personId: elder2, home: HOME }, code: 'SERVICE_PROVIDER_NOT_FOUND' },
      // a town officer: a person of another town
      { as: town1, payload: { providerId: provA.id, personId: elder3, home: HOME }, code: 'NOT_FOUND' },
    ];
    for (const b of bad) {
      const r = await call(app, b.as, { method: 'POST', url: '/api/services/clients', payload: b.payload });
      expect(errorCode(r), JSON.stringify(b.payload)).toBe(b.code);
    }
    expect(await count('service_clients')).toBe(before);

    // a person no longer active is not enrolled
    await ctx.db.updateTable('persons').set({ status: 'closed', closed_on: today() }).where('id', '=', elder2).execute();
    const closed = await call(app, town1, { method: 'POST', url: '/api/services/clients', payload: { providerId: provA.id, personId: elder2, home: HOME } });
    expect(errorCode(closed)).toBe('SERVICE_PERSON_INACTIVE');
    await ctx.db.updateTable('persons').set({ status: 'active', closed_on: null }).where('id', '=', elder2).execute();
    expect(await count('service_clients')).toBe(before);
  });

  it("isolates providers' clients; lists are audited; an enrolment ends once", async () => {
    const b = await call(app, staffB, { method: 'POST', url: '/api/services/clients', payload: { providerId: provB.id, personId: elder3, home: HOME } });
    expect(b.statusCode, b.body).toBe(201);
    const clientB = b.json<ClientView>();
    expect(clientB.hasCard).toBe(false);

    const ids = async (s: Session, q = '') =>
      (await call(app, s, { method: 'GET', url: `/api/services/clients${q}` })).json<ClientsReply>().items.map((c) => c.personId);
    expect(await ids(staffA)).toEqual([elder1]);
    expect(await ids(staffB)).toEqual([elder3]);
    expect(await ids(noOrg)).toEqual([]);
    expect((await ids(admin)).sort()).toEqual([elder1, elder3].sort());
    expect(await ids(town1)).toEqual([elder1]);
    expect(await ids(admin, `?providerId=${provB.id}`)).toEqual([elder3]);
    expect(await ids(admin, `?q=${encodeURIComponent('甲')}`)).toEqual([elder1]);

    const audit = await ctx.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'services.clients_read')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!).persons).toEqual([elder1]);

    // B's staff cannot end A's client (not found), A's can, once
    const aClient = (await activeClient(ctx.db, provA.id, elder1))!;
    const foreign = await call(app, staffB, { method: 'POST', url: `/api/services/clients/${aClient.id}/end`, payload: {} });
    expect(foreign.statusCode).toBe(404);
    expect(errorCode(foreign)).toBe('SERVICE_CLIENT_NOT_FOUND');
    const ended = await call(app, staffA, { method: 'POST', url: `/api/services/clients/${aClient.id}/end`, payload: {} });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json<ClientView>().active).toBe(false);
    expect(await activeClient(ctx.db, provA.id, elder1)).toBeNull();
    const again = await call(app, staffA, { method: 'POST', url: `/api/services/clients/${aClient.id}/end`, payload: {} });
    expect(errorCode(again)).toBe('SERVICE_CLIENT_ENDED');
    expect(await ids(staffA, '?all=true')).toEqual([elder1]);

    // enrolled again later: a new row, the old kept
    const re = await call(app, staffA, { method: 'POST', url: '/api/services/clients', payload: { providerId: provA.id, personId: elder1, home: HOME } });
    expect(re.statusCode, re.body).toBe(201);
    expect(re.json<ClientView>().id).not.toBe(aClient.id);
  });

  it("limits a provider's register to the persons it serves: clients, orders, active beds", async () => {
    const persons = async (s: Session) => {
      const r = await call(app, s, { method: 'GET', url: '/api/persons?pageSize=100' });
      expect(r.statusCode, r.body).toBe(200);
      return r
        .json<{ items: { id: number }[] }>()
        .items.map((p) => p.id)
        .sort();
    };
    expect(await persons(staffA)).toEqual([elder1]);
    expect(await persons(staffB)).toEqual([elder3]);
    expect(await persons(noOrg)).toEqual([]);
    expect((await call(app, staffA, { method: 'GET', url: `/api/persons/${elder2}` })).statusCode).toBe(404);
    expect((await call(app, staffA, { method: 'GET', url: `/api/persons/${elder1}` })).statusCode).toBe(200);

    // an order or an active family care bed of the provider reaches the person too; a closed bed does not
    const [item] = await ctx.db.selectFrom('service_items').select('id').limit(1).execute();
    const now = nowIso();
    await ctx.db
      .insertInto('service_orders')
      .values({
        client_id: randomUUID(),
        provider_id: provA.id,
        person_id: elder2,
        region_code: village1,
        item_id: item!.id,
        period: today().slice(0, 7),
        scheduled_on: today(),
        ordered_minutes: 60,
        price_fen: 5_000,
        entitled_fen: 5_000,
        self_paid_fen: 0,
        status: 'created',
        created_via: 'officer',
        source_id: null,
        caregiver_id: null,
        check_in_at: null,
        check_in_enc: null,
        check_in_cell: null,
        check_in_accuracy_m: null,
        check_in_distance_m: null,
        check_out_at: null,
        check_out_enc: null,
        check_out_cell: null,
        check_out_accuracy_m: null,
        check_out_distance_m: null,
        items_done: null,
        event_id: null,
        rating: null,
        rating_by: null,
        rated_at: null,
        cancel_reason: null,
        note: null,
        created_by: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    expect(await persons(staffA)).toEqual([elder1, elder2].sort());
    const bed = (status: string) => ({
      person_id: elder3,
      provider_id: provA.id,
      region_code: village2,
      status,
      opened_on: today(),
      closed_on: null,
      close_reason: null,
      adaptation: '[]',
      devices: '[]',
      created_by: 0,
      created_at: now,
    });
    await ctx.db.insertInto('family_care_beds').values(bed('closed')).execute();
    expect(await persons(staffA)).toEqual([elder1, elder2].sort());
    await ctx.db.insertInto('family_care_beds').values(bed('active')).execute();
    expect(await persons(staffA)).toEqual([elder1, elder2, elder3].sort());
    // B is unaffected by A's relations
    expect(await persons(staffB)).toEqual([elder3]);
  });
});
