import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import { hashPassword } from '../../platform/auth.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs } from '../../testing/http.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { personPermitted } from '../register/people.js';
import { insertAccounts } from '../users/accounts.js';
import { workbench } from '../workbench/workbench.service.js';
import { assign, currentWorkers, reassignVillage, unassign } from './assignments.js';
import { raiseEscalations } from './escalation.js';
import { raiseFollowup } from './followups.js';
import { overduePersons } from './overdue.js';
import { addDue, addPlanMember, mondayOf, shiftDays } from './work.fixtures.js';
import type { AssignmentsReply, OverdueReply } from './work.schema.js';

describe.each(dialects)('visits work on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let village1: string;
  let village2: string;
  let head1: Scope;
  let town1: Scope;
  let ids: Record<string, number> = {};
  let users: Record<string, number> = {};
  let n = 0;
  const on = today();
  // the last three calendar weeks that have ended, newest first
  const thisMonday = mondayOf(on);
  const sunday = shiftDays(thisMonday, 6) === on;
  const week = (k: number) => ({ windowStart: shiftDays(thisMonday, -7 * k), windowEnd: shiftDays(thisMonday, -7 * k + 6) });

  async function person(key: string, region: string) {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-${key}-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `330503********${String(n).padStart(4, '0')}`,
      name: `测试${key}`,
      sex: 'F',
      birth_date: '1940-03-01',
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
    const { id } = await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow();
    ids[key] = id;
    return id;
  }

  const count = async (table: 'visit_assignments' | 'visit_escalations' | 'visit_followups') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    ids = {};
    users = {};
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    head1 = await userScope(ctx, 'head1');
    town1 = await userScope(ctx, 'town1');
    village1 = head1.regionCode;
    village2 = ctx.regions.all().find((r) => r.level === 'village' && r.code !== village1)!.code;
    await insertAccounts(
      ctx.db,
      [{ username: 'grid2', displayName: '别村网格员', role: 'grid_worker', regionCode: village2, passwordHash: await hashPassword(DEMO_PASSWORD) }],
      nowIso(),
    );
    for (const u of await ctx.db.selectFrom('users').select(['id', 'username']).execute()) users[u.username] = u.id;
    // village1: a..e in plans; f not in any plan; x in another village
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f']) await person(k, village1);
    await person('x', village2);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('refuses a worker of another village (VISIT_WORKER_NOT_LOCAL, zh and en naming both places) and writes nothing', async () => {
    const head = await loginAs(app, 'head1');
    const before = await count('visit_assignments');
    const res = await call(app, head, {
      method: 'POST',
      url: '/api/visits/assignments',
      payload: { personIds: [ids.a, ids.b], workerId: users.grid2 },
    });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('VISIT_WORKER_NOT_LOCAL');
    expect(res.json().error.message).toContain('别村网格员');
    expect(res.json().error.message).toContain(ctx.regions.get(village1)!.name);
    const en = await call(app, head, {
      method: 'POST',
      url: '/api/visits/assignments',
      payload: { personIds: [ids.a], workerId: users.grid2 },
      headers: { 'accept-language': 'en' },
    });
    expect(en.json().error.message).toMatch(/covers .* which does not include .*nothing was assigned/);
    // not a visitor at all, and a person outside the head's village
    expect(await codeOf(assign(ctx, head1, { personIds: [ids.a!], workerId: users.town1! }))).toBe('VISIT_WORKER_UNKNOWN');
    expect(await codeOf(assign(ctx, head1, { personIds: [ids.x!], workerId: users.grid1! }))).toBe('VISIT_PERSONS_NOT_FOUND');
    // a grid worker may not assign
    const grid = await loginAs(app, 'grid1');
    expect((await call(app, grid, { method: 'POST', url: '/api/visits/assignments', payload: { personIds: [ids.a], workerId: users.grid1 } })).statusCode).toBe(
      403,
    );
    expect(await count('visit_assignments')).toBe(before);
  });

  it('a reassignment ends the open row and keeps the history; the same worker again changes nothing', async () => {
    const r1 = await assign(ctx, head1, { personIds: [ids.a!, ids.b!, ids.c!], workerId: users.grid1!, note: '首次分派' });
    expect(r1).toMatchObject({ assigned: 3, reassigned: 0, unchanged: 0 });
    const r2 = await assign(ctx, head1, { personIds: [ids.a!, ids.b!], workerId: users.vol1! });
    expect(r2).toMatchObject({ assigned: 2, reassigned: 2, unchanged: 0, worker: { id: users.vol1, role: 'volunteer' } });
    const r3 = await assign(ctx, head1, { personIds: [ids.a!], workerId: users.vol1! });
    expect(r3).toMatchObject({ assigned: 0, reassigned: 0, unchanged: 1 });
    const workers = await currentWorkers(ctx.db, [ids.a!, ids.c!, ids.d!]);
    expect(workers.get(ids.a!)).toMatchObject({ workerId: users.vol1, role: 'volunteer' });
    expect(workers.get(ids.c!)).toMatchObject({ workerId: users.grid1, role: 'grid_worker' });
    expect(workers.has(ids.d!)).toBe(false);
    const head = await loginAs(app, 'head1');
    const res = await call(app, head, { method: 'GET', url: `/api/persons/${ids.a}/visit-assignments` });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { worker: { id: number }; endedAt: string | null; endedBy: { id: number } | null; note: string | null }[] }>().items;
    expect(items.map((i) => i.worker.id)).toEqual([users.vol1, users.grid1]);
    expect(items[0]!.endedAt).toBeNull();
    expect(items[1]).toMatchObject({ endedBy: { id: users.head1 }, note: '首次分派' });
    expect(items[1]!.endedAt).not.toBeNull();
    // the read was audited naming the person
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'visits.assignments_read')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!).persons).toEqual([ids.a]);
  });

  it("a volunteer's lists show only their people, and the register's check answers no for the others", async () => {
    // plan members a..e; a, b with vol1; c with grid1
    const members: Record<string, number> = {};
    for (const k of ['a', 'b', 'c', 'd']) members[k] = await addPlanMember(ctx.db, { personId: ids[k]!, regionCode: village1, highRisk: false });
    members.e = await addPlanMember(ctx.db, { personId: ids.e!, regionCode: village1, highRisk: true });
    ids.memberA = members.a!;
    ids.memberE = members.e!;
    const vol = await loginAs(app, 'vol1');
    const list = await call(app, vol, { method: 'GET', url: '/api/visits/assignments' });
    expect(list.statusCode).toBe(200);
    expect(
      list
        .json<AssignmentsReply>()
        .items.map((i) => i.personId)
        .sort(),
    ).toEqual([ids.a, ids.b].sort());
    const grid = await loginAs(app, 'grid1');
    expect((await call(app, grid, { method: 'GET', url: '/api/visits/assignments' })).json<AssignmentsReply>().items.map((i) => i.personId)).toEqual([ids.c]);
    // the village head sees the whole village's members, with who visits them
    const head = await loginAs(app, 'head1');
    const all = (await call(app, head, { method: 'GET', url: '/api/visits/assignments' })).json<AssignmentsReply>();
    expect(all.total).toBe(5);
    expect(all.items.find((i) => i.personId === ids.d)!.worker).toBeNull();
    expect(
      (await call(app, head, { method: 'GET', url: '/api/visits/assignments?unassigned=true' }))
        .json<AssignmentsReply>()
        .items.map((i) => i.personId)
        .sort(),
    ).toEqual([ids.d, ids.e].sort());
    // reach: the volunteer reaches a, not c (the register's permittedPersons asks visits/reach.ts)
    const volScope = await userScope(ctx, 'vol1');
    expect(await personPermitted(ctx.db, volScope, ids.a!)).toBe(true);
    expect(await personPermitted(ctx.db, volScope, ids.c!)).toBe(false);
    expect((await call(app, vol, { method: 'GET', url: `/api/persons/${ids.a}/visit-assignments` })).statusCode).toBe(200);
    const other = await call(app, vol, { method: 'GET', url: `/api/persons/${ids.c}/visit-assignments` });
    expect(other.statusCode).toBe(404);
    expect(errorCode(other)).toBe('NOT_FOUND');
    // workers: the head sees both of the village, the volunteer only themself
    const workers = (await call(app, head, { method: 'GET', url: '/api/visits/workers' })).json<{ items: { id: number; people: number }[] }>().items;
    expect(workers.find((w) => w.id === users.vol1)!.people).toBe(2);
    expect(workers.find((w) => w.id === users.grid1)!.people).toBe(1);
    expect((await call(app, vol, { method: 'GET', url: '/api/visits/workers' })).json<{ items: { id: number }[] }>().items.map((w) => w.id)).toEqual([
      users.vol1,
    ]);
  });

  it("village reassignment moves one worker's people, or every member of the village", async () => {
    const r = await reassignVillage(ctx, head1, { regionCode: village1, fromWorkerId: users.vol1!, toWorkerId: users.grid1! });
    expect(r).toMatchObject({ assigned: 2, reassigned: 2 });
    let w = await currentWorkers(ctx.db, [ids.a!, ids.b!, ids.c!, ids.d!, ids.f!]);
    expect([ids.a, ids.b, ids.c].map((id) => w.get(id!)?.workerId)).toEqual([users.grid1, users.grid1, users.grid1]);
    expect(w.has(ids.d!)).toBe(false);
    const all = await reassignVillage(ctx, head1, { regionCode: village1, toWorkerId: users.vol1! });
    // a..e are members (f is in no plan): three moved from grid1, d and e newly assigned
    expect(all).toMatchObject({ assigned: 5, reassigned: 3, unchanged: 0 });
    w = await currentWorkers(ctx.db, [ids.a!, ids.d!, ids.e!, ids.f!]);
    expect(w.get(ids.d!)?.workerId).toBe(users.vol1);
    expect(w.has(ids.f!)).toBe(false);
    // another village's region: not the head's
    expect(await codeOf(reassignVillage(ctx, head1, { regionCode: village2, toWorkerId: users.grid2! }))).toBe('VISIT_REGION_NOT_FOUND');
    // a worker not of the village: refused, nothing changed
    const before = await count('visit_assignments');
    expect(await codeOf(reassignVillage(ctx, town1, { regionCode: village1, toWorkerId: users.grid2! }))).toBe('VISIT_WORKER_NOT_LOCAL');
    expect(await count('visit_assignments')).toBe(before);
    // back to the layout the next tests use: a, b with vol1; c, d, e with grid1
    await assign(ctx, head1, { personIds: [ids.c!, ids.d!, ids.e!], workerId: users.grid1! });
    await unassign(ctx, head1, ids.d!);
    expect((await currentWorkers(ctx.db, [ids.d!])).has(ids.d!)).toBe(false);
    await assign(ctx, head1, { personIds: [ids.d!], workerId: users.grid1! });
  });

  it('escalates a high-risk member after two missed windows in a row, not after one, not outside the high-risk plan, once', async () => {
    // e: high-risk, the last two weeks missed; a (not high-risk): two missed; b: high-risk with one missed week only
    await addDue(ctx.db, ids.memberE!, { ...week(3), status: 'done' });
    await addDue(ctx.db, ids.memberE!, { ...week(2), status: 'missed' });
    const lastE = week(1);
    await addDue(ctx.db, ids.memberE!, { ...lastE, status: 'missed' });
    // this week's window, still open (on a Sunday it ends today: not yet missed, and not counted)
    if (!sunday) await addDue(ctx.db, ids.memberE!, { windowStart: thisMonday, windowEnd: shiftDays(thisMonday, 6), status: 'open' });
    await addDue(ctx.db, ids.memberA!, { windowStart: shiftDays(thisMonday, -70), windowEnd: shiftDays(thisMonday, -40), status: 'missed' });
    await addDue(ctx.db, ids.memberA!, { windowStart: shiftDays(thisMonday, -39), windowEnd: shiftDays(thisMonday, -1), status: 'missed' });
    await ctx.db.updateTable('visit_plan_members').set({ left_on: on, left_reason: 'plan_changed' }).where('person_id', '=', ids.b!).execute();
    const memberB = await addPlanMember(ctx.db, { personId: ids.b!, regionCode: village1, highRisk: true });
    await addDue(ctx.db, memberB, { ...week(2), status: 'done' });
    await addDue(ctx.db, memberB, { ...week(1), status: 'missed' });
    const auditsBefore = Number(
      (
        await ctx.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action', '=', 'visits.escalate')
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(await raiseEscalations(ctx, on)).toBe(1);
    const esc = await ctx.db.selectFrom('visit_escalations').selectAll().execute();
    expect(esc).toHaveLength(1);
    expect(esc[0]).toMatchObject({ person_id: ids.e, last_window_end: lastE.windowEnd, status: 'open', region_code: village1 });
    expect(JSON.parse(esc[0]!.due_ids)).toHaveLength(2);
    const ticket = await ctx.db.selectFrom('visit_followups').selectAll().where('escalation_id', '=', esc[0]!.id).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ person_id: ids.e, kind: 'hotline', finding: 'escalation', status: 'open', raised_by: 0 });
    // audited as the system
    const audit = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'visits.escalate')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(audit.actor).toBe('system:visits-escalation');
    expect(JSON.parse(audit.detail!).persons).toEqual([ids.e]);
    // run again (a second server, the next refresh the same day): nothing new
    expect(await raiseEscalations(ctx, on)).toBe(0);
    expect(await count('visit_escalations')).toBe(1);
    expect(
      Number(
        (
          await ctx.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('action', '=', 'visits.escalate')
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(auditsBefore + 1);
    // on the village head's list and in the hotline operator's queue the same day
    const head = await loginAs(app, 'head1');
    const list = (await call(app, head, { method: 'GET', url: '/api/visits/escalations' })).json<{
      items: { personId: number; missedWindows: number; followupId: number }[];
    }>();
    expect(list.items).toEqual([expect.objectContaining({ personId: ids.e, missedWindows: 2, followupId: ticket.id })]);
    const hotline = await loginAs(app, 'hotline1');
    const queue = (await call(app, hotline, { method: 'GET', url: '/api/visits/followups' })).json<{ items: { id: number; kind: string }[] }>();
    expect(queue.items.map((i) => i.id)).toContain(ticket.id);
    expect(queue.items.every((i) => i.kind === 'hotline')).toBe(true);
  });

  it('lists the overdue per worker and region, with the missed windows in a row and the high-risk flag', async () => {
    const overdue = await overduePersons(ctx.db, town1, {}, on);
    const e = overdue.find((p) => p.personId === ids.e)!;
    expect(e).toMatchObject({ highRisk: true, consecutive: 2, worker: { workerId: users.grid1 } });
    const a = overdue.find((p) => p.personId === ids.a)!;
    expect(a).toMatchObject({ highRisk: false, consecutive: 2, worker: { workerId: users.vol1 } });
    expect(overdue.find((p) => p.personId === ids.b)).toMatchObject({ consecutive: 1 });
    // high-risk first
    expect(overdue[0]!.personId).toBe(ids.e);
    const grid = await loginAs(app, 'grid1');
    const mine = (await call(app, grid, { method: 'GET', url: '/api/visits/overdue' })).json<OverdueReply>();
    expect(mine.items.map((i) => i.personId)).toEqual([ids.e]);
    const town = await loginAs(app, 'town1');
    const hr = (await call(app, town, { method: 'GET', url: '/api/visits/overdue?highRisk=true' })).json<OverdueReply>();
    expect(hr.items.map((i) => i.personId).sort()).toEqual([ids.b, ids.e].sort());
    const summary = (await call(app, town, { method: 'GET', url: '/api/visits/overdue/summary' })).json<{
      byWorker: { workerId: number | null; overdue: number }[];
      byRegion: { regionCode: string; overdue: number }[];
    }>();
    expect(summary.byWorker.find((w) => w.workerId === users.vol1)!.overdue).toBe(2);
    expect(summary.byWorker.find((w) => w.workerId === users.grid1)!.overdue).toBe(1);
    expect(summary.byRegion.find((r) => r.regionCode === village1)!.overdue).toBe(3);
    // visited since, in the window running now: back on track, off the list (as on the worker's phone)
    const caughtUp = await addDue(ctx.db, ids.memberA!, { windowStart: on, windowEnd: shiftDays(on, 30), status: 'done', doneOn: on });
    const after = await overduePersons(ctx.db, town1, {}, on);
    expect(after.map((p) => p.personId)).not.toContain(ids.a);
    expect(after.map((p) => p.personId)).toContain(ids.e);
    await ctx.db.deleteFrom('visit_dues').where('id', '=', caughtUp).execute();
  });

  it('follow-ups are raised, taken and closed once; a reassessment asks for an assessment in the same transaction', async () => {
    const grid = await loginAs(app, 'grid1');
    const raised = await call(app, grid, {
      method: 'POST',
      url: '/api/visits/followups',
      payload: { personId: ids.c, kind: 'home_service', finding: 'needs.meal', note: '希望每天送午餐' },
    });
    expect(raised.statusCode).toBe(201);
    const f = raised.json<{ id: number; status: string; note: string; findingWords: { zh: string } }>();
    expect(f).toMatchObject({ status: 'open', note: '希望每天送午餐', findingWords: { zh: '需要助餐' } });
    // the note is sealed at rest
    const stored = await ctx.db.selectFrom('visit_followups').select('note_enc').where('id', '=', f.id).executeTakeFirstOrThrow();
    expect(stored.note_enc).not.toContain('午餐');
    const head = await loginAs(app, 'head1');
    const taken = await call(app, head, { method: 'POST', url: `/api/visits/followups/${f.id}/take`, payload: {} });
    expect(taken.json()).toMatchObject({ status: 'in_progress', takenBy: { id: users.head1 } });
    const closed = await call(app, head, { method: 'POST', url: `/api/visits/followups/${f.id}/close`, payload: { resolution: '已联系助餐点' } });
    expect(closed.json()).toMatchObject({ status: 'closed', resolution: '已联系助餐点', closedBy: { id: users.head1 } });
    const again = await call(app, head, { method: 'POST', url: `/api/visits/followups/${f.id}/close`, payload: { resolution: '再次办结' } });
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('VISIT_FOLLOWUP_CLOSED');
    expect(again.json().error.message).toContain(`编号 ${f.id}`);
    const row = await ctx.db.selectFrom('visit_followups').select(['resolution', 'status']).where('id', '=', f.id).executeTakeFirstOrThrow();
    expect(ctx.cipher.decrypt(row.resolution!)).toBe('已联系助餐点');
    // two handlers closing one follow-up at once (the village head and the hotline): it is closed once, one audit entry
    const g = (
      await call(app, grid, { method: 'POST', url: '/api/visits/followups', payload: { personId: ids.c, kind: 'hotline', finding: 'health.mood', note: null } })
    ).json<{ id: number }>();
    const hotline = await loginAs(app, 'hotline1');
    const audits = async () =>
      Number(
        (
          await ctx.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('action', '=', 'visits.followup_close')
            .where('entity_id', '=', String(g.id))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const both = await Promise.all(
      [head, hotline].map((who) => call(app, who, { method: 'POST', url: `/api/visits/followups/${g.id}/close`, payload: { resolution: '已回访' } })),
    );
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await audits()).toBe(1);
    // the grid worker does not handle follow-ups; a volunteer cannot raise one for someone not theirs
    expect((await call(app, grid, { method: 'POST', url: `/api/visits/followups/${f.id}/take`, payload: {} })).statusCode).toBe(403);
    const vol = await loginAs(app, 'vol1');
    const notMine = await call(app, vol, {
      method: 'POST',
      url: '/api/visits/followups',
      payload: { personId: ids.c, kind: 'hotline', finding: 'health.ill' },
    });
    expect(notMine.statusCode).toBe(404);
    // unknown follow-up
    expect(errorCode(await call(app, head, { method: 'POST', url: '/api/visits/followups/999999/close', payload: { resolution: 'x' } }))).toBe(
      'VISIT_FOLLOWUP_NOT_FOUND',
    );
    // a volunteer's reassessment (inside a visit's transaction) asks for an assessment and links it
    const volScope = await userScope(ctx, 'vol1');
    const id = await ctx.db
      .transaction()
      .execute((trx) =>
        raiseFollowup(ctx, trx, volScope, { personId: ids.a!, eventId: null, kind: 'reassessment', finding: 'health.fall', note: '上周在家跌倒' }),
      );
    const re = await ctx.db.selectFrom('visit_followups').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(re.assessment_request_id).not.toBeNull();
    // a second one for the same person links the request already open
    const id2 = await ctx.db
      .transaction()
      .execute((trx) => raiseFollowup(ctx, trx, volScope, { personId: ids.a!, eventId: null, kind: 'reassessment', finding: 'health.memory', note: null }));
    expect(
      (await ctx.db.selectFrom('visit_followups').select('assessment_request_id').where('id', '=', id2).executeTakeFirstOrThrow()).assessment_request_id,
    ).toBe(re.assessment_request_id);
    // a failure inside the visit's transaction leaves neither the follow-up nor the request
    const before = await count('visit_followups');
    await expect(
      ctx.db.transaction().execute(async (trx) => {
        await raiseFollowup(ctx, trx, volScope, { personId: ids.b!, eventId: null, kind: 'reassessment', finding: 'health.worse', note: '明显变差' });
        throw new Error('the visit failed');
      }),
    ).rejects.toThrow('the visit failed');
    expect(await count('visit_followups')).toBe(before);
  });

  it('the workbench: the head sees the escalation and overdue, the hotline its tickets, the grid worker their due today, the town its rate', async () => {
    const [h, hot, g, t, p] = await Promise.all([
      workbench(ctx, head1),
      workbench(ctx, await userScope(ctx, 'hotline1')),
      workbench(ctx, await userScope(ctx, 'grid1')),
      workbench(ctx, town1),
      workbench(ctx, await userScope(ctx, 'provider1')),
    ]);
    expect(h.visits).toMatchObject({ escalationsOpen: 1, overdue: 3, overdueHighRisk: 2, myDueToday: null });
    // the hotline's queue: the escalation's ticket, not the other kinds (two reassessments are open)
    expect(hot.visits).toMatchObject({ followupsOpen: 1, escalationsOpen: 1, myDueToday: null });
    expect(h.visits!.followupsOpen).toBe(3);
    // grid1's people: e has a due open this week
    expect(g.visits).toMatchObject({ myDueToday: sunday ? 0 : 1, overdue: 1, escalationsOpen: 1 });
    expect(t.visits!.rate.due).toBeGreaterThanOrEqual(0);
    expect(t.visits).toMatchObject({ overdue: 3, targetPercent: 100, month: on.slice(0, 7) });
    expect(p.visits).toBeNull();
  });

  it('an escalation is acknowledged and closed once by the village head; the grid worker only reads it', async () => {
    const head = await loginAs(app, 'head1');
    const grid = await loginAs(app, 'grid1');
    const [esc] = (await call(app, grid, { method: 'GET', url: '/api/visits/escalations' })).json<{ items: { id: number }[] }>().items;
    expect(esc).toBeDefined();
    expect((await call(app, grid, { method: 'POST', url: `/api/visits/escalations/${esc!.id}/acknowledge`, payload: {} })).statusCode).toBe(403);
    const ack = await call(app, head, { method: 'POST', url: `/api/visits/escalations/${esc!.id}/acknowledge`, payload: {} });
    expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: users.head1 } });
    const closed = await call(app, head, { method: 'POST', url: `/api/visits/escalations/${esc!.id}/close`, payload: { resolution: '已上门确认老人平安' } });
    expect(closed.json()).toMatchObject({ status: 'closed', resolution: '已上门确认老人平安' });
    const again = await call(app, head, { method: 'POST', url: `/api/visits/escalations/${esc!.id}/close`, payload: { resolution: '再次' } });
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('VISIT_ESCALATION_CLOSED');
    // an empty resolution is refused by the schema
    expect((await call(app, head, { method: 'POST', url: '/api/visits/escalations/999999/close', payload: { resolution: '' } })).statusCode).toBe(400);
    expect(errorCode(await call(app, head, { method: 'POST', url: '/api/visits/escalations/999999/close', payload: { resolution: 'x' } }))).toBe(
      'VISIT_ESCALATION_NOT_FOUND',
    );
    // another town's officer does not see it
    const town2 = await loginAs(app, 'town2');
    expect(errorCode(await call(app, town2, { method: 'POST', url: `/api/visits/escalations/${esc!.id}/acknowledge`, payload: {} }))).toBe(
      'VISIT_ESCALATION_NOT_FOUND',
    );
    expect((await workbench(ctx, head1)).visits!.escalationsOpen).toBe(0);
  });
});
