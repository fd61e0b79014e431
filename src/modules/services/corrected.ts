import type { Executor } from '../../db/database.js';

/**
 * The effective visit times of orders an officer corrected (corrections.ts writes them): the latest
 * row of service_order_corrections per order. The order's own check-in and check-out stay as the
 * phone recorded them; whatever judges the visit (the detector, the time on site, the settlement
 * through the exceptions) reads these instead, from the correction on.
 */
export interface EffectiveCorrection {
  id: number;
  checkInAt: string;
  checkOutAt: string;
  /** null: the items done as the check-out recorded them */
  itemsDone: string[] | null;
  reason: string;
  by: number;
  at: string;
}

const parseItems = (text: string | null): string[] | null => {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.map(String) : null;
  } catch {
    return null;
  }
};

/** The latest correction of each of these orders (absent: never corrected). */
export async function latestCorrections(db: Executor, orderIds: readonly number[]): Promise<Map<number, EffectiveCorrection>> {
  const out = new Map<number, EffectiveCorrection>();
  const ids = [...new Set(orderIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('service_order_corrections')
      .selectAll()
      .where('order_id', 'in', ids.slice(i, i + 500))
      .orderBy('id')
      .execute();
    for (const r of rows) {
      out.set(r.order_id, {
        id: r.id,
        checkInAt: r.check_in_at,
        checkOutAt: r.check_out_at,
        itemsDone: parseItems(r.items_done),
        reason: r.reason,
        by: r.corrected_by,
        at: r.corrected_at,
      });
    }
  }
  return out;
}

/** A month's corrected times as epoch milliseconds, by order (the detector's month: few rows, read by the period index). */
export async function periodCorrectionTimes(db: Executor, period: string): Promise<Map<number, { inMs: number; outMs: number }>> {
  const rows = await db
    .selectFrom('service_order_corrections')
    .select(['order_id', 'check_in_at', 'check_out_at'])
    .where('period', '=', period)
    .orderBy('order_id')
    .orderBy('id')
    .execute();
  const out = new Map<number, { inMs: number; outMs: number }>();
  for (const r of rows) out.set(r.order_id, { inMs: Date.parse(r.check_in_at), outMs: Date.parse(r.check_out_at) });
  return out;
}
