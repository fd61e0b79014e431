import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inRegion, type Scope } from '../../platform/scope.js';
import { pendingDepositCount, type FiguresOf } from './pending.js';
import { DEFAULT_TIMEBANK, type TimebankSettings } from './timebank.settings.js';

export interface TimebankCounts {
  /** holders' accounts opened in the viewer's region (a volunteer: their own) */
  accounts: number;
  /** the hours those accounts hold, in minutes */
  minutesOutstanding: number;
  /** confirmed volunteer events of the region not yet deposited */
  pendingDeposits: number;
  /** the latest ledger check; ok false: the workbench shows the problem */
  lastCheck: { on: string; ok: boolean } | null;
}

/**
 * The time bank's counts for the workbench (counts only: no one is named, not an audited read).
 * `settings`: by which an event too short to deposit is not waiting — each event's region's
 * (`(code) => timebankSettingsOf(ctx, code)`, as a deposit counts it), or one set for every event;
 * the initial figures when not given.
 */
export async function timebankCounts(
  db: Executor,
  scope: Scope,
  settings: Pick<TimebankSettings, 'roundMinutes' | 'maxMinutesPerEvent'> | FiguresOf = DEFAULT_TIMEBANK,
): Promise<TimebankCounts> {
  let q = db.selectFrom('timebank_accounts').where('holder_kind', '!=', 'system');
  q = scope.role === 'volunteer' ? q.where('user_id', '=', scope.userId ?? -1) : q.where(inRegion(scope, 'timebank_accounts.region_code'));
  const r = await q.select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(balance_minutes), 0)`.as('minutes')]).executeTakeFirstOrThrow();
  const check = await db.selectFrom('timebank_checks').select(['on_date', 'ok']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return {
    accounts: Number(r.n),
    minutesOutstanding: Number(r.minutes),
    pendingDeposits: await pendingDepositCount(settings, db, scope),
    lastCheck: check ? { on: check.on_date, ok: check.ok === 1 } : null,
  };
}
