import { listAudit, recordAudit, type AuditFilter } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { EXPORT_MAX_ROWS, xlsxSheet } from '../../platform/xlsx.js';
import { auditActions, auditEntities } from '../vocabulary.js';

/** The filter as the console sends it: civil dates, the operator's username, an action, a person. */
export interface AuditQuery {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  personId?: number;
  entityType?: string;
  entityId?: string;
}

const DAY_MS = 86_400_000;
/** Asia/Shanghai has no daylight saving: a civil day there starts at 16:00 UTC the day before. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The instants a range of civil days covers, in the jurisdiction's zone: [start of `from`, start of the day after `to`). */
export function dayBounds(from: string | undefined, to: string | undefined): { fromAt: string | undefined; toAt: string | undefined } {
  const start = (d: string) => Date.parse(`${d}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
  return {
    fromAt: from ? new Date(start(from)).toISOString() : undefined,
    toAt: to ? new Date(start(to) + DAY_MS).toISOString() : undefined,
  };
}

function filterOf(q: AuditQuery): Omit<AuditFilter, 'limit' | 'offset'> {
  const { from, to, ...rest } = q;
  return { ...rest, ...dayBounds(from, to), actor: q.actor || undefined };
}

export async function list(ctx: AppContext, scope: Scope, q: AuditQuery, page: number, pageSize: number) {
  requireAction(scope, 'audit.read');
  return listAudit(ctx.db, { ...filterOf(q), limit: pageSize, offset: (page - 1) * pageSize });
}

const ROLE_ZH: Record<string, string> = {
  bureau_admin: '民政局管理员',
  town_officer: '镇街工作人员',
  grid_worker: '村社区网格员',
  assessor: '评估员',
  provider: '服务商',
  caregiver: '护理员',
  institution_staff: '养老机构工作人员',
  hotline_operator: '热线接线员',
  hotline_supervisor: '热线值班长',
  village_head: '村（社区）负责人',
  volunteer: '志愿者',
  inspector: '监管人员',
  system: '系统',
};

const civilTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/**
 * The filtered log as XLSX: actions and objects in words, times in Asia/Shanghai. The details
 * were masked when written. The export is itself an entry, naming the filter and the count.
 */
export async function exportLog(ctx: AppContext, scope: Scope, q: AuditQuery, maxRows = EXPORT_MAX_ROWS): Promise<{ fileName: string; body: Buffer }> {
  requireAction(scope, 'audit.read');
  // the read and its entry in one transaction; the file is built after it commits (no lock held while writing)
  const rows = await ctx.db.transaction().execute(async (trx) => {
    const { rows, total } = await listAudit(trx, { ...filterOf(q), limit: maxRows, offset: 0 });
    if (total > maxRows) throw new AppError('EXPORT_TOO_LARGE', { count: total, max: maxRows });
    await recordAudit(trx, scope, { action: 'audit.export', detail: { list: 'audit', filter: q, count: rows.length } });
    return rows;
  });
  type Row = (typeof rows)[number];
  const described = [
    ...(q.from || q.to ? [`日期 ${q.from ?? '…'} 至 ${q.to ?? '…'}`] : []),
    ...(q.actor ? [`操作人 ${q.actor}`] : []),
    ...(q.action ? [`操作 ${auditActions[q.action]?.zh ?? q.action}`] : []),
    ...(q.personId ? [`人员编号 ${q.personId}`] : []),
    ...(q.entityType ? [`对象 ${auditEntities[q.entityType]?.zh ?? q.entityType}${q.entityId ? ` #${q.entityId}` : ''}`] : []),
  ];
  const body = await xlsxSheet({
    title: `${ctx.regions.jurisdictionOf(scope.regionCode)?.name ?? ''}审计日志`,
    sheetName: '审计日志',
    note: `导出：${scope.username} ${civilTime.format(new Date())}  条件：${described.length ? described.join('；') : '无'}  共 ${rows.length} 条`,
    columns: [
      { header: '序号', width: 9, value: (r: Row) => r.seq },
      { header: '时间', width: 20, value: (r) => civilTime.format(new Date(r.at)) },
      { header: '操作人', width: 12, value: (r) => r.actor },
      { header: '角色', width: 14, value: (r) => (r.role ? (ROLE_ZH[r.role] ?? r.role) : '') },
      { header: 'IP', width: 15, value: (r) => r.ip },
      { header: '操作', width: 18, value: (r) => auditActions[r.action]?.zh ?? r.action },
      {
        header: '对象',
        width: 14,
        value: (r) => (r.entity_type ? `${auditEntities[r.entity_type]?.zh ?? r.entity_type}${r.entity_id ? ` #${r.entity_id}` : ''}` : ''),
      },
      { header: '字段', width: 24, value: (r) => (r.fields ? (JSON.parse(r.fields) as string[]).join('、') : '') },
      { header: '详情', width: 60, value: (r) => r.detail },
    ],
    rows,
  });
  return { fileName: `审计日志-${today().replaceAll('-', '')}.xlsx`, body };
}
