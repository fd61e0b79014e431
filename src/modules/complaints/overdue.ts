import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { defineDaily } from '../../platform/daily.js';
import { everywhere } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { drawLastMonth } from './surveys.js';

/**
 * The daily check (src/platform/daily.ts): a complaint not replied to by its deadline is flagged
 * overdue and raised to the bureau — escalated_on set, an 'escalated' step on its timeline, an
 * audit entry — once. The bureau's inbox lists it with its days overdue (the 'overdue' filter), and
 * so does the unit's; the escalation stands after a late reply (the ratings count it as overdue).
 */
export async function escalateOverdue(ctx: AppContext, on: string): Promise<number[]> {
  const scope = everywhere('complaints-daily');
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('complaints')
      .select(['id', 'region_code', 'unit_code', 'due_on'])
      .where('status', '!=', 'closed')
      .where('replied_on', 'is', null)
      .where('due_on', '<', on)
      .where('escalated_on', 'is', null)
      .orderBy('id')
      .execute();
    if (!rows.length) return [];
    const at = nowIso();
    for (const r of rows) {
      // raised to the bureau of the complaint's county
      const bureau = ctx.regions.jurisdictionOf(r.region_code)?.code ?? '';
      await trx.updateTable('complaints').set({ escalated_on: on, updated_at: at }).where('id', '=', r.id).where('escalated_on', 'is', null).execute();
      await trx
        .insertInto('complaint_steps')
        .values({
          complaint_id: r.id,
          kind: 'escalated',
          note_enc: null,
          detail: JSON.stringify({ dueOn: r.due_on, to: bureau, unit: r.unit_code }),
          by_user: null,
          at,
        })
        .execute();
      await recordAudit(trx, scope, {
        action: 'complaints.escalate',
        entityType: 'complaint',
        entityId: r.id,
        regionCode: r.region_code,
        detail: { dueOn: r.due_on, to: bureau },
      });
    }
    return rows.map((r) => r.id);
  });
}

export const complaintsDaily = defineDaily({
  name: 'complaints-overdue',
  async run(ctx, on) {
    await escalateOverdue(ctx, on);
  },
});

export const surveysDaily = defineDaily({
  name: 'complaints-survey-draw',
  async run(ctx, on) {
    await drawLastMonth(ctx, on);
  },
});
