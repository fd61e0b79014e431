import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { recordAudit } from '../../platform/audit.js';
import { inRegion, narrowScope, nowhere, regionInScope, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { personColumns } from '../register/history.queries.js';
import { personLabels, personPermitted } from '../register/people.js';
import { activeAccounts, displayNames } from '../users/accounts.js';
import { balanceAfter, noteText } from './ledger.js';
import type { TimebankAccountRow } from './timebank.tables.js';
import type { AccountDetail, AccountsQuery, AccountsReply, AccountView, EntryKind, HolderKind, LedgerLine, OpenAccountBody } from './timebank.schema.js';

/**
 * Time-bank accounts: who may see and act on which (the one place that decides), their views and
 * their ledgers.
 *
 * Scope, decided here: a volunteer sees and acts on their own account only (any other answers 404).
 * Everyone else who may read the time bank (officers, village heads, inspectors) may open and act
 * on ANY account of their jurisdiction by its number — hours are portable across it (通存通兑): a
 * volunteer from one town redeems at a service point of another — while their lists show the
 * accounts opened in their own region. Every read that shows holders is audited (a relative's
 * account is a register person's: their name is personal data).
 */

/** Whether the viewer sees only their own account. */
export const ownAccountOnly = (scope: Scope) => scope.role === 'volunteer';

/** The code prefix of the viewer's jurisdiction (a city's officer: the city's, over all its counties); null when their region is unknown. */
const jurisdictionPrefix = (ctx: AppContext, scope: Scope): string | null => ctx.regions.jurisdictionOf(scope.regionCode)?.prefix ?? null;

/** The account `id` as the viewer may see or act on it; 404 otherwise (and for a system account when `holdersOnly`). */
export async function accountFor(ctx: AppContext, db: Executor, scope: Scope, id: number, opts: { holdersOnly?: boolean } = {}): Promise<TimebankAccountRow> {
  const row = await db.selectFrom('timebank_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  const prefix = jurisdictionPrefix(ctx, scope);
  const visible =
    row &&
    prefix !== null &&
    row.region_code.startsWith(prefix) &&
    (!ownAccountOnly(scope) || (row.holder_kind === 'volunteer' && row.user_id === scope.userId)) &&
    !(opts.holdersOnly && row.holder_kind === 'system');
  if (!visible) throw new AppError('TIMEBANK_ACCOUNT_NOT_FOUND', { id });
  return row;
}

/** Holder names of these accounts: volunteers' display names and register persons' names. */
export async function holderNames(db: Executor, rows: readonly Pick<TimebankAccountRow, 'id' | 'user_id' | 'person_id'>[]): Promise<Map<number, string>> {
  const users = await displayNames(
    db,
    rows.map((r) => r.user_id).filter((v): v is number => v !== null),
  );
  const persons = await personLabels(
    db,
    rows.map((r) => r.person_id).filter((v): v is number => v !== null),
  );
  const out = new Map<number, string>();
  for (const r of rows) {
    const name = r.user_id !== null ? users.get(r.user_id) : r.person_id !== null ? persons.get(r.person_id)?.name : undefined;
    if (name !== undefined) out.set(r.id, name);
  }
  return out;
}

/** Register persons among these accounts' holders (what an audited read names). */
export const personsOf = (rows: readonly Pick<TimebankAccountRow, 'person_id'>[]) => rows.map((r) => r.person_id).filter((v): v is number => v !== null);

export async function accountViews(ctx: AppContext, db: Executor, rows: readonly TimebankAccountRow[]): Promise<AccountView[]> {
  const names = await holderNames(db, rows);
  return rows.map((r) => ({
    id: r.id,
    holderKind: r.holder_kind as HolderKind,
    holder: r.holder_kind === 'system' ? null : { id: (r.user_id ?? r.person_id)!, name: names.get(r.id) ?? '' },
    systemKey: r.system_key,
    regionCode: r.region_code,
    regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
    balanceMinutes: r.balance_minutes,
    status: r.status,
    openedAt: r.opened_at,
  }));
}

/** The viewer's scope narrowed to a region filter (one outside it matches nothing). */
function narrowed(ctx: AppContext, scope: Scope, region: string | undefined): Scope {
  if (!region) return scope;
  const r = ctx.regions.get(region);
  return r ? narrowScope(scope, r.code, r.prefix) : nowhere(scope);
}

/** GET /timebank/accounts: the holders' accounts opened in the viewer's region (a volunteer: their own), audited. */
export function listAccounts(ctx: AppContext, scope: Scope, f: AccountsQuery): Promise<AccountsReply> {
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let q = trx.selectFrom('timebank_accounts').where('holder_kind', '!=', 'system');
      if (ownAccountOnly(scope)) q = q.where('user_id', '=', scope.userId ?? -1);
      else q = q.where(inRegion(narrowed(ctx, scope, f.region), 'timebank_accounts.region_code'));
      if (f.kind) q = q.where('holder_kind', '=', f.kind);
      const offset = (f.page - 1) * f.pageSize;
      const text = f.q?.trim();
      if (text && /^\d+$/.test(text)) q = q.where('id', '=', Number(text));
      else if (text) {
        // a name: the region's holders' names are looked up and matched here (a few thousand at most)
        const all = await q.selectAll().orderBy('id').execute();
        const names = await holderNames(trx, all);
        const hits = all.filter((r) => names.get(r.id)?.includes(text));
        return { items: await accountViews(ctx, trx, hits.slice(offset, offset + f.pageSize)), total: hits.length, page: f.page, pageSize: f.pageSize };
      }
      const { n } = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      const rows = await q.selectAll().orderBy('id').limit(f.pageSize).offset(offset).execute();
      return { items: await accountViews(ctx, trx, rows), total: Number(n), page: f.page, pageSize: f.pageSize };
    },
    (r) => ({
      action: 'timebank.accounts_read',
      entityType: 'timebank_account',
      persons: r.items.filter((a) => a.holderKind === 'person').map((a) => a.holder!.id),
    }),
  );
}

/** A page of an account's ledger, newest first: each entry as the account sees it. */
export async function ledgerOf(
  ctx: AppContext,
  db: Executor,
  accountId: number,
  page: number,
  pageSize: number,
): Promise<{ page: AccountDetail['ledger']; persons: number[] }> {
  const { n } = await db
    .selectFrom('timebank_lines')
    .select(sql<number>`count(distinct entry_id)`.as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  const mine = await db
    .selectFrom('timebank_lines')
    .select(['entry_id', (eb) => eb.fn.sum<number>('minutes').as('minutes')])
    .where('account_id', '=', accountId)
    .groupBy('entry_id')
    .orderBy('entry_id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const ids = mine.map((m) => m.entry_id);
  if (!ids.length) return { page: { items: [], total: Number(n), page, pageSize }, persons: [] };
  const entries = new Map((await db.selectFrom('timebank_entries').selectAll().where('id', 'in', ids).execute()).map((e) => [e.id, e]));
  const reversedBy = new Map(
    (await db.selectFrom('timebank_entries').select(['id', 'reverses_id']).where('reverses_id', 'in', ids).execute()).map((e) => [e.reverses_id!, e.id]),
  );
  // the other side of each entry: its largest line on another account
  const others = await db
    .selectFrom('timebank_lines')
    .select(['entry_id', 'account_id', 'minutes'])
    .where('entry_id', 'in', ids)
    .where('account_id', '!=', accountId)
    .execute();
  const other = new Map<number, { account_id: number; minutes: number }>();
  for (const o of others) if (Math.abs(o.minutes) > Math.abs(other.get(o.entry_id)?.minutes ?? 0)) other.set(o.entry_id, o);
  const otherIds = [...new Set([...other.values()].map((o) => o.account_id))];
  const otherRows = otherIds.length ? await db.selectFrom('timebank_accounts').selectAll().where('id', 'in', otherIds).execute() : [];
  const otherById = new Map(otherRows.map((r) => [r.id, r]));
  const otherNames = await holderNames(db, otherRows);
  const byNames = await displayNames(
    db,
    [...entries.values()].map((e) => e.by_user),
  );

  let running = await balanceAfter(db, accountId, ids[0]!);
  const items: LedgerLine[] = mine.map((m) => {
    const e = entries.get(m.entry_id)!;
    const o = other.get(m.entry_id);
    const oRow = o ? otherById.get(o.account_id) : undefined;
    const line: LedgerLine = {
      entryId: e.id,
      kind: e.kind as EntryKind,
      minutes: Number(m.minutes),
      balanceAfter: running,
      counterpart: oRow
        ? { accountId: oRow.id, holderKind: oRow.holder_kind as HolderKind, name: otherNames.get(oRow.id) ?? null, systemKey: oRow.system_key }
        : null,
      note: noteText(ctx, e.note),
      by: byNames.has(e.by_user) ? { id: e.by_user, name: byNames.get(e.by_user)! } : null,
      at: e.at,
      eventId: e.event_id,
      rewardKey: e.reward_key,
      reversesId: e.reverses_id,
      reversedById: reversedBy.get(e.id) ?? null,
    };
    running -= Number(m.minutes);
    return line;
  });
  return { page: { items, total: Number(n), page, pageSize }, persons: personsOf(otherRows) };
}

/** GET /timebank/accounts/:id: the account and a page of its ledger (audited: the holder and the counterparts shown). */
export function getAccount(
  ctx: AppContext,
  scope: Scope,
  id: number,
  paging: { page: number; pageSize: number },
): Promise<AccountDetail & { persons: number[] }> {
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const row = await accountFor(ctx, trx, scope, id);
      const [account] = await accountViews(ctx, trx, [row]);
      const ledger = await ledgerOf(ctx, trx, row.id, paging.page, paging.pageSize);
      return { account: account!, ledger: ledger.page, persons: [...personsOf([row]), ...ledger.persons] };
    },
    (r) => ({ action: 'timebank.account_read', entityType: 'timebank_account', entityId: id, regionCode: r.account.regionCode, persons: r.persons }),
  );
}

/**
 * POST /timebank/accounts: opens an account for an active volunteer of the viewer's region, or for
 * an elder on the register in it (a relative who will receive transfers; a transfer naming a person
 * opens theirs too). One account per holder (the unique indexes also guard a race).
 */
export async function openAccount(ctx: AppContext, scope: Scope, body: OpenAccountBody): Promise<AccountView> {
  let values: { holder_kind: string; user_id: number | null; person_id: number | null; region_code: string };
  let holder: { zh: string; en: string };
  if ('userId' in body.holder) {
    const user = (await activeAccounts(ctx.db, [body.holder.userId])).get(body.holder.userId);
    if (!user || user.role !== 'volunteer') throw new AppError('TIMEBANK_HOLDER_INVALID', { id: body.holder.userId });
    if (!regionInScope(scope, user.regionCode)) throw notFound('user');
    values = { holder_kind: 'volunteer', user_id: user.id, person_id: null, region_code: user.regionCode };
    holder = { zh: `志愿者（用户编号 ${user.id}）`, en: `Volunteer (user ${user.id})` };
  } else {
    const personId = body.holder.personId;
    const person = await registerPerson(ctx.db, personId);
    if (!person || !(await personPermitted(ctx.db, scope, personId))) throw notFound('person');
    values = { holder_kind: 'person', user_id: null, person_id: personId, region_code: person.regionCode };
    holder = { zh: `人员（编号 ${personId}）`, en: `Person ${personId}` };
  }
  const existing = await ctx.db
    .selectFrom('timebank_accounts')
    .select('id')
    .where(values.user_id !== null ? 'user_id' : 'person_id', '=', (values.user_id ?? values.person_id)!)
    .executeTakeFirst();
  if (existing) throw new AppError('TIMEBANK_ACCOUNT_EXISTS', { holder, id: existing.id });
  let row: TimebankAccountRow;
  try {
    row = await ctx.db.transaction().execute(async (trx) => {
      const r = await insertAccount(trx, values, scope.userId ?? 0);
      await recordAudit(trx, scope, {
        action: 'timebank.account_open',
        entityType: 'timebank_account',
        entityId: r.id,
        regionCode: r.region_code,
        detail: { holderKind: r.holder_kind, userId: r.user_id, personId: r.person_id },
      });
      return r;
    });
  } catch (e) {
    const again = await ctx.db
      .selectFrom('timebank_accounts')
      .select('id')
      .where(values.user_id !== null ? 'user_id' : 'person_id', '=', (values.user_id ?? values.person_id)!)
      .executeTakeFirst();
    if (again) throw new AppError('TIMEBANK_ACCOUNT_EXISTS', { holder, id: again.id });
    throw e;
  }
  return (await accountViews(ctx, ctx.db, [row]))[0]!;
}

export async function insertAccount(
  db: Executor,
  values: { holder_kind: string; user_id: number | null; person_id: number | null; region_code: string },
  by: number,
): Promise<TimebankAccountRow> {
  return db
    .insertInto('timebank_accounts')
    .values({ ...values, system_key: null, balance_minutes: 0, status: 'open', opened_by: by, opened_at: nowIso() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A person on the register (active) with their region, through the register's public function; null when not. */
export async function registerPerson(db: Executor, personId: number): Promise<{ id: number; regionCode: string } | null> {
  const [row] = await personColumns(db, ['id', 'region_code', 'status'], [personId]);
  if (!row || row.status !== 'active') return null;
  return { id: personId, regionCode: String(row.region_code) };
}
