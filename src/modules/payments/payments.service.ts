import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { auditedRead } from '../../platform/reads.js';
import { revealer } from '../../platform/reveal.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { prefixUpperBound } from '../../db/dialect.js';
import { nowIso } from '../../platform/time.js';
import { approvedRoll, approvedRolls, rollLinesOf, rollVisible, type ApprovedRoll, type FailedPaymentLine } from '../entitlements/payments.queries.js';
import { payeeAccounts, personLabels } from '../register/people.js';
import { cardDigits, isCardNumber, luhnValid } from '../register/sources/payee.js';
import { fenOf, readReturnFile, writeDisbursement, yuan, type DisbursementRow } from './payments.files.js';
import { bankLayouts, type BankLayout } from './payments.settings.js';
import type { PaymentStatus } from './payments.tables.js';

/**
 * Bank disbursement and reconciliation (R3): an approved roll goes to the bank as its disbursement
 * file (the bank's layout, full card numbers: a revealed export, audited); the bank's return file
 * marks each line paid or failed with the bank's reason; failed lines wait for the next month's
 * roll, which pays them again (entitlements' roll sink: failedUnreissued, markReissued).
 */

/** The batch reference a disbursement file carries and its return file quotes. */
export const referenceOf = (r: ApprovedRoll) => `YY${r.period.replace('-', '')}-${r.id}`;

/** "姓名（masked ID）" for the persons an error lists (the first twenty, then how many more). */
async function named(db: Executor, ids: number[]): Promise<string> {
  const labels = await personLabels(db, ids.slice(0, 20));
  const shown = ids.slice(0, 20).map((id) => {
    const l = labels.get(id);
    return l ? `${l.name}（${l.idMasked}）` : `#${id}`;
  });
  return shown.join('、') + (ids.length > 20 ? ` …（${ids.length}）` : '');
}

/** A bank's file layout as the roll's county sets it (`regionCode`: the roll's town). */
function layoutFor(ctx: AppContext, regionCode: string, bank: string | undefined): BankLayout {
  const layouts = bankLayouts(ctx, regionCode);
  const layout = bank ? layouts.find((l) => l.bank === bank) : layouts[0];
  if (!layout) throw new AppError('PAYMENT_BANK_UNKNOWN', { bank: bank ?? '' });
  return layout;
}

async function rollFor(db: Executor, scope: Scope, id: number): Promise<ApprovedRoll> {
  const roll = await approvedRoll(db, scope, id);
  if (roll) return roll;
  const visible = await rollVisible(db, scope, id);
  if (visible?.kind === 'recovery') throw new AppError('PAYMENT_RECOVERY_ROLL');
  if (visible) throw new AppError('PAYMENT_ROLL_NOT_APPROVED');
  throw notFound('roll');
}

/**
 * Persons the roll would pay a second time for its month, item and kind: already in another roll's
 * batch sent to the bank (a person who moved town in the month) and not failed there. A back-pay
 * roll of the month pays earlier months' differences: not a duplicate of the month's payment.
 * Twice in one roll cannot be: roll_lines is keyed by roll and person.
 */
async function duplicates(db: Executor, roll: ApprovedRoll, personIds: number[]): Promise<number[]> {
  const dup = new Set<number>();
  const unique = [...new Set(personIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('payment_lines')
      .select('person_id')
      .where('period', '=', roll.period)
      .where('item_id', '=', roll.itemId)
      .where('kind', '=', roll.kind)
      .where('roll_id', '<>', roll.id)
      .where('status', '<>', 'failed')
      .where('person_id', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) dup.add(r.person_id);
  }
  return [...dup].sort((a, b) => a - b);
}

/**
 * The roll as the bank's disbursement file. Refused before anything is written or decrypted when
 * the viewer may not reveal, the roll is not approved, a person would be paid twice (DUPLICATE),
 * or a person has no account or (for a bank that checks) a card number with a wrong check digit.
 * The first export records the batch and its lines (pending); a later export writes the same
 * batch again. Audited with the number of card and ID numbers disclosed.
 */
export async function exportDisbursement(
  ctx: AppContext,
  scope: Scope,
  rollId: number,
  bank?: string,
): Promise<{ fileName: string; body: Buffer; contentType: string }> {
  requireAction(scope, 'payments.read');
  requireAction(scope, 'rolls.read');
  const reveal = revealer(ctx.cipher, scope);
  return ctx.db.transaction().execute(async (trx) => {
    const roll = await rollFor(trx, scope, rollId);
    const layout = layoutFor(ctx, roll.townCode, bank);
    const lines = (await rollLinesOf(trx, rollId)).filter((l) => !l.excluded);
    const dup = await duplicates(
      trx,
      roll,
      lines.map((l) => l.personId),
    );
    if (dup.length) throw new AppError('PAYMENT_DUPLICATE', { persons: await named(trx, dup) }, { personIds: dup });
    const accounts = await payeeAccounts(
      trx,
      lines.map((l) => l.personId),
    );
    const missing = lines.filter((l) => !accounts.get(l.personId)?.cardEnc).map((l) => l.personId);
    if (missing.length) throw new AppError('PAYMENT_ACCOUNT_MISSING', { persons: await named(trx, missing) }, { personIds: missing });
    const cards = new Map(lines.map((l) => [l.personId, reveal(accounts.get(l.personId)!.cardEnc!)]));
    if (layout.luhn) {
      const invalid = lines.filter((l) => !(isCardNumber(cards.get(l.personId)!) && luhnValid(cards.get(l.personId)!))).map((l) => l.personId);
      if (invalid.length) throw new AppError('PAYMENT_ACCOUNT_INVALID', { bank: layout.bank, persons: await named(trx, invalid) }, { personIds: invalid });
    }
    const labels = await personLabels(
      trx,
      lines.map((l) => l.personId),
    );
    const reference = referenceOf(roll);
    const total = lines.reduce((a, l) => a + l.amountFen, 0);
    const at = nowIso();
    const existing = await trx.selectFrom('payment_batches').selectAll().where('roll_id', '=', rollId).executeTakeFirst();
    if (existing) {
      await trx
        .updateTable('payment_batches')
        .set({ exports: existing.exports + 1, bank: layout.bank, exported_by: scope.userId, exported_by_name: scope.username, exported_at: at })
        .where('id', '=', existing.id)
        .execute();
    } else {
      const batch = await trx
        .insertInto('payment_batches')
        .values({
          roll_id: rollId,
          reference,
          period: roll.period,
          item_id: roll.itemId,
          item_name: roll.itemName,
          town_code: roll.townCode,
          bank: layout.bank,
          lines: lines.length,
          total_fen: total,
          exported_by: scope.userId,
          exported_by_name: scope.username,
          exported_at: at,
          exports: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let i = 0; i < lines.length; i += 200)
        await trx
          .insertInto('payment_lines')
          .values(
            lines.slice(i, i + 200).map((l) => {
              const a = accounts.get(l.personId)!;
              return {
                batch_id: batch.id,
                roll_id: rollId,
                person_id: l.personId,
                region_code: l.regionCode,
                period: roll.period,
                item_id: roll.itemId,
                kind: roll.kind,
                amount_fen: l.amountFen,
                id_hash: a.idHash,
                card_hash: a.cardHash ?? ctx.cipher.lookupHash(cards.get(l.personId)!),
                card_masked: a.cardMasked ?? '',
                bank: a.bank,
                holder: a.holder,
                status: 'pending' as const,
                bank_code: null,
                reason: null,
                return_id: null,
                reissued_roll_id: null,
                reissued_at: null,
              };
            }),
          )
          .execute();
    }
    const rows: DisbursementRow[] = lines.map((l, i) => {
      const a = accounts.get(l.personId)!;
      const name = labels.get(l.personId)?.name ?? '';
      return {
        seq: String(i + 1),
        reference,
        card: cards.get(l.personId)!,
        holder: a.holder ?? name,
        name,
        idNumber: reveal(a.idEnc),
        amountYuan: yuan(l.amountFen),
        amountFen: String(l.amountFen),
        bank: a.bank ?? '',
        item: roll.itemName,
        period: roll.period,
      };
    });
    await recordAudit(trx, scope, {
      action: 'payments.export',
      entityType: 'payment_batch',
      entityId: rollId,
      regionCode: roll.townCode,
      fields: ['name', 'idNumber', 'payeeCard'],
      detail: { reference, bank: layout.bank, lines: lines.length, totalFen: total, period: roll.period, item: roll.itemId },
    });
    const body = await writeDisbursement(layout, rows);
    return {
      fileName: `${reference}-${layout.bank}.${layout.format}`,
      body,
      contentType: layout.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    };
  });
}

/**
 * Applies the bank's return file to a roll's batch: every row names the batch, the person (ID or
 * card number), the amount and the bank's status code and reason. Refused whole, nothing changed,
 * when a row quotes another batch, names a person not in the batch, gives another amount, repeats
 * a payment or would change one already re-issued.
 */
export async function importReturn(ctx: AppContext, scope: Scope, rollId: number, file: { name: string; body: Buffer }) {
  requireAction(scope, 'payments.reconcile');
  const rows = await readReturnFile(file.body);
  return ctx.db.transaction().execute(async (trx) => {
    const roll = await rollFor(trx, scope, rollId);
    const batch = await trx.selectFrom('payment_batches').selectAll().where('roll_id', '=', rollId).executeTakeFirst();
    if (!batch) throw new AppError('PAYMENT_NOT_EXPORTED');
    const layout = layoutFor(ctx, roll.townCode, batch.bank);
    const rc = layout.returnColumns;
    const [header, ...data] = rows;
    if (!header || data.length === 0) throw new AppError('PAYMENT_RETURN_EMPTY');
    const col = (h: string) => header.findIndex((x) => x.replace(/^\uFEFF/, '').trim() === h);
    const at = {
      reference: col(rc.reference),
      idNumber: col(rc.residentId),
      card: col(rc.card),
      amount: col(rc.amount),
      status: col(rc.status),
      reason: col(rc.reason),
    };
    const missing = [rc.reference, rc.amount, rc.status].filter((h) => col(h) < 0);
    if (at.idNumber < 0 && at.card < 0) missing.push(`${rc.residentId}/${rc.card}`);
    if (missing.length) throw new AppError('PAYMENT_RETURN_COLUMNS', { missing: missing.join('、') });
    const lines = await trx.selectFrom('payment_lines').selectAll().where('batch_id', '=', batch.id).execute();
    const byId = new Map(lines.map((l) => [l.id_hash, l]));
    const byCard = new Map(lines.map((l) => [l.card_hash, l]));
    const seen = new Map<number, number>();
    const updates: Array<{ id: number; status: PaymentStatus; code: string; reason: string | null }> = [];
    data.forEach((cells, i) => {
      const row = i + 2;
      const cell = (k: keyof typeof at) => (at[k] >= 0 ? (cells[at[k]] ?? '').trim() : '');
      const reference = cell('reference');
      if (reference !== batch.reference) throw new AppError('PAYMENT_RETURN_OTHER_ROLL', { row, reference, expected: batch.reference });
      const idNumber = cell('idNumber').toUpperCase();
      const card = cardDigits(cell('card'));
      const line = (idNumber && byId.get(ctx.cipher.lookupHash(idNumber))) || (card && byCard.get(ctx.cipher.lookupHash(card))) || undefined;
      if (!line) throw new AppError('PAYMENT_RETURN_UNKNOWN_PERSON', { row });
      const first = seen.get(line.id);
      if (first !== undefined) throw new AppError('PAYMENT_RETURN_REPEATED', { row, first });
      seen.set(line.id, row);
      if (fenOf(cell('amount')) !== line.amount_fen)
        throw new AppError('PAYMENT_RETURN_AMOUNT', { row, amount: cell('amount'), expected: yuan(line.amount_fen) });
      const code = cell('status');
      const paid = layout.paidCodes.includes(code);
      if (line.reissued_roll_id !== null) throw new AppError('PAYMENT_RETURN_REISSUED', { row });
      updates.push({ id: line.id, status: paid ? 'paid' : 'failed', code, reason: paid ? null : cell('reason') || code });
    });
    const paid = updates.filter((u) => u.status === 'paid').length;
    const failed = updates.length - paid;
    const ret = await trx
      .insertInto('payment_returns')
      .values({
        batch_id: batch.id,
        file_name: file.name.slice(0, 200),
        rows: data.length,
        paid,
        failed,
        imported_by: scope.userId,
        imported_by_name: scope.username,
        imported_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const u of updates)
      await trx
        .updateTable('payment_lines')
        .set({ status: u.status, bank_code: u.code.slice(0, 20), reason: u.reason?.slice(0, 200) ?? null, return_id: ret.id })
        .where('id', '=', u.id)
        .execute();
    await recordAudit(trx, scope, {
      action: 'payments.import_return',
      entityType: 'payment_batch',
      entityId: rollId,
      regionCode: roll.townCode,
      fields: ['paymentStatus'],
      detail: { reference: batch.reference, returnId: ret.id, rows: data.length, paid, failed },
    });
    return { returnId: ret.id, rows: data.length, paid, failed };
  });
}

/** Approved rolls in the viewer's region with their batch, if sent, and its counts. */
export async function listPayments(ctx: AppContext, scope: Scope, period?: string) {
  requireAction(scope, 'payments.read');
  const rolls = await approvedRolls(ctx.db, scope, { period });
  const ids = rolls.map((r) => r.id);
  const batches = ids.length ? await ctx.db.selectFrom('payment_batches').selectAll().where('roll_id', 'in', ids).execute() : [];
  const counts = await countsOf(
    ctx.db,
    batches.map((b) => b.id),
  );
  const byRoll = new Map(batches.map((b) => [b.roll_id, b]));
  return rolls.map((r) => {
    const b = byRoll.get(r.id);
    return {
      rollId: r.id,
      period: r.period,
      itemId: r.itemId,
      itemName: r.itemName,
      townCode: r.townCode,
      townName: ctx.regions.get(r.townCode)?.name ?? r.townCode,
      lines: r.lines,
      totalFen: r.totalFen,
      batch: b ? { reference: b.reference, bank: b.bank, exportedAt: b.exported_at, exportedBy: b.exported_by_name, ...(counts.get(b.id) ?? zero()) } : null,
    };
  });
}

const zero = () => ({ pending: 0, paid: 0, failed: 0 });

async function countsOf(db: Executor, batchIds: number[]) {
  const out = new Map<number, { pending: number; paid: number; failed: number }>();
  if (!batchIds.length) return out;
  const rows = await db
    .selectFrom('payment_lines')
    .select(['batch_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('batch_id', 'in', batchIds)
    .groupBy(['batch_id', 'status'])
    .execute();
  for (const r of rows) {
    const c = out.get(r.batch_id) ?? zero();
    c[r.status] = Number(r.n);
    out.set(r.batch_id, c);
  }
  return out;
}

/** One roll's payments: the batch, its counts, the return files and the failed lines with the bank's reasons (names: an audited read). */
export async function rollPayments(ctx: AppContext, scope: Scope, rollId: number) {
  requireAction(scope, 'payments.read');
  const roll = await rollFor(ctx.db, scope, rollId);
  const batch = await ctx.db.selectFrom('payment_batches').selectAll().where('roll_id', '=', rollId).executeTakeFirst();
  const counts = batch ? ((await countsOf(ctx.db, [batch.id])).get(batch.id) ?? zero()) : zero();
  const returns = batch ? await ctx.db.selectFrom('payment_returns').selectAll().where('batch_id', '=', batch.id).orderBy('id', 'desc').execute() : [];
  const failed = await auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const lines = batch
        ? await trx
            .selectFrom('payment_lines')
            .selectAll()
            .where('batch_id', '=', batch.id)
            .where('status', '=', 'failed')
            .orderBy('region_code')
            .orderBy('person_id')
            .limit(1000)
            .execute()
        : [];
      const labels = await personLabels(
        trx,
        lines.map((l) => l.person_id),
      );
      return lines.map((l) => ({ line: l, label: labels.get(l.person_id) }));
    },
    (rows) => ({
      action: 'payments.read',
      entityType: 'payment_batch',
      entityId: rollId,
      regionCode: roll.townCode,
      fields: ['name', 'idNumber', 'payeeCard'],
      persons: rows.map((r) => r.line.person_id),
    }),
  );
  return {
    roll: {
      id: roll.id,
      period: roll.period,
      itemName: roll.itemName,
      townName: ctx.regions.get(roll.townCode)?.name ?? roll.townCode,
      lines: roll.lines,
      totalFen: roll.totalFen,
    },
    banks: bankLayouts(ctx, roll.townCode).map((l) => ({ bank: l.bank, format: l.format })),
    batch: batch
      ? {
          reference: batch.reference,
          bank: batch.bank,
          lines: batch.lines,
          totalFen: batch.total_fen,
          exportedAt: batch.exported_at,
          exportedBy: batch.exported_by_name,
          exports: batch.exports,
          ...counts,
        }
      : null,
    returns: returns.map((r) => ({
      id: r.id,
      fileName: r.file_name,
      rows: r.rows,
      paid: r.paid,
      failed: r.failed,
      importedAt: r.imported_at,
      importedBy: r.imported_by_name,
    })),
    failed: failed.map(({ line: l, label }) => ({
      personId: l.person_id,
      name: label?.name ?? '',
      idMasked: label?.idMasked ?? '',
      cardMasked: l.card_masked,
      bank: l.bank,
      regionName: ctx.regions.get(l.region_code)?.name ?? l.region_code,
      amountFen: l.amount_fen,
      bankCode: l.bank_code,
      reason: l.reason,
      reissuedRollId: l.reissued_roll_id,
    })),
  };
}

/** A failed payment not yet paid again: what the next month's roll must carry. */
export type FailedPayment = FailedPaymentLine;

/**
 * The failed payments of a jurisdiction (its region prefix, ctx.regions.jurisdiction().prefix, or
 * any narrower one) not yet re-issued, oldest month first. Read by the rolls' sink inside a run's
 * batch transaction; it hands the lines it adds to a roll back through markReissued.
 */
export async function failedUnreissued(db: Executor, regionPrefix: string): Promise<FailedPayment[]> {
  const rows = await db
    .selectFrom('payment_lines')
    .select(['id', 'person_id', 'region_code', 'period', 'item_id', 'amount_fen', 'roll_id', 'bank_code', 'reason'])
    .where('status', '=', 'failed')
    .where('reissued_roll_id', 'is', null)
    .where('region_code', '>=', regionPrefix)
    .where('region_code', '<', prefixUpperBound(regionPrefix))
    .orderBy('period')
    .orderBy('item_id')
    .orderBy('person_id')
    .execute();
  return rows.map((r) => ({
    lineId: r.id,
    personId: r.person_id,
    regionCode: r.region_code,
    period: r.period,
    itemId: r.item_id,
    amountFen: r.amount_fen,
    rollId: r.roll_id,
    bankCode: r.bank_code,
    reason: r.reason,
  }));
}

/**
 * Marks failed payments as carried by a later roll (in the caller's transaction). Only failed,
 * not yet re-issued lines change; returns how many did, so a sink can tell a line another run
 * already took.
 */
export async function markReissued(db: Executor, lineIds: readonly number[], intoRollId: number): Promise<number> {
  let n = 0;
  const at = nowIso();
  for (let i = 0; i < lineIds.length; i += 500) {
    const r = await db
      .updateTable('payment_lines')
      .set({ reissued_roll_id: intoRollId, reissued_at: at })
      .where('id', 'in', lineIds.slice(i, i + 500))
      .where('status', '=', 'failed')
      .where('reissued_roll_id', 'is', null)
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

/**
 * Undoes markReissued for a roll that will not pay them (superseded by a re-run, or dropped before
 * approval): its failed lines are listed by failedUnreissued again. Returns how many.
 */
export async function releaseReissued(db: Executor, rollId: number): Promise<number> {
  const r = await db
    .updateTable('payment_lines')
    .set({ reissued_roll_id: null, reissued_at: null })
    .where('reissued_roll_id', '=', rollId)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
