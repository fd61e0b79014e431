import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { can } from '../../platform/policy.js';
import { revealer } from '../../platform/reveal.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { EXPORT_MAX_ROWS, xlsxSheet } from '../../platform/xlsx.js';
import { DECLARATIONS } from '../catalogue/declarations.js';
import { worksIn } from '../catalogue/jurisdictions.js';
import { personLabels } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import { pausedQueue, pauseWords, type PausedEntry } from './pauses.js';
import { paymentHistory, type PaymentHistoryLine } from './payment-history.js';
import { changes, getRun, type ChangeFilter } from './runs.repository.js';
import { runCatalogue } from './runs.service.js';
import { benefitText } from './self-check.js';
import { withIdNumbers } from './people.js';

/**
 * The entitlements lists as XLSX (issue 14): a run's change list, a person's payment history and
 * the paused list. Each is the list's own rows for the same filter (its query, its scope), with the
 * title and a note naming what, the filter, who and whether IDs are masked; every text cell goes
 * through platform/xlsx's safeCell; every export is one audit entry, written in the transaction of
 * its read (or right after the list's own audited read), with the count.
 */
export interface EntitlementExport {
  fileName: string;
  body: Buffer;
}

/**
 * The decryptor for a full export, or null for a masked one, as the register's exports decide it:
 * checked before anything is read, so a refused request reads and records nothing.
 */
function exportRevealer(ctx: AppContext, scope: Scope, full: boolean) {
  if (!full) return null;
  if (scope.role !== 'system' && (scope.role === 'anonymous' || !can(scope.role, 'register.reveal'))) throw new AppError('EXPORT_FULL_FORBIDDEN');
  return revealer(ctx.cipher, scope);
}

/** The line under an export's title: who, when, the filter, how many, masked or full. */
function exportNote(scope: Scope, filter: string[], count: number, full: boolean) {
  const at = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(new Date());
  const what = full ? '含完整身份证号，注意保密' : '身份证号已脱敏';
  return `导出：${scope.username} ${at}  条件：${filter.length ? filter.join('；') : '无'}  共 ${count} 条  ${what}`;
}

const fileStamp = () => today().replaceAll('-', '');
const yuan = (fen: number) => Math.round(fen) / 100;
const atLocal = (iso: string) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
const monthZh = (period: string) => `${period.slice(0, 4)}年${Number(period.slice(5, 7))}月`;

export const CHANGE_KIND_ZH: Record<string, string> = { new: '新增享受', ended: '停止享受', amount: '金额变化', verify: '待核实' };
const FACT_ZH = new Map(DECLARATIONS.map((d) => [d.name, d.label.zh]));

/** A run's change list (变动清单) for the list's filters: every row (not one page), masked unless `full`, audited with the count. */
export async function exportChanges(
  ctx: AppContext,
  scope: Scope,
  runId: number,
  f: ChangeFilter & { full: boolean; maxRows?: number },
): Promise<EntitlementExport> {
  requireAction(scope, 'entitlements.read');
  const reveal = exportRevealer(ctx, scope, f.full);
  const max = f.maxRows ?? EXPORT_MAX_ROWS;
  const run = await getRun(ctx.db, runId);
  if (!run || !worksIn(ctx, scope, run.region_code)) throw notFound('run');
  const cat = await runCatalogue(ctx, run);
  const filter: ChangeFilter = { kind: f.kind, itemId: f.itemId, handled: f.handled };
  const rows = await ctx.db.transaction().execute(async (trx) => {
    const total = Number(
      (
        await changes(trx, scope, runId, filter)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    if (total > max) throw new AppError('EXPORT_TOO_LARGE', { count: total, max });
    // the list's query and order (entitlements.service changeList), every page
    const rows = await withIdNumbers(
      trx,
      await changes(trx, scope, runId, filter)
        .select([
          'decision_changes.id',
          'decision_changes.person_id',
          'decision_changes.item_id',
          'decision_changes.kind',
          'decision_changes.old_value',
          'decision_changes.new_value',
          'decision_changes.region_code',
          'decision_changes.handled_by',
          'decision_changes.handled_at',
          'decision_changes.missing',
        ])
        .orderBy('decision_changes.region_code')
        .orderBy('decision_changes.person_id')
        .orderBy('decision_changes.item_id')
        .execute(),
    );
    await recordAudit(trx, scope, {
      action: 'entitlements.changes_export',
      entityType: 'run',
      entityId: runId,
      fields: ['name', 'idNumber'],
      detail: {
        list: 'changes',
        filter: { kind: f.kind ?? null, item: f.itemId ?? null, handled: f.handled ?? null },
        full: reveal !== null,
        count: rows.length,
        persons: [...new Set(rows.map((r) => r.person_id))],
      },
    });
    return rows;
  });
  const handlers = await displayNames(
    ctx.db,
    rows.map((r) => r.handled_by),
  );
  const item = (id: string) => cat.items.find((i) => i.id === id);
  const described = [
    ...(f.kind ? [`变动 ${CHANGE_KIND_ZH[f.kind] ?? f.kind}`] : []),
    ...(f.itemId ? [`项目 ${item(f.itemId)?.name ?? f.itemId}`] : []),
    ...(f.handled !== undefined ? [f.handled ? '已跟进' : '未跟进'] : []),
  ];
  type Row = (typeof rows)[number];
  const value = (r: Row, v: number | null) => {
    const it = item(r.item_id);
    return v === null || !it ? '' : benefitText(it, v, 'zh-CN');
  };
  const body = await xlsxSheet({
    title: `${ctx.regions.get(run.region_code)?.name ?? ''}${monthZh(run.period)}待遇变动清单`,
    sheetName: '变动清单',
    note: exportNote(scope, described, rows.length, reveal !== null),
    columns: [
      { header: '序号', width: 7, value: (_r: Row, i) => i + 1 },
      { header: '姓名', width: 12, value: (r) => r.person.name },
      { header: '身份证号', width: 21, value: (r) => (reveal ? reveal(r.person.idEnc) : r.person.idMasked) },
      { header: '镇街', width: 12, value: (r) => ctx.regions.town(r.region_code)?.name ?? '' },
      { header: '村社区', width: 14, value: (r) => ctx.regions.get(r.region_code)?.name ?? r.region_code },
      { header: '项目', width: 20, value: (r) => item(r.item_id)?.name ?? r.item_id },
      { header: '变动', width: 10, value: (r) => CHANGE_KIND_ZH[r.kind] ?? r.kind },
      { header: '原值', width: 16, value: (r) => value(r, r.old_value) },
      { header: '新值', width: 16, value: (r) => value(r, r.new_value) },
      {
        header: '待核实事实',
        width: 20,
        value: (r) =>
          (r.missing ? r.missing.split(',') : [])
            .filter(Boolean)
            .map((m) => FACT_ZH.get(m) ?? m)
            .join('、'),
      },
      { header: '已跟进', width: 8, value: (r) => (r.handled_at !== null ? '是' : '否') },
      {
        header: '跟进人/时间',
        width: 24,
        value: (r) => (r.handled_at === null ? '' : `${r.handled_by !== null ? (handlers.get(r.handled_by) ?? '') : ''} ${atLocal(r.handled_at)}`.trim()),
      },
    ],
    rows,
  });
  return { fileName: `${run.period}-变动清单-${fileStamp()}.xlsx`, body };
}

const ROLL_KIND_ZH: Record<string, string> = { regular: '发放', backpay: '补发', recovery: '追回' };
const ROLL_STATUS_ZH: Record<string, string> = {
  pending: '待编制',
  draft: '草稿',
  submitted: '待审核',
  returned: '已退回',
  approved: '已审核',
  superseded: '已被替换',
};

/** What a payment-history line's status says: the roll's, or 暂停 for a line held back or paused. */
const lineStatus = (l: PaymentHistoryLine) => (l.excluded ? `暂停（${ROLL_STATUS_ZH[l.status] ?? l.status}）` : (ROLL_STATUS_ZH[l.status] ?? l.status));

/** The months a back-pay or recovery line settles, with what was due, what was paid and why. */
const monthsText = (l: PaymentHistoryLine) =>
  (l.months ?? [])
    .map((m) => `${m.month} 应发 ${yuan(m.dueFen).toFixed(2)} 已发 ${yuan(m.paidFen).toFixed(2)}${m.reasons.length ? `：${m.reasons.join('；')}` : ''}`)
    .join('\n');

/** A person's payment history (发放记录) as XLSX: the profile's lines, the person named with a masked ID, audited. */
export async function exportPayments(ctx: AppContext, scope: Scope, personId: number): Promise<EntitlementExport> {
  requireAction(scope, 'entitlements.read');
  // the profile's own read: permission, scope and its audited read of the lines
  const { items } = await paymentHistory(ctx, scope, personId, 'zh-CN');
  const person = await ctx.db.transaction().execute(async (trx) => {
    const person = (await personLabels(trx, [personId])).get(personId);
    if (!person) throw notFound('person');
    await recordAudit(trx, scope, {
      action: 'entitlements.payments_export',
      entityType: 'person',
      entityId: personId,
      fields: ['name', 'idNumber'],
      detail: { list: 'payments', full: false, count: items.length, persons: [personId] },
    });
    return person;
  });
  const body = await xlsxSheet({
    title: `${person.name}（${person.idMasked}）发放记录`,
    sheetName: '发放记录',
    note: exportNote(scope, [`姓名 ${person.name}`, `身份证号 ${person.idMasked}`], items.length, false),
    columns: [
      { header: '序号', width: 7, value: (_l: PaymentHistoryLine, i) => i + 1 },
      { header: '月份', width: 10, value: (l) => l.period },
      { header: '项目', width: 20, value: (l) => l.itemName },
      { header: '类别', width: 8, value: (l) => ROLL_KIND_ZH[l.kind] ?? l.kind },
      { header: '应发（元）', width: 12, value: (l) => yuan(l.standardFen) },
      { header: '实发（元）', width: 12, value: (l) => yuan(l.amountFen) },
      { header: '状态', width: 14, value: lineStatus },
      { header: '暂停原因/备注', width: 24, value: (l) => l.remark ?? '' },
      { header: '名册号', width: 9, value: (l) => l.rollId },
      { header: '差额月份及原因', width: 48, value: monthsText },
    ],
    rows: items,
  });
  return { fileName: `发放记录-${person.name}-${fileStamp()}.xlsx`, body };
}

/** The paused list (暂停发放) for the page's filters as XLSX: every entry up to the cap, masked, audited with the count. */
export async function exportPaused(ctx: AppContext, scope: Scope, q: { period?: string; reason?: string; maxRows?: number }): Promise<EntitlementExport> {
  requireAction(scope, 'rolls.read');
  const max = q.maxRows ?? EXPORT_MAX_ROWS;
  // the page's own read (same rows, same order, its audited read of the names), all of it in one page
  const queue = await pausedQueue(ctx, scope, { period: q.period, reason: q.reason, page: 1, pageSize: max }, 'zh-CN');
  if (queue.total > max) throw new AppError('EXPORT_TOO_LARGE', { count: queue.total, max });
  const rows = queue.items;
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, scope, {
      action: 'rolls.paused_export',
      entityType: 'roll',
      entityId: queue.period,
      fields: ['name', 'idNumber'],
      detail: {
        list: 'paused',
        filter: { period: queue.period, reason: q.reason ?? null },
        full: false,
        count: rows.length,
        persons: rows.map((e) => e.personId),
      },
    }),
  );
  const reasonZh = (r: string) => (r === 'held' ? '镇街暂停' : pauseWords(r, 'zh-CN'));
  const body = await xlsxSheet({
    title: `${ctx.regions.jurisdictionOf(scope.regionCode)?.name ?? ''}${monthZh(queue.period)}暂停发放名单`,
    sheetName: '暂停发放',
    note: exportNote(scope, [`月份 ${queue.period}`, ...(q.reason ? [`原因 ${reasonZh(q.reason)}`] : [])], rows.length, false),
    columns: [
      { header: '序号', width: 7, value: (_e: PausedEntry, i) => i + 1 },
      { header: '姓名', width: 12, value: (e) => e.name },
      { header: '身份证号', width: 21, value: (e) => e.idMasked },
      { header: '镇街', width: 12, value: (e) => ctx.regions.town(e.regionCode)?.name ?? '' },
      { header: '村社区', width: 14, value: (e) => e.regionName },
      { header: '暂停原因', width: 20, value: (e) => e.reasonText },
      { header: '备注', width: 20, value: (e) => e.remark ?? '' },
      { header: '项目', width: 28, value: (e) => e.items.map((i) => i.itemName).join('、') },
      { header: '当月应发（元）', width: 14, value: (e) => yuan(e.dueFen) },
      { header: '暂停起始月', width: 12, value: (e) => e.since },
    ],
    rows,
  });
  return { fileName: `暂停发放-${queue.period}-${fileStamp()}.xlsx`, body };
}
