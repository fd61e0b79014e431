import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { defineDaily } from '../../platform/daily.js';
import { everywhere, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import type { CheckProblems, CheckView, ChecksReply } from './timebank.schema.js';
import type { Database } from '../../db/tables.js';
import type { Selectable } from 'kysely';

/**
 * The ledger's daily check (and on demand): every account's kept balance equals the sum of its
 * lines, every entry has two lines or more summing to zero, and the whole ledger sums to zero. Read
 * in one snapshot (REPEATABLE READ on PostgreSQL; a SQLite read transaction is one), so a movement
 * committing meanwhile is seen whole or not at all. The result is a timebank_checks row; a problem
 * is logged with ids and figures only (no names) and shows on the workbench (timebankCounts).
 */

type CheckRow = Selectable<Database['timebank_checks']>;

function view(r: CheckRow): CheckView {
  return { id: r.id, on: r.on_date, ok: r.ok === 1, accounts: r.accounts, entries: r.entries, problems: JSON.parse(r.problems) as CheckProblems, at: r.at };
}

export async function runCheck(ctx: AppContext, on: string, scope: Scope): Promise<CheckView> {
  const row = await ctx.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const accounts = await trx.selectFrom('timebank_accounts').select(['id', 'balance_minutes']).orderBy('id').execute();
      const sums = new Map(
        (
          await trx
            .selectFrom('timebank_lines')
            .select(['account_id', (eb) => eb.fn.sum<number>('minutes').as('n')])
            .groupBy('account_id')
            .execute()
        ).map((r) => [r.account_id, Number(r.n)]),
      );
      const problems: CheckProblems = { accounts: [], entries: [], ledgerSum: 0 };
      for (const a of accounts) {
        const sum = sums.get(a.id) ?? 0;
        if (sum !== a.balance_minutes) problems.accounts.push({ accountId: a.id, balance: a.balance_minutes, sum });
      }
      // entries whose lines do not balance, and entries with fewer than two lines (none at all included)
      const bad = await trx
        .selectFrom('timebank_entries as e')
        .leftJoin('timebank_lines as l', 'l.entry_id', 'e.id')
        .select(['e.id', sql<number>`coalesce(sum(l.minutes), 0)`.as('n'), sql<number>`count(l.id)`.as('lines')])
        .groupBy('e.id')
        .having((eb) => eb.or([eb(sql`coalesce(sum(l.minutes), 0)`, '!=', 0), eb(sql`count(l.id)`, '<', 2)]))
        .orderBy('e.id')
        .limit(1000)
        .execute();
      problems.entries = bad.map((b) => ({ entryId: b.id, sum: Number(b.n), lines: Number(b.lines) }));
      const total = await trx
        .selectFrom('timebank_lines')
        .select(sql<number>`coalesce(sum(minutes), 0)`.as('n'))
        .executeTakeFirstOrThrow();
      problems.ledgerSum = Number(total.n);
      const { n: entries } = await trx
        .selectFrom('timebank_entries')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      const ok = problems.accounts.length === 0 && problems.entries.length === 0 && problems.ledgerSum === 0;
      const inserted = await trx
        .insertInto('timebank_checks')
        .values({ on_date: on, ok: ok ? 1 : 0, accounts: accounts.length, entries: Number(entries), problems: JSON.stringify(problems), at: nowIso() })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, scope, {
        action: 'timebank.check',
        entityType: 'timebank_check',
        entityId: inserted.id,
        detail: { ok, accounts: problems.accounts.length, entries: problems.entries.length, ledgerSum: problems.ledgerSum },
      });
      return inserted;
    });
  const v = view(row);
  if (!v.ok) {
    // ids and figures only: no holder's name leaves in a log
    console.warn(
      `time bank check ${on}: the ledger does not balance — accounts ${v.problems.accounts.map((a) => `#${a.accountId} kept ${a.balance} vs lines ${a.sum}`).join(', ') || 'none'}; ` +
        `entries ${v.problems.entries.map((e) => `#${e.entryId} sums to ${e.sum} over ${e.lines} lines`).join(', ') || 'none'}; ledger sum ${v.problems.ledgerSum}`,
    );
  }
  return v;
}

/** GET /timebank/checks: the checks, newest first (ids and figures: nothing personal). */
export async function listChecks(ctx: AppContext, f: { page: number; pageSize: number }): Promise<ChecksReply> {
  const { n } = await ctx.db
    .selectFrom('timebank_checks')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  const rows = await ctx.db
    .selectFrom('timebank_checks')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { items: rows.map(view), total: Number(n), page: f.page, pageSize: f.pageSize };
}

export const timebankCheckTask = defineDaily({
  name: 'timebank-check',
  async run(ctx, on = today()) {
    await runCheck(ctx, on, everywhere('timebank-check'));
  },
});
