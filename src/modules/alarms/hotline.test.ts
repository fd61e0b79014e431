import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { viewCatalogue } from '../catalogue/catalogue.service.js';
import { catalogueOf } from '../catalogue/catalogue.settings.js';
import { ensureDefaultItems } from '../services/items.js';
import { DEFAULT_HOTLINE_TARGETS } from './alarms.settings.js';
import { addDays, callbackDone, listCallbacks, scheduleCallback } from './callbacks.js';
import { addContact, listContacts, normalisePhone, patchContact, revealContact } from './contacts.js';
import type { ContactsReply, RevealContactReply } from './hotline.schema.js';
import { createArticle, patchArticle, searchKnowledge } from './knowledge.js';
import { closeTicket, createTicket, listTickets, orderFromTicket, ticketDetail } from './tickets.js';

/**
 * The hotline (issue 18): emergency contacts sealed and masked, revealed one audited number at a
 * time, within the viewer's scope; calls as tickets of each kind, complaints due and closed with a
 * return call scheduled; return calls given up as unreachable after three unanswered tries; the
 * knowledge base searched beside the catalogue's items. Phones here are synthetic (138 0000 xxxx).
 */
describe.each(dialects)('hotline (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let operator: Scope;
  let supervisor: Scope;
  let town1: Scope;
  let town2: Scope;
  let village1: string;
  let village2: string;
  let elder: number;
  let elderTown2: number;
  let operatorSession: Session;
  let n = 0;

  async function person(key: string, region: string) {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-${key}-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `990101********${String(n).padStart(4, '0')}`,
      name: `测试${key}`,
      sex: 'F',
      birth_date: '1940-05-01',
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
  const lastAudit = () => ctx.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    operator = await userScope(ctx, 'hotline1');
    supervisor = await userScope(ctx, 'hotlinelead');
    town1 = await userScope(ctx, 'town1');
    town2 = await userScope(ctx, 'town2');
    village1 = (await userScope(ctx, 'grid1')).regionCode;
    village2 = ctx.regions.all().find((r) => r.level === 'village' && r.code.startsWith(town2.regionPrefix))!.code;
    elder = await person('一村', village1);
    elderTown2 = await person('二镇', village2);
    app = await buildApp(ctx, { serveWeb: false });
    operatorSession = await loginAs(app, 'hotline1');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  describe('emergency contacts', () => {
    it('seals the number, lists it masked in call order, and reveals one number with an audit entry', async () => {
      const son = await addContact(ctx, operator, elder, { name: '王小明', relation: 'child', phone: '138 0000 0001', rank: 2 });
      const wife = await addContact(ctx, operator, elder, { name: '李阿姨', relation: 'neighbour', phone: '+86 138-0000-0002', rank: 1 });
      const stored = await ctx.db.selectFrom('hotline_contacts').selectAll().where('id', '=', son.id).executeTakeFirstOrThrow();
      expect(stored.phone_enc).not.toContain('13800000001');
      expect(stored.phone_masked).toBe('138****0001');
      // the +86 and the separators are dropped: one number, one form
      expect(
        ctx.cipher.decrypt((await ctx.db.selectFrom('hotline_contacts').select('phone_enc').where('id', '=', wife.id).executeTakeFirstOrThrow()).phone_enc),
      ).toBe('13800000002');

      const res = await call(app, operatorSession, { method: 'GET', url: `/api/alarms/persons/${elder}/contacts` });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('13800000001');
      const list = res.json<ContactsReply>().items;
      expect(list.map((c) => [c.name, c.phoneMasked, c.rank])).toEqual([
        ['李阿姨', '138****0002', 1],
        ['王小明', '138****0001', 2],
      ]);
      expect(await lastAudit()).toMatchObject({ action: 'hotline.contacts_read', entity_type: 'person', entity_id: String(elder) });

      const shown = await call(app, operatorSession, { method: 'POST', url: `/api/alarms/contacts/${son.id}/reveal`, payload: {} });
      expect(shown.statusCode).toBe(200);
      expect(shown.json<RevealContactReply>().phone).toBe('13800000001');
      const entry = await lastAudit();
      expect(entry).toMatchObject({ action: 'hotline.contact_reveal', entity_type: 'hotline_contact', entity_id: String(son.id), actor: 'hotline1' });
      expect(JSON.parse(entry.fields!)).toEqual(['phone']);
    });

    it('keeps a rank after the others when none is given, and a changed number is sealed again', async () => {
      const p = await person('排序', village1);
      await addContact(ctx, operator, p, { name: '甲', relation: 'spouse', phone: '13800000011' });
      const b = await addContact(ctx, operator, p, { name: '乙', relation: 'friend', phone: '13800000012' });
      expect(b.rank).toBe(2);
      const changed = await patchContact(ctx, operator, b.id, { phone: '13800000019' });
      expect(changed.phoneMasked).toBe('138****0019');
      expect((await revealContact(ctx, operator, b.id)).phone).toBe('13800000019');
    });

    it("refuses a person or a contact outside the viewer's scope as not found, and a malformed number", async () => {
      const c = await addContact(ctx, town1, elder, { name: '镇联系人', relation: 'relative', phone: '13800000003' });
      expect(await codeOf(listContacts(ctx, town2, elder))).toBe('HOTLINE_PERSON_NOT_FOUND');
      expect(await codeOf(addContact(ctx, town2, elder, { name: 'x', relation: 'other', phone: '13800000004' }))).toBe('HOTLINE_PERSON_NOT_FOUND');
      expect(await codeOf(revealContact(ctx, town2, c.id))).toBe('HOTLINE_CONTACT_NOT_FOUND');
      expect(await codeOf(patchContact(ctx, town2, c.id, { rank: 9 }))).toBe('HOTLINE_CONTACT_NOT_FOUND');
      expect((await listContacts(ctx, town2, elderTown2)).items).toEqual([]);
      expect(await codeOf(addContact(ctx, operator, elder, { name: 'x', relation: 'other', phone: '12ab' }))).toBe('HOTLINE_PHONE_FORMAT');
      const res = await call(app, await loginAs(app, 'town2'), { method: 'GET', url: `/api/alarms/persons/${elder}/contacts` });
      expect(res.statusCode).toBe(404);
      expect(errorCode(res)).toBe('HOTLINE_PERSON_NOT_FOUND');
    });

    it('normalises the ways a number is written', () => {
      expect(normalisePhone('(0572) 123-4567', 'phone')).toBe('05721234567');
      expect(normalisePhone('0086 13800000005', 'phone')).toBe('13800000005');
    });
  });

  describe('tickets', () => {
    it('records each kind; a complaint is due complaintDays after it opened, the others have no deadline', async () => {
      for (const kind of ['consultation', 'service_request', 'complaint', 'emergency'] as const) {
        const t = await createTicket(ctx, operator, { kind, personId: elder, subject: `来电 ${kind}`, notes: '老人说腿疼' });
        expect(t).toMatchObject({ kind, status: 'open', person: { id: elder }, regionCode: village1, notes: '老人说腿疼' });
        if (kind === 'complaint') expect(Date.parse(t.dueAt!) - Date.parse(t.openedAt)).toBe(DEFAULT_HOTLINE_TARGETS.complaintDays * 86_400_000);
        else expect(t.dueAt).toBeNull();
        const stored = await ctx.db.selectFrom('hotline_tickets').select('notes_enc').where('id', '=', t.id).executeTakeFirstOrThrow();
        expect(stored.notes_enc).not.toContain('腿疼');
      }
    });

    it('keeps the caller number sealed and finds the earlier calls of the same number however it was written', async () => {
      const first = await createTicket(ctx, operator, { kind: 'consultation', callerPhone: '13800000021', callerName: '张女士', subject: '问高龄津贴' });
      await createTicket(ctx, operator, { kind: 'consultation', callerPhone: '13800000022', subject: '别的号码' });
      const second = await createTicket(ctx, operator, { kind: 'complaint', callerPhone: '+86 138 0000 0021', subject: '投诉送餐晚到' });
      expect(second.callerPhoneMasked).toBe('138****0021');
      expect(second.earlierCalls.map((e) => e.id)).toEqual([first.id]);
      expect(first.earlierCalls).toEqual([]);
      const row = await ctx.db.selectFrom('hotline_tickets').selectAll().where('id', '=', second.id).executeTakeFirstOrThrow();
      expect(row.caller_phone_enc).not.toContain('13800000021');
      expect(row.caller_phone_hash).not.toContain('13800000021');
      expect(row.person_id).toBeNull();
      expect(row.region_code).toBe(ctx.regions.counties()[0]!.code);
    });

    it('closes a complaint once, schedules its return call callbackDays later, and shows an overdue complaint', async () => {
      const t = await createTicket(ctx, operator, { kind: 'complaint', personId: elder, subject: '投诉护理员迟到' });
      await ctx.db.updateTable('hotline_tickets').set({ due_at: '2020-01-01T00:00:00.000Z' }).where('id', '=', t.id).execute();
      const overdue = await listTickets(ctx, operator, { page: 1, pageSize: 50, overdue: 'true' });
      expect(overdue.items.map((i) => i.id)).toContain(t.id);
      expect(overdue.items.every((i) => i.overdue)).toBe(true);

      const closed = await closeTicket(ctx, operator, t.id, { outcome: 'resolved', note: '已协调服务商' });
      expect(closed).toMatchObject({ status: 'closed', outcome: 'resolved', closeNote: '已协调服务商', overdue: false });
      expect(closed.followUp).toMatch(/^callback:\d+$/);
      const cb = await ctx.db
        .selectFrom('hotline_callbacks')
        .selectAll()
        .where('id', '=', Number(closed.followUp!.split(':')[1]))
        .executeTakeFirstOrThrow();
      expect(cb).toMatchObject({ ticket_id: t.id, person_id: elder, status: 'open', due_on: addDays(today(), DEFAULT_HOTLINE_TARGETS.callbackDays) });
      expect(await codeOf(closeTicket(ctx, operator, t.id, { outcome: 'resolved' }))).toBe('HOTLINE_TICKET_CLOSED');
      // a consultation's closing schedules nothing
      const c = await createTicket(ctx, operator, { kind: 'consultation', personId: elder, subject: '咨询' });
      expect((await closeTicket(ctx, operator, c.id, { outcome: 'answered' })).followUp).toBeNull();
    });

    it('links an answer and an alarm only when they exist for the viewer', async () => {
      expect(await codeOf(createTicket(ctx, operator, { kind: 'emergency', subject: 'x', alarmId: 999_999 }))).toBe('HOTLINE_ALARM_NOT_FOUND');
      expect(await codeOf(createTicket(ctx, operator, { kind: 'consultation', subject: 'x', articleId: 999_999 }))).toBe('HOTLINE_ARTICLE_NOT_FOUND');
      expect(await codeOf(createTicket(ctx, operator, { kind: 'consultation', subject: 'x', personId: elderTown2 }))).toBe('resolved');
      const t = await createTicket(ctx, operator, { kind: 'consultation', subject: '二镇老人', personId: elderTown2 });
      expect(await codeOf(ticketDetail(ctx, town1, t.id))).toBe('HOTLINE_TICKET_NOT_FOUND');
    });

    it('turns a service request into a service order of the person’s provider, once', async () => {
      const j = ctx.regions.counties()[0]!.code;
      await ensureDefaultItems(ctx, j, 0);
      const item = await ctx.db.selectFrom('service_items').select('id').where('jurisdiction', '=', j).orderBy('id').executeTakeFirstOrThrow();
      const provider = (
        await ctx.db
          .insertInto('service_providers')
          .values({
            name: '热线测试服务社',
            jurisdiction: j,
            region_code: j,
            kind: 'home_service',
            credit_code: null,
            contact_phone_enc: null,
            contact_name: null,
            active: 1,
            created_by: 0,
            created_at: nowIso(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      await ctx.db
        .insertInto('service_clients')
        .values({
          provider_id: provider,
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
      const t = await createTicket(ctx, operator, { kind: 'service_request', personId: elder, subject: '需要助浴' });
      const body = { providerId: provider, itemId: item.id, scheduledOn: addDays(today(), 2), selfPaidBeyond: true };
      const made = await orderFromTicket(ctx, operator, t.id, body);
      expect(made.created).toBe(true);
      const order = await ctx.db.selectFrom('service_orders').selectAll().where('id', '=', made.orderId).executeTakeFirstOrThrow();
      expect(order).toMatchObject({ person_id: elder, provider_id: provider, status: 'created' });
      expect((await ticketDetail(ctx, operator, t.id)).followUp).toBe(`order:${made.orderId}`);
      // a resend finds the same order
      expect(await orderFromTicket(ctx, operator, t.id, body)).toEqual({ ticketId: t.id, orderId: made.orderId, created: false });
      const c = await createTicket(ctx, operator, { kind: 'complaint', personId: elder, subject: '投诉' });
      expect(await codeOf(orderFromTicket(ctx, operator, c.id, body))).toBe('HOTLINE_ORDER_NOT_SERVICE_REQUEST');
    });
  });

  describe('return calls', () => {
    it('gives a return call up as unreachable after the third unanswered try, and says so', async () => {
      const id = await ctx.db
        .transaction()
        .execute((trx) => scheduleCallback(ctx, trx, operator, { personId: elder, regionCode: village1, alarmId: 777, dueOn: today() }));
      const first = await callbackDone(ctx, operator, id, { outcome: 'no_answer' });
      expect(first).toMatchObject({ status: 'open', noAnswers: 1 });
      expect(first.notice?.en).toContain('2 more');
      expect((await callbackDone(ctx, operator, id, { outcome: 'no_answer', note: '关机' })).status).toBe('open');
      const third = await callbackDone(ctx, operator, id, { outcome: 'no_answer' });
      expect(third).toMatchObject({ status: 'unreachable', noAnswers: 3, outcome: 'no_answer' });
      expect(third.notice?.zh).toContain('无法联系');
      expect(await codeOf(callbackDone(ctx, operator, id, { outcome: 'satisfied' }))).toBe('HOTLINE_CALLBACK_CLOSED');
      const stored = await ctx.db.selectFrom('hotline_callbacks').select('note_enc').where('id', '=', id).executeTakeFirstOrThrow();
      expect(stored.note_enc).not.toContain('关机');
    });

    it('answered after one unanswered try is done; scheduling again for the same alarm returns the open one', async () => {
      const a = await ctx.db
        .transaction()
        .execute((trx) => scheduleCallback(ctx, trx, operator, { personId: elder, regionCode: village1, alarmId: 778, dueOn: today() }));
      const again = await ctx.db
        .transaction()
        .execute((trx) => scheduleCallback(ctx, trx, operator, { personId: elder, regionCode: village1, alarmId: 778, dueOn: today() }));
      expect(again).toBe(a);
      await callbackDone(ctx, operator, a, { outcome: 'no_answer' });
      expect(await callbackDone(ctx, operator, a, { outcome: 'satisfied', note: '老人很满意' })).toMatchObject({ status: 'done', noAnswers: 1, notice: null });
      expect(
        await codeOf(ctx.db.transaction().execute((trx) => scheduleCallback(ctx, trx, operator, { personId: elder, regionCode: village1, dueOn: '2026-13' }))),
      ).toBe('HOTLINE_DUE_DATE');
    });

    it('lists the due and the overdue, and hides those outside the scope', async () => {
      const past = await ctx.db
        .transaction()
        .execute((trx) => scheduleCallback(ctx, trx, operator, { personId: elder, regionCode: village1, dueOn: '2026-01-05' }));
      const later = await ctx.db
        .transaction()
        .execute((trx) => scheduleCallback(ctx, trx, operator, { personId: elder, regionCode: village1, dueOn: addDays(today(), 3) }));
      const other = await ctx.db
        .transaction()
        .execute((trx) => scheduleCallback(ctx, trx, operator, { personId: elderTown2, regionCode: village2, dueOn: '2026-01-05' }));
      const overdue = (await listCallbacks(ctx, operator, { page: 1, pageSize: 200, status: 'open', due: 'overdue' })).items.map((i) => i.id);
      expect(overdue).toEqual(expect.arrayContaining([past, other]));
      expect(overdue).not.toContain(later);
      const due = (await listCallbacks(ctx, operator, { page: 1, pageSize: 200, status: 'open', due: 'due' })).items;
      expect(due.map((i) => i.id)).not.toContain(later);
      expect(due.find((i) => i.id === past)).toMatchObject({ overdue: true, person: { id: elder } });
      const town1List = (await listCallbacks(ctx, town1, { page: 1, pageSize: 200, status: 'all', due: 'all' })).items.map((i) => i.id);
      expect(town1List).toContain(past);
      expect(town1List).not.toContain(other);
      expect(await codeOf(callbackDone(ctx, await userScope(ctx, 'hotline2'), other, { outcome: 'satisfied' }))).toBe('resolved');
    });
  });

  describe('knowledge', () => {
    it('finds an answer by keyword and a catalogue item by its name, with its conditions in words', async () => {
      const items = (await viewCatalogue(ctx, supervisor, catalogueOf(ctx, ctx.regions.counties()[0]!.code))).items;
      const item = items[0]!;
      const a = await createArticle(ctx, supervisor, {
        title: '助浴服务怎么申请',
        body: '向村委会或服务商申请，每月一次。',
        keywords: ['洗澡', 'Bath'],
        itemId: item.id,
      });
      expect(a).toMatchObject({ keywords: ['洗澡', 'bath'], itemId: item.id, itemName: item.name, active: true });
      const byKeyword = await searchKnowledge(ctx, operator, { q: '洗澡' });
      expect(byKeyword.articles.map((x) => x.id)).toEqual([a.id]);
      expect((await searchKnowledge(ctx, operator, { q: 'BATH' })).articles.map((x) => x.id)).toEqual([a.id]);
      expect((await searchKnowledge(ctx, operator, { q: '理发' })).articles).toEqual([]);

      const byName = await searchKnowledge(ctx, operator, { q: item.name });
      const hit = byName.items.find((i) => i.id === item.id);
      expect(hit).toMatchObject({ name: item.name, conditions: item.sentence, articleIds: [a.id] });
      expect(hit!.conditions.zh.length).toBeGreaterThan(0);
      // a pattern character is a character, not a wildcard
      expect((await searchKnowledge(ctx, operator, { q: '%' })).articles).toEqual([]);

      await patchArticle(ctx, supervisor, a.id, { active: false });
      expect((await searchKnowledge(ctx, operator, { q: '洗澡' })).articles).toEqual([]);
      expect((await searchKnowledge(ctx, supervisor, { q: '洗澡', inactive: 'true' })).articles.map((x) => x.id)).toEqual([a.id]);
      expect(await codeOf(createArticle(ctx, supervisor, { title: 'x', body: 'y', keywords: [], itemId: 'zz-99' }))).toBe('HOTLINE_ARTICLE_ITEM_UNKNOWN');
      expect(await codeOf(createArticle(ctx, operator, { title: 'x', body: 'y', keywords: [] }))).toBe('FORBIDDEN');
    });
  });
});
