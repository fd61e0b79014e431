import { createHash } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, regionInScope, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { findById } from '../register/register.repository.js';
import { personLabels } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import { ownProvider } from './access.js';
import { serviceSettingsOf } from './services.settings.js';
import type { DrawReply, FeedbackBody, FeedbackQuery, FeedbackReply, FeedbackView } from './settlement.schema.js';
import { providerInScope } from './providers.js';

/**
 * Feedback calls (回访抽查): a share of a provider's month (settings.feedbackPercent, 5 %) of the
 * checked-out orders is drawn for a call to the elder — "was the care given?". The draw is
 * reproducible by anyone: the orders ranked by sha256(`${period}|${providerId}|${orderId}`) in hex,
 * ascending, the first ceil(n × percent / 100) taken. Drawing again adds only the orders the rank
 * now takes that are not drawn yet (a month still running grows its sample; calls already drawn are
 * never withdrawn, whatever was said on them). A 'not_given' answer holds the order's line in the
 * settlement; after the month closed, a change is paid (or taken back) as an adjustment of a later
 * month.
 */

export const drawRank = (period: string, providerId: number, orderId: number): string =>
  createHash('sha256').update(`${period}|${providerId}|${orderId}`).digest('hex');

/** The orders a draw takes: ceil(n × percent / 100) of `orderIds` by rank (pure). */
export function drawSample(period: string, providerId: number, orderIds: readonly number[], percent: number): number[] {
  const k = Math.min(orderIds.length, Math.ceil((orderIds.length * percent) / 100 - 1e-9));
  return orderIds
    .map((id) => ({ id, rank: drawRank(period, providerId, id) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .slice(0, k)
    .map((r) => r.id);
}

/** POST /services/settlements/:providerId/:period/draw: draws the month's sample (idempotent). */
export async function drawFeedback(ctx: AppContext, scope: Scope, providerId: number, period: string): Promise<DrawReply> {
  requireAction(scope, 'services.feedback');
  const provider = await providerInScope(ctx.db, scope, providerId);
  const percent = serviceSettingsOf(ctx, provider.region_code).feedbackPercent;
  return ctx.db.transaction().execute(async (trx) => {
    const done = await trx
      .selectFrom('service_orders')
      .select('id')
      .where('provider_id', '=', providerId)
      .where('period', '=', period)
      .where('status', 'in', ['checked_out', 'rated'])
      .execute();
    const sample = drawSample(
      period,
      providerId,
      done.map((o) => o.id),
      percent,
    );
    const drawn = new Set(
      (await trx.selectFrom('service_feedback_calls').select('order_id').where('provider_id', '=', providerId).where('period', '=', period).execute()).map(
        (r) => r.order_id,
      ),
    );
    const fresh = sample.filter((id) => !drawn.has(id));
    const at = nowIso();
    if (fresh.length) {
      await ctx.handle.insertMany(
        trx,
        'service_feedback_calls',
        fresh.map((order_id) => ({
          order_id,
          provider_id: providerId,
          period,
          outcome: 'pending',
          note_enc: null,
          called_by: null,
          called_at: null,
          drawn_at: at,
        })),
      );
      await recordAudit(trx, scope, {
        action: 'services.feedback_drawn',
        entityType: 'service_provider',
        entityId: providerId,
        regionCode: provider.region_code,
        detail: { period, population: done.length, percent, added: fresh.length },
      });
    }
    const all = (await trx.selectFrom('service_feedback_calls').select('order_id').where('provider_id', '=', providerId).where('period', '=', period).execute())
      .map((r) => r.order_id)
      .sort((a, b) => a - b);
    return { providerId, period, population: done.length, sample: sample.length, added: fresh.length, orderIds: all };
  });
}

/** GET /services/feedback: the month's calls in scope with the person to call (name, masked ID and phone); audited. */
export function listFeedback(ctx: AppContext, scope: Scope, f: FeedbackQuery, onlyId?: number): Promise<FeedbackReply> {
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let q = trx
        .selectFrom('service_feedback_calls')
        .innerJoin('service_orders', 'service_orders.id', 'service_feedback_calls.order_id')
        .innerJoin('service_providers', 'service_providers.id', 'service_feedback_calls.provider_id')
        .innerJoin('service_items', 'service_items.id', 'service_orders.item_id')
        .leftJoin('service_caregivers', 'service_caregivers.id', 'service_orders.caregiver_id')
        .select([
          'service_feedback_calls.id',
          'service_feedback_calls.order_id',
          'service_feedback_calls.provider_id',
          'service_feedback_calls.period',
          'service_feedback_calls.outcome',
          'service_feedback_calls.note_enc',
          'service_feedback_calls.called_by',
          'service_feedback_calls.called_at',
          'service_feedback_calls.drawn_at',
          'service_providers.name as provider_name',
          'service_orders.person_id',
          'service_orders.scheduled_on',
          'service_items.name_zh as item_name',
          'service_caregivers.name as caregiver_name',
        ])
        .where('service_feedback_calls.period', '=', f.period)
        .where(inRegion(scope, 'service_orders.region_code'));
      const own = ownProvider(scope);
      if (own !== null) q = q.where('service_feedback_calls.provider_id', '=', own);
      if (f.providerId) q = q.where('service_feedback_calls.provider_id', '=', f.providerId);
      if (f.outcome) q = q.where('service_feedback_calls.outcome', '=', f.outcome);
      if (onlyId !== undefined) q = q.where('service_feedback_calls.id', '=', onlyId);
      const rows = await q.orderBy('service_feedback_calls.provider_id').orderBy('service_feedback_calls.order_id').limit(5_000).execute();
      const labels = await personLabels(
        trx,
        rows.map((r) => r.person_id),
      );
      const phones = new Map<number, string | null>();
      for (const id of new Set(rows.map((r) => r.person_id))) phones.set(id, (await findById(trx, scope, id))?.phone_masked ?? null);
      const callers = await displayNames(
        trx,
        rows.map((r) => r.called_by),
      );
      const items: FeedbackView[] = rows.map((r) => ({
        id: r.id,
        orderId: r.order_id,
        providerId: r.provider_id,
        providerName: r.provider_name,
        period: r.period,
        personId: r.person_id,
        personName: labels.get(r.person_id)?.name ?? '',
        idMasked: labels.get(r.person_id)?.idMasked ?? '',
        phoneMasked: phones.get(r.person_id) ?? null,
        itemNameZh: r.item_name,
        scheduledOn: r.scheduled_on,
        caregiverName: r.caregiver_name,
        outcome: r.outcome as FeedbackView['outcome'],
        note: r.note_enc === null ? null : ctx.cipher.decrypt(r.note_enc),
        calledByName: r.called_by === null ? null : (callers.get(r.called_by) ?? null),
        calledAt: r.called_at,
        drawnAt: r.drawn_at,
      }));
      return { items };
    },
    (r) => ({
      action: 'services.feedback_read',
      entityType: 'service_feedback_call',
      fields: ['name', 'idMasked', 'phoneMasked'],
      detail: { period: f.period, providerId: f.providerId ?? null, outcome: f.outcome ?? null },
      persons: r.items.map((i) => i.personId),
    }),
  );
}

/** POST /services/feedback/:id: the call's outcome (the note sealed: what an elder says about their care is personal). */
export async function recordFeedback(ctx: AppContext, scope: Scope, id: number, body: FeedbackBody): Promise<FeedbackView> {
  requireAction(scope, 'services.feedback');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('service_feedback_calls')
      .innerJoin('service_orders', 'service_orders.id', 'service_feedback_calls.order_id')
      .select([
        'service_feedback_calls.id',
        'service_feedback_calls.outcome',
        'service_feedback_calls.provider_id',
        'service_orders.region_code',
        'service_orders.person_id',
      ])
      .where('service_feedback_calls.id', '=', id)
      .executeTakeFirst();
    const own = ownProvider(scope);
    if (!row || !regionInScope(scope, row.region_code) || (own !== null && own !== row.provider_id)) throw new AppError('SERVICE_FEEDBACK_NOT_FOUND', { id });
    const note = body.note?.trim() ? body.note.trim() : null;
    await trx
      .updateTable('service_feedback_calls')
      .set({ outcome: body.outcome, note_enc: note === null ? null : ctx.cipher.encrypt(note), called_by: scope.userId, called_at: nowIso() })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, scope, {
      action: 'services.feedback_recorded',
      entityType: 'service_feedback_call',
      entityId: id,
      regionCode: row.region_code,
      detail: { before: row.outcome, after: body.outcome, personId: row.person_id },
    });
  });
  const period = (await ctx.db.selectFrom('service_feedback_calls').select('period').where('id', '=', id).executeTakeFirstOrThrow()).period;
  const list = await listFeedback(ctx, scope, { period }, id);
  const view = list.items.find((i) => i.id === id);
  if (!view) throw new AppError('SERVICE_FEEDBACK_NOT_FOUND', { id });
  return view;
}
