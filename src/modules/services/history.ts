import type { Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import { nowIso } from '../../platform/time.js';

/**
 * An order's history: every change appended, never overwritten (a correction is a new row naming
 * the old and new values). The table is append-only in the database too (migration 001).
 */
export type OrderAction = 'created' | 'assigned' | 'reassigned' | 'checked_in' | 'checked_out' | 'confirmed' | 'rated' | 'cancelled' | 'corrected' | 'anomaly';

export async function appendHistory(
  trx: Transaction<Database>,
  orderId: number,
  action: OrderAction,
  detail: Record<string, unknown>,
  byUser: number,
): Promise<void> {
  await trx
    .insertInto('service_order_history')
    .values({ order_id: orderId, action, detail: JSON.stringify(detail), by_user: byUser, at: nowIso() })
    .execute();
}
