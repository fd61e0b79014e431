import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from './app.js';
import { recordEvent } from './modules/care-events/care-events.service.js';
import { seedDemo } from './modules/demo/seed.js';
// issue 18 (alarms-ingest)
import { registerDevice } from './modules/alarms/devices.js';
import { everywhere } from './platform/scope.js';
// end alarms-ingest
// issue 18 (alarms-rules)
import { addDevice, storeEvents } from './modules/alarms/rules.fixtures.js';
// end alarms-rules
import { createTestContext, dialects, type TestContext } from './testing/harness.js';
import { call, loginAs, type Session } from './testing/http.js';
import { routesOf } from './testing/routes.js';

vi.mock('fastify', async (importOriginal) => (await import('./testing/routes.js')).trackRoutes(importOriginal as () => Promise<typeof import('fastify')>));

/**
 * Issue 13 seam 5: every answer that shows personal data (a person's name beside a masked ID, a
 * profile, a decision) writes an audit entry in the same transaction as the read. Checked for
 * every GET route the app has, whatever it is: a route added later that shows people without
 * auditing fails here without anyone remembering to list it.
 */
const PERSONAL_KEYS = new Set(['idMasked', 'phoneMasked', 'personName', 'idNumber']);

function showsPeople(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(showsPeople);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).some((k) => PERSONAL_KEYS.has(k))) return true;
    // a person's name with their id (roll lines, change lists, rosters)
    if ('name' in o && ('personId' in o || 'birthDate' in o)) return true;
    return Object.values(o).some(showsPeople);
  }
  return false;
}

describe.each(dialects)('reads of personal data are audited (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Session;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { loginRatePerMinute: 10_000 });
    await seedDemo(ctx, { elders: 300, seed: 3 });
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    admin = await loginAs(app, 'admin');
    const run = await ctx.db.selectFrom('entitlement_runs').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const roll = await ctx.db.selectFrom('payment_rolls').select('id').where('run_id', '=', run.id).limit(1).executeTakeFirstOrThrow();
    const person = await ctx.db
      .selectFrom('decisions')
      .select('person_id')
      .where('run_id', '=', run.id)
      .where('outcome', 'like', '%"nx-8":%')
      .limit(1)
      .executeTakeFirstOrThrow();
    const imp = await ctx.db.selectFrom('imports').select('id').limit(1).executeTakeFirstOrThrow();
    const assessment = await ctx.db.selectFrom('assessments').select(['id', 'person_id']).where('status', '=', 'reviewed').limit(1).executeTakeFirstOrThrow();
    Object.assign(ids, {
      run: String(run.id),
      roll: String(roll.id),
      person: String(person.person_id),
      import: String(imp.id),
      assessment: String(assessment.id),
      assessed: String(assessment.person_id),
    });
    // issue 16 (care-events): one verified event, so its list and its detail show someone
    const performer = await ctx.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
    const served = await ctx.db.selectFrom('persons').select('region_code').where('id', '=', person.person_id).executeTakeFirstOrThrow();
    const started = new Date(Date.now() - 3_600_000).toISOString();
    const careEvent = await ctx.db.transaction().execute((trx) =>
      recordEvent(ctx, trx, {
        clientId: 'audited-reads-event',
        kind: 'visit',
        source: 'visits',
        sourceId: null,
        performer: { id: performer.id, role: 'bureau_admin' },
        personId: person.person_id,
        regionCode: served.region_code,
        mode: 'phone',
        startedAt: started,
        endedAt: new Date(Date.now() - 3_000_000).toISOString(),
        findings: [],
        notes: '电话探访',
      }),
    );
    ids.careEvent = String(careEvent.id);
    // issue 17: one of the demo's verified home-service orders, its elder, its provider's month
    const order = await ctx.db
      .selectFrom('service_orders')
      .select(['id', 'person_id', 'provider_id', 'period'])
      .where('status', 'in', ['checked_out', 'rated'])
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    Object.assign(ids, {
      serviceOrder: String(order.id),
      servicePerson: String(order.person_id),
      serviceProvider: String(order.provider_id),
      servicePeriod: order.period,
    });
    // one open conflict, so the conflict list shows someone
    await ctx.db
      .insertInto('attribute_conflicts')
      .values({
        person_id: person.person_id,
        field: 'hardship',
        current_value: 'none',
        current_source: 'civil_affairs',
        current_as_of: '2026-01-01',
        incoming_value: 'dibao',
        incoming_source: 'civil_affairs',
        incoming_as_of: '2026-02-01',
        import_id: imp.id,
        status: 'open',
        resolved_by: null,
        resolved_at: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    // issue 18 (alarms-hotline): a contact, a ticket and a return call about the person, so the hotline's lists show someone
    const hotlineRegion = (await ctx.db.selectFrom('persons').select('region_code').where('id', '=', person.person_id).executeTakeFirstOrThrow()).region_code;
    await ctx.db
      .insertInto('hotline_contacts')
      .values({
        person_id: person.person_id,
        region_code: hotlineRegion,
        name: '联系人',
        relation: 'child',
        phone_enc: ctx.cipher.encrypt('13800000041'),
        phone_masked: '138****0041',
        rank: 1,
        updated_by: 0,
        updated_at: new Date().toISOString(),
      })
      .execute();
    const hotlineTicket = await ctx.db
      .insertInto('hotline_tickets')
      .values({
        kind: 'complaint',
        status: 'open',
        person_id: person.person_id,
        region_code: hotlineRegion,
        caller_phone_enc: null,
        caller_phone_hash: null,
        caller_name: null,
        subject: '投诉',
        notes_enc: null,
        alarm_id: null,
        article_id: null,
        follow_up: null,
        operator_id: 0,
        opened_at: new Date().toISOString(),
        closed_at: null,
        due_at: null,
        outcome: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.hotlineTicket = String(hotlineTicket.id);
    await ctx.db
      .insertInto('hotline_callbacks')
      .values({
        person_id: person.person_id,
        region_code: hotlineRegion,
        alarm_id: null,
        ticket_id: hotlineTicket.id,
        due_on: '2026-01-01',
        status: 'open',
        done_at: null,
        done_by: null,
        outcome: null,
        note_enc: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    // end alarms-hotline
    // issue 18 (alarms-rules): an alarm of the person, so the alarm list, its detail and the shift show someone
    {
      const region = (await ctx.db.selectFrom('persons').select('region_code').where('id', '=', person.person_id).executeTakeFirstOrThrow()).region_code;
      const device = await addDevice(ctx, person.person_id, region, 'emergency_button');
      ids.alarm = String((await storeEvents(ctx, device, [{ kind: 'sos', at: new Date().toISOString() }])).changes[0]!.id);
    }
    // end alarms-rules
    // issue 18 (alarms-ingest): a device with an address for the person, so the device list and its detail show someone
    ids.alarmDevice = String(
      (
        await registerDevice(ctx, everywhere('test'), {
          serial: 'AUDITED-READS-1',
          kind: 'emergency_button',
          personId: Number(ids.person),
          address: '测试村 1 组 1 号',
          installedOn: '2026-11-01',
        })
      ).id,
    );
    // end alarms-ingest
    // issue 19 (admission): the demo's queue, so the queue and an application show someone
    const application = await ctx.db.selectFrom('admission_applications').select(['id', 'facility_id']).orderBy('id').limit(1).executeTakeFirst();
    ids.admissionApplication = String(application?.id ?? 1);
    ids.admissionFacility = String(application?.facility_id ?? 1);
    // end admission
    // issue 19 (facilities): the demo's institution with residents, whose page (beds) and residents list show them
    const stay = await ctx.db.selectFrom('facility_stays').select('facility_id').where('until_date', 'is', null).orderBy('id').limit(1).executeTakeFirst();
    ids.facility = String(stay?.facility_id ?? 1);
    // end facilities
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const urlOf = (url: string) => {
    let u = url.replace(':itemId', 'nx-8').replace(':key', 'public_security').replace(':jurisdiction', 'nanxun');
    if (u.startsWith('/api/runs/:id')) u = u.replace(':id', ids.run!);
    else if (u.startsWith('/api/rolls/:id')) u = u.replace(':id', ids.roll!);
    // a person with assessments, so that their section and assignments show someone
    else if (u.startsWith('/api/persons/:id/capability') || u.startsWith('/api/persons/:id/assessment')) u = u.replace(':id', ids.assessed!);
    else if (u.startsWith('/api/persons/:id')) u = u.replace(':id', ids.person!);
    else if (u.startsWith('/api/imports/:id')) u = u.replace(':id', ids.import!);
    else if (u.startsWith('/api/assessments/:id')) u = u.replace(':id', ids.assessment!);
    // issue 16: ids of visits, verified events and time-bank rows (each helper adds its own lines)
    else if (u.startsWith('/api/care-events/:id')) u = u.replace(':id', ids.careEvent ?? '1').replace(':photoId', '1');
    else if (u.startsWith('/api/timebank/accounts/:id')) u = u.replace(':id', ids.timebankAccount ?? '1');
    // issue 17: the demo's home services
    else if (u.startsWith('/api/services/entitlements/:personId')) u = u.replace(':personId', ids.servicePerson!) + `?period=${ids.servicePeriod}`;
    else if (u.startsWith('/api/services/orders/:id')) u = u.replace(':id', ids.serviceOrder!).replace(':photoId', '1');
    else if (u.startsWith('/api/services/settlements/:providerId/:period'))
      u = u.replace(':providerId', ids.serviceProvider!).replace(':period', ids.servicePeriod!);
    // issue 18 (alarms-hotline)
    if (u.startsWith('/api/alarms/persons/:id/summary') || u.startsWith('/api/alarms/persons/:id/contacts')) u = u.replace(':id', ids.person!);
    if (u.startsWith('/api/alarms/hotline/tickets/:id')) u = u.replace(':id', ids.hotlineTicket ?? '1');
    // end alarms-hotline
    // issue 18 (alarms-rules)
    if (u.startsWith('/api/alarms/alarms/:id')) u = u.replace(':id', ids.alarm!);
    if (u.startsWith('/api/alarms/persons/:id/overrides')) u = u.replace(':id', ids.person!);
    // end alarms-rules
    // issue 18 (alarms-ingest)
    if (u.startsWith('/api/alarms/devices/:id')) u = u.replace(':id', ids.alarmDevice!);
    // end alarms-ingest
    if (u === '/api/runs/impact') u += '?period=2026-01';
    // issue 18 (alarms-reports): the quality sample of a month of the demo's calls
    if (u === '/api/alarms/reports/quality') u += `?month=${new Date().toISOString().slice(0, 7)}`;
    // end alarms-reports
    // issue 19 (admission)
    if (u === '/api/admission/queue') u += `?facilityId=${ids.admissionFacility}`;
    if (u.startsWith('/api/admission/applications/:id')) u = u.replace(':id', ids.admissionApplication!);
    // end admission
    // issue 19 (facilities)
    if (u.startsWith('/api/facilities/:id')) u = u.replace(':id', ids.facility!);
    // end facilities
    // the live stream never ends: its snapshot answers and ends
    if (u === '/api/events') u += '?snapshot=true';
    return u;
  };
  const auditCount = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('every GET route whose answer shows people wrote an audit entry for it', async () => {
    const gets = routesOf(app).filter((r) => r.method === 'GET' && r.url.startsWith('/api') && !r.url.includes('*'));
    expect(gets.length).toBeGreaterThan(20);
    const checked: string[] = [];
    const missing: string[] = [];
    for (const r of gets) {
      const url = urlOf(r.url);
      const before = await auditCount();
      const res = await call(app, admin, { method: 'GET', url });
      if (res.statusCode !== 200 || !String(res.headers['content-type']).includes('json')) continue;
      const body = res.json<Record<string, unknown>>();
      // the API's own description names the fields, it shows nobody
      if ('openapi' in body || 'swagger' in body) continue;
      if (!showsPeople(body)) continue;
      checked.push(r.url);
      if ((await auditCount()) === before) missing.push(`${r.url} (${url})`);
    }
    // the routes known to show people are among those checked
    expect(missing).toEqual([]);
    expect(checked).toEqual(
      expect.arrayContaining([
        '/api/persons',
        '/api/persons/:id',
        '/api/rolls/:id',
        '/api/runs/:id/changes',
        '/api/runs/:id/rosters/:itemId',
        '/api/conflicts',
        '/api/assessments',
        '/api/assessments/:id',
        '/api/assessments/due',
        '/api/persons/:id/capability',
      ]),
    );
  });

  // issue 18 (alarms-rules)
  it('the alarms’ reads that show people are audited', async () => {
    for (const url of ['/api/alarms/alarms', `/api/alarms/alarms/${ids.alarm}`, `/api/alarms/persons/${ids.person}/overrides`, '/api/alarms/shift']) {
      const before = await auditCount();
      const res = await call(app, admin, { method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(showsPeople(res.json()), url).toBe(true);
      expect(await auditCount(), url).toBeGreaterThan(before);
    }
  });
  // end alarms-rules

  // issue 18 (alarms-ingest)
  it('the device list and the device detail (with its address) are audited', async () => {
    for (const url of ['/api/alarms/devices', `/api/alarms/devices/${ids.alarmDevice}`]) {
      const before = await auditCount();
      const res = await call(app, admin, { method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(showsPeople(res.json()), url).toBe(true);
      expect(await auditCount(), url).toBeGreaterThan(before);
    }
    const entry = await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'alarms.device_read', entity_id: ids.alarmDevice });
    expect(JSON.parse(entry.fields!)).toEqual(['address']);
  });
  // end alarms-ingest

  // issue 19 (facilities)
  it('a facility’s residents and its beds with their occupants are audited, naming the residents', async () => {
    for (const url of [`/api/facilities/${ids.facility}/residents`, `/api/facilities/${ids.facility}`]) {
      const before = await auditCount();
      const res = await call(app, admin, { method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(await auditCount(), url).toBeGreaterThan(before);
      const entry = await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(entry).toMatchObject({ action: 'facilities.residents_read', entity_id: ids.facility });
      expect((JSON.parse(entry.detail!) as { persons: number[] }).persons.length).toBeGreaterThan(0);
    }
  });
  // end facilities

  it('the entry of a list names the persons it showed', async () => {
    const res = await call(app, admin, { method: 'GET', url: `/api/rolls/${ids.roll}?pageSize=5` });
    const shown = res.json<{ lines: { personId: number }[] }>().lines.map((l) => l.personId);
    const entry = await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor: 'admin', entity_type: 'roll', entity_id: ids.roll });
    expect((JSON.parse(entry.detail!) as { persons: number[] }).persons).toEqual(shown);
  });
});
