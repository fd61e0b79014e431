import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewPerson } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { closeTicket, ticketDetail } from '../alarms/tickets.js';
import { closeFollowup, listFollowups, raiseFollowupNow } from './followups.js';

/**
 * A hotline follow-up is a real hotline ticket (issue 16, follow-ups tracked to closure): raising
 * it opens a ticket in the hotline's queue (alarms), linked both ways — the follow-up shows the
 * ticket's id, the ticket the follow-up it came from — and closing the ticket closes the
 * follow-up, naming the ticket and its outcome. On both databases.
 */
describe.each(dialects)('a hotline follow-up as a hotline ticket on %s', (dialect) => {
  let ctx: TestContext;
  let head1: Scope;
  let hotline1: Scope;
  let elder: number;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    head1 = await userScope(ctx, 'head1');
    hotline1 = await userScope(ctx, 'hotline1');
    const now = nowIso();
    elder = (
      await ctx.db
        .insertInto('persons')
        .values({
          id_hash: `hash-ticket-${randomUUID()}`,
          id_enc: 'placeholder',
          id_masked: '330503********0001',
          name: '热线跟进',
          sex: 'M',
          birth_date: '1938-06-01',
          region_code: head1.regionCode,
          hukou_local: 1,
          phone_enc: null,
          phone_masked: null,
          status: 'active',
          closed_on: null,
          hardship: 'none',
          provenance: '{}',
          created_at: now,
          updated_at: now,
        } as NewPerson)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }, 60_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  const followup = async (id: number) =>
    (await listFollowups(ctx, head1, { personId: elder, status: 'all', page: 1, pageSize: 50 })).items.find((f) => f.id === id)!;

  it('opens a ticket linked both ways, of the kind the finding asks for, and closes the follow-up when the ticket is closed', async () => {
    const f = await raiseFollowupNow(ctx, head1, { personId: elder, eventId: null, kind: 'hotline', finding: 'health.ill', note: '咳嗽一周未就医' });
    expect(f.hotlineTicketId).not.toBeNull();
    const t = await ticketDetail(ctx, hotline1, f.hotlineTicketId!);
    expect(t).toMatchObject({ kind: 'consultation', status: 'open', visitFollowupId: f.id, followUp: `visit_followup:${f.id}`, notes: '咳嗽一周未就医' });
    expect(t.person?.id).toBe(elder);
    expect(t.subject).toContain('生病未就医');
    // a need someone must come for is a service request
    const g = await raiseFollowupNow(ctx, head1, { personId: elder, eventId: null, kind: 'hotline', finding: 'needs.device', note: null });
    expect((await ticketDetail(ctx, hotline1, g.hotlineTicketId!)).kind).toBe('service_request');
    // other kinds open no ticket
    const h = await raiseFollowupNow(ctx, head1, { personId: elder, eventId: null, kind: 'subsidy_review', finding: 'living.income', note: null });
    expect(h.hotlineTicketId).toBeNull();

    await closeTicket(ctx, hotline1, t.id, { outcome: 'resolved', note: '已联系家属陪同就医' });
    const closed = await followup(f.id);
    expect(closed.status).toBe('closed');
    expect(closed.closedBy?.id).toBe(hotline1.userId);
    expect(closed.resolution).toContain(`Hotline ticket ${t.id} closed (resolved)`);
    expect(closed.resolution).toContain('已联系家属陪同就医');
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'visits.followup_close')
      .where('entity_id', '=', String(f.id))
      .execute();
    expect(audit).toHaveLength(1);
    // the other follow-up's ticket is still open, and so is it
    expect((await followup(g.id)).status).toBe('open');
  });

  it('leaves a follow-up closed by hand as it was when its ticket is closed later', async () => {
    const f = await raiseFollowupNow(ctx, head1, { personId: elder, eventId: null, kind: 'hotline', finding: 'safety.gas', note: null });
    await closeFollowup(ctx, head1, f.id, '村里已派人检修');
    const t = await closeTicket(ctx, hotline1, f.hotlineTicketId!, { outcome: 'referred' });
    expect(t.status).toBe('closed');
    const v = await followup(f.id);
    expect(v.resolution).toBe('村里已派人检修');
    expect(v.closedBy?.id).toBe(head1.userId);
  });
});
