import { z } from 'zod';
import type { Value } from '../../lib/rules/compile.js';
import type { Executor } from '../../db/database.js';
import type { RunRow } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';
import { periodBounds, previousPeriod } from '../../platform/time.js';
import { overridesFor } from '../catalogue/catalogue.repository.js';
import type { Catalogue } from '../catalogue/catalogue.loader.js';
import { evaluator, paramsFor } from '../catalogue/engine.js';
import { factBuilder, type FactSource } from '../catalogue/facts.js';
import { changesRecordedAfter, columnsBefore, personColumns, type LateChange } from '../register/history.queries.js';
import { findDepartment } from '../register/sources/departments.js';
import { displayValue, fields, type FieldKey } from '../register/sources/fields.js';
import type { Locale } from '../../platform/errors.js';
import { getRun, PERSON_COLUMNS } from './runs.repository.js';
import { runCatalogue, runParams } from './runs.service.js';
import { pauseWords, resumable } from './pauses.js';

/**
 * Back-pay and recovery (补发 / 追回). Facts arrive late: a death reported two months after it
 * happened, a disability grade or 低保 recorded later than it applied, a standard raised from a
 * date already paid. Each run looks back over the months whose payment rolls were approved and
 * asks, for the people whose facts or parameters changed since those rolls' run: what was due for
 * that month by what is known now, and what was paid? The difference is a line of a difference
 * roll — 补发 when underpaid, 追回 when overpaid — with the months, the facts that changed, their
 * sources and dates. Approved rolls are never touched.
 *
 * "Known now" is the facts that month's run used, plus the changes recorded after it that apply
 * from a date within the month (a closure from its own date, any other change from the data date
 * of its file). A change recorded later that applies only later does not reach back.
 */

/** How far back a run looks for differences, in months (a jurisdiction's setting). */
export const backpayMonthsSetting = defineSetting<number>({
  name: 'backpay.months',
  label: { zh: '补发追回回溯月数', en: 'Back-pay look-back (months)' },
  description: {
    zh: '每次测算回头核对已审核发放的月份数：在此范围内，迟报的死亡、追溯的低保或残疾等级、追溯调整的标准，都会生成补发或追回名单。0 表示不回溯。',
    en: 'How many approved months each run checks again: within them, a death reported late, a back-dated 低保 or disability grade, or a back-dated standard produces back-pay or recovery lines. 0 turns it off.',
  },
  schema: z.number().int().min(0).max(60),
  initial: () => 12,
});

/** Recoveries below this amount (fen) per person, item and month are waived (a jurisdiction's setting). */
export const recoveryWaiverSetting = defineSetting<number>({
  name: 'backpay.waiveRecoveryBelowFen',
  label: { zh: '小额追回免予追回（分）', en: 'Waive recoveries below (fen)' },
  description: {
    zh: '单人单项单月的追回金额低于此数（以分计）时免予追回，不列入追回名单。0 表示全部追回。',
    en: 'A recovery for one person, item and month below this amount (in fen) is waived and not listed. 0 recovers everything.',
  },
  schema: z.number().int().min(0).max(1_000_000),
  initial: () => 0,
});

/** Why a month's due amount differs from what was paid. */
export type DifferenceReason =
  | { kind: 'fact'; field: string; from: string | null; to: string | null; source: string; asOf: string; effectiveOn: string }
  | { kind: 'parameter'; name: string; label: string; before: Value | null; after: Value | null }
  /** the bank returned the month's payment as failed: it is paid again */
  | { kind: 'payment_failed'; rollId: number; bankCode: string | null; reason: string | null }
  /** the month was paused (pauses.ts) and the cause is gone: it is paid now */
  | { kind: 'resumed'; pause: string };

export interface MonthDifference {
  personId: number;
  /** where the month was paid (the decision's region in that month's run) */
  regionCode: string;
  itemId: string;
  month: string;
  dueFen: number;
  paidFen: number;
  reasons: DifferenceReason[];
  /** failed payments (payments module) this difference pays again */
  failedLineIds?: number[];
}

interface ApprovedRoll {
  id: number;
  run_id: number;
  period: string;
  item_id: string;
  town_code: string;
}

/** The months a run of `period` looks back over: the `months` before it, latest first. */
export function lookbackMonths(period: string, months: number): string[] {
  const out: string[] = [];
  let p = period;
  for (let i = 0; i < months; i++) out.push((p = previousPeriod(p)));
  return out;
}

/** Every difference between what was due and what was paid, over the approved months a run looks back on. */
export async function findDifferences(ctx: AppContext, db: Executor, run: RunRow): Promise<MonthDifference[]> {
  const jurisdictionCode = run.region_code;
  const months = lookbackMonths(run.period, ctx.settings.get(backpayMonthsSetting, jurisdictionCode));
  if (months.length === 0) return [];
  const waiveBelow = ctx.settings.get(recoveryWaiverSetting, jurisdictionCode);
  const rolls = (await db
    .selectFrom('payment_rolls')
    .innerJoin('entitlement_runs', 'entitlement_runs.id', 'payment_rolls.run_id')
    .select(['payment_rolls.id', 'payment_rolls.run_id', 'payment_rolls.period', 'payment_rolls.item_id', 'payment_rolls.town_code'])
    .where('entitlement_runs.region_code', '=', run.region_code)
    .where('payment_rolls.kind', '=', 'regular')
    .where('payment_rolls.status', '=', 'approved')
    .where('payment_rolls.period', 'in', months)
    .execute()) as ApprovedRoll[];
  const byRun = new Map<number, ApprovedRoll[]>();
  for (const r of rolls) byRun.set(r.run_id, [...(byRun.get(r.run_id) ?? []), r]);
  if (byRun.size === 0) return [];

  const overrides = await overridesFor(db, run.jurisdiction);
  const urban = (code: string) => ctx.regions.get(code)?.kind === 'community';
  const out: MonthDifference[] = [];
  for (const [runId, approved] of byRun) {
    const paidRun = await getRun(db, runId);
    if (!paidRun) continue;
    out.push(...(await monthDifferences(ctx, db, run.period, paidRun, approved, overrides, urban, waiveBelow)));
  }
  return out;
}

async function monthDifferences(
  ctx: AppContext,
  db: Executor,
  runPeriod: string,
  paidRun: RunRow,
  approved: ApprovedRoll[],
  overrides: Awaited<ReturnType<typeof overridesFor>>,
  urban: (code: string) => boolean,
  waiveBelow: number,
): Promise<MonthDifference[]> {
  const month = paidRun.period;
  const { end } = periodBounds(month);
  const cat: Catalogue = await runCatalogue(ctx, paidRun, db);
  const used = runParams(paidRun);
  const now = paramsFor(cat, month, overrides);
  // parameters whose value for the month is not the one the month was paid with
  const changedParams = Object.keys(now.values).filter((n) => JSON.stringify(now.values[n]) !== JSON.stringify(used.values[n]));
  const cash = new Set(cat.items.filter((i) => i.benefit.kind === 'cash_monthly').map((i) => i.id));
  const approvedKeys = new Set(approved.filter((r) => cash.has(r.item_id)).map((r) => `${r.item_id}|${r.town_code}`));
  const rollIds = approved.map((r) => r.id);

  const late = await changesRecordedAfter(db, paidRun.started_at);
  const lateBy = new Map<number, LateChange[]>();
  for (const c of late) lateBy.set(c.personId, [...(lateBy.get(c.personId) ?? []), c]);
  // paused lines of the month whose cause is gone (an account arrived, a pause lifted with pay-back)
  const pausedLines = (
    await db
      .selectFrom('roll_lines')
      .innerJoin('payment_rolls', 'payment_rolls.id', 'roll_lines.roll_id')
      .select(['roll_lines.person_id', 'payment_rolls.item_id', 'roll_lines.pause', 'roll_lines.pause_id'])
      .where('roll_lines.roll_id', 'in', rollIds)
      .where('roll_lines.pause', 'is not', null)
      .execute()
  ).map((l) => ({ personId: l.person_id, itemId: l.item_id, pause: l.pause!, pauseId: l.pause_id }));
  const resumed = await resumable(db, runPeriod, pausedLines);
  const pauseOf = new Map(pausedLines.map((l) => [`${l.personId}|${l.itemId}`, l.pause]));
  // who may differ: everyone the month's run decided on when a parameter changed, else those with late changes or resumed
  const candidates = [
    ...new Set([
      ...(changedParams.length
        ? (await db.selectFrom('decisions').select('person_id').where('run_id', '=', paidRun.id).execute()).map((d) => d.person_id)
        : lateBy.keys()),
      ...[...resumed].map((k) => Number(k.split('|')[0])),
    ]),
  ].sort((a, b) => a - b);
  if (candidates.length === 0) return [];

  const evaluate = evaluator(cat, month, now.values);
  const build = factBuilder(month, urban);
  const paramReasons: DifferenceReason[] = changedParams.map((n) => ({
    kind: 'parameter',
    name: n,
    label: cat.parameters.get(n)?.label ?? n,
    before: used.values[n] ?? null,
    after: now.values[n] ?? null,
  }));
  const out: MonthDifference[] = [];
  const CHUNK = 5000;
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const ids = candidates.slice(i, i + CHUNK);
    // a chunk that fills most of its id range (everyone of a month) is read as a range, not a list
    const lo = ids[0]!;
    const hi = ids.at(-1)!;
    const dense = hi - lo < 2 * ids.length;
    const only = new Set(ids);
    const inChunk = <T extends { person_id: number }>(rows: T[]) => (dense ? rows.filter((r) => only.has(r.person_id)) : rows);
    // where each was decided in the month (people the month's run did not consider are left out)
    let decided = db.selectFrom('decisions').select(['person_id', 'region_code']).where('run_id', '=', paidRun.id);
    decided = dense ? decided.where('person_id', '>=', lo).where('person_id', '<=', hi) : decided.where('person_id', 'in', ids);
    const region = new Map(inChunk(await decided.execute()).map((d) => [d.person_id, d.region_code]));
    const paid = new Map<string, number>();
    // a line held back (暂停发放) is the officer's to resolve: no difference is made for it
    const held = new Set<string>();
    let lineQuery = db
      .selectFrom('roll_lines')
      .innerJoin('payment_rolls', 'payment_rolls.id', 'roll_lines.roll_id')
      .select(['roll_lines.person_id', 'payment_rolls.item_id', 'roll_lines.amount_fen', 'roll_lines.excluded'])
      .where('roll_lines.roll_id', 'in', rollIds);
    lineQuery = dense
      ? lineQuery.where('roll_lines.person_id', '>=', lo).where('roll_lines.person_id', '<=', hi)
      : lineQuery.where('roll_lines.person_id', 'in', ids);
    for (const l of inChunk(await lineQuery.execute())) {
      const k = `${l.person_id}|${l.item_id}`;
      if (l.excluded) held.add(k);
      paid.set(k, (paid.get(k) ?? 0) + (l.excluded ? 0 : l.amount_fen));
    }
    // what earlier difference rolls settled for the month (approved ones only, a line held back there settled nothing)
    let settled = db
      .selectFrom('difference_months')
      .innerJoin('payment_rolls', 'payment_rolls.id', 'difference_months.roll_id')
      .innerJoin('roll_lines', (j) =>
        j.onRef('roll_lines.roll_id', '=', 'difference_months.roll_id').onRef('roll_lines.person_id', '=', 'difference_months.person_id'),
      )
      .select(['difference_months.person_id', 'difference_months.item_id', 'difference_months.due_fen', 'difference_months.paid_fen'])
      .where('payment_rolls.status', '=', 'approved')
      .where('roll_lines.excluded', '=', 0)
      .where('difference_months.month', '=', month);
    settled = dense
      ? settled.where('difference_months.person_id', '>=', lo).where('difference_months.person_id', '<=', hi)
      : settled.where('difference_months.person_id', 'in', ids);
    for (const s of inChunk(await settled.execute())) {
      const k = `${s.person_id}|${s.item_id}`;
      paid.set(k, (paid.get(k) ?? 0) + (s.due_fen - s.paid_fen));
    }
    for (const row of (await personColumns(db, PERSON_COLUMNS, ids)) as (FactSource & { id: number; region_code: string })[]) {
      const where = region.get(row.id);
      if (where === undefined) continue;
      const changes = lateBy.get(row.id) ?? [];
      // as the month stood: changes recorded since its run that apply only later are undone, newest first
      const asOf: Record<string, unknown> = { ...row };
      for (let k = changes.length - 1; k >= 0; k--) if (changes[k]!.effectiveOn > end) Object.assign(asOf, columnsBefore(changes[k]!));
      const outcome = evaluate(build(asOf as FactSource));
      const town = ctx.regions.town(where)?.code ?? where;
      const factReasons: DifferenceReason[] = changes
        .filter((c) => c.effectiveOn <= end)
        .map((c) => ({ kind: 'fact', field: c.field, from: c.oldValue, to: c.newValue, source: c.source, asOf: c.asOf, effectiveOn: c.effectiveOn }));
      for (const item of cash) {
        const k = `${row.id}|${item}`;
        if (!approvedKeys.has(`${item}|${town}`)) continue; // not closed there
        // held back by hand, or paused for a cause still there (or lifted without pay-back): not now
        const resumedHere = resumed.has(k) && pauseOf.has(k);
        if (held.has(k) && !resumedHere) continue;
        const due = typeof outcome[item] === 'number' ? outcome[item] : 0;
        const was = paid.get(k) ?? 0;
        const diff = due - was;
        if (diff === 0 || (diff < 0 && -diff < waiveBelow)) continue;
        const reasons = [...factReasons, ...paramReasons, ...(resumedHere ? [{ kind: 'resumed', pause: pauseOf.get(k)! } as const] : [])];
        out.push({ personId: row.id, regionCode: where, itemId: item, month, dueFen: due, paidFen: was, reasons });
      }
    }
  }
  return out;
}

/** One month of a difference line, as the roll page and the XLSX show it. */
export interface DifferenceMonthView {
  month: string;
  dueFen: number;
  paidFen: number;
  /** the reasons in words, in the viewer's language */
  reasons: string[];
}

const yuanText = (fen: number) => (fen / 100).toFixed(2);

/** A reason in words: the fact with its old and new value, the file it came from and from when; or the parameter. */
export function reasonText(r: DifferenceReason, locale: Locale): string {
  const en = locale === 'en';
  if (r.kind === 'payment_failed') {
    const why = [r.bankCode, r.reason].filter(Boolean).join(' ');
    return en
      ? `payment failed at the bank (roll no. ${r.rollId}${why ? `: ${why}` : ''}), paid again`
      : `代发失败（第 ${r.rollId} 号名册${why ? `，银行回盘：${why}` : ''}），重新发放`;
  }
  if (r.kind === 'resumed') {
    return en ? `paused (${pauseWords(r.pause, locale)}), paid now the cause is gone` : `暂停发放（${pauseWords(r.pause, locale)}）已解除，补发`;
  }
  if (r.kind === 'parameter') {
    const v = (x: Value | null) => (typeof x === 'number' ? (en ? `${yuanText(x)} yuan` : `${yuanText(x)} 元`) : String(x ?? '—'));
    return en ? `standard ${r.label}: ${v(r.before)} → ${v(r.after)}` : `标准“${r.label}”：${v(r.before)} → ${v(r.after)}`;
  }
  const def = fields[r.field as FieldKey] as (typeof fields)[FieldKey] | undefined;
  const label = def ? (en ? def.labelEn : def.label) : r.field;
  const value = (x: string | null) => displayValue(r.field as FieldKey, x) ?? '—';
  const dept = findDepartment(r.source);
  const from = dept ? (en ? dept.labelEn : dept.label) : r.source;
  return en
    ? `${label}: ${value(r.from)} → ${value(r.to)} (${from}, from ${r.effectiveOn})`
    : `${label}：${value(r.from)} → ${value(r.to)}（${from}，${r.effectiveOn} 起）`;
}

/** The months of the given lines of a difference roll, per person, latest month last. */
export async function differenceMonths(
  db: Executor,
  rollId: number,
  personIds: readonly number[],
  locale: Locale,
): Promise<Map<number, DifferenceMonthView[]>> {
  const out = new Map<number, DifferenceMonthView[]>();
  if (personIds.length === 0) return out;
  const rows = await db
    .selectFrom('difference_months')
    .selectAll()
    .where('roll_id', '=', rollId)
    .where('person_id', 'in', [...personIds])
    .orderBy('person_id')
    .orderBy('month')
    .execute();
  for (const m of rows) {
    const view = {
      month: m.month,
      dueFen: m.due_fen,
      paidFen: m.paid_fen,
      reasons: (JSON.parse(m.reasons) as DifferenceReason[]).map((r) => reasonText(r, locale)),
    };
    out.set(m.person_id, [...(out.get(m.person_id) ?? []), view]);
  }
  return out;
}
