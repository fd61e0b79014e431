import type { Transaction } from 'kysely';
import type { Database, PersonRow } from '../../db/tables.js';
import { listAudit, recordAudit } from '../../platform/audit.js';
import { auditedRead } from '../../platform/reads.js';
import { revealer } from '../../platform/reveal.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { can } from '../../platform/policy.js';
import { narrowScope, nowhere, requireAction, type Scope } from '../../platform/scope.js';
import { ageOn, nowIso, today } from '../../platform/time.js';
import { EXPORT_MAX_ROWS, xlsxSheet } from '../../platform/xlsx.js';
import { personTags, tagFilter, tagLabel } from './tags.js';
import { findDepartment } from './sources/departments.js';
import { displayValue, fields, type FieldKey } from './sources/fields.js';
import * as repo from './register.repository.js';
import type { Provenance } from './imports/merge.js';

export interface SearchInput {
  q?: string;
  regionCode?: string;
  tags?: string[];
  status?: 'active' | 'closed' | 'all';
  page: number;
  pageSize: number;
}

const ID_LIKE = /^\d{17}[\dXx]$/;

/** The search's filter as the repository takes it, within the viewer's scope narrowed by the region filter. */
function searchFilter(ctx: AppContext, scope: Scope, input: Omit<SearchInput, 'page' | 'pageSize'>, on: string) {
  const q = input.q?.trim();
  // a region filter narrows the viewer's scope; one outside it matches nobody
  const region = input.regionCode ? ctx.regions.get(input.regionCode) : undefined;
  const within = !input.regionCode ? scope : region ? narrowScope(scope, region.code, region.prefix) : nowhere(scope);
  const tags = input.tags ?? [];
  // tags no fact declares are refused (400, naming them) before anything is read
  const byTags = tagFilter(tags, on);
  return {
    q,
    tags,
    within,
    filter: {
      name: q && !ID_LIKE.test(q) ? q : undefined,
      idHash: q && ID_LIKE.test(q) ? ctx.cipher.lookupHash(q) : undefined,
      tags: byTags.conditions,
      bornOnOrBefore: byTags.bornOnOrBefore,
      status: input.status ?? 'active',
    },
  };
}

export async function search(ctx: AppContext, scope: Scope, input: SearchInput) {
  requireAction(scope, 'register.read');
  const on = today();
  const { q, tags, within, filter } = searchFilter(ctx, scope, input, on);
  // A search shows masked data only; it is still a read of personal records, so it is logged
  // in the transaction of the read, with the persons it showed.
  const { rows, total } = await auditedRead(
    ctx.db,
    scope,
    (trx) =>
      repo.searchPersons(trx, within, {
        ...filter,
        limit: input.pageSize,
        offset: (input.page - 1) * input.pageSize,
      }),
    (r) => ({
      action: 'register.search',
      entityType: 'person',
      fields: ['name', 'idNumber', 'phone', 'birthDate'],
      detail: { q: q ?? null, regionCode: input.regionCode ?? null, tags, status: input.status ?? 'active', page: input.page, total: r.total },
      persons: r.rows.map((p) => p.id),
    }),
  );
  return {
    items: rows.map((p) => listItem(ctx, p, on)),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}

function listItem(ctx: AppContext, p: PersonRow, on: string) {
  const region = ctx.regions.get(p.region_code);
  return {
    id: p.id,
    name: p.name,
    sex: p.sex,
    birthDate: p.birth_date,
    age: ageOn(p.birth_date, on),
    idMasked: p.id_masked,
    phoneMasked: p.phone_masked,
    regionCode: p.region_code,
    regionName: region?.name ?? p.region_code,
    townName: ctx.regions.town(p.region_code)?.name ?? '',
    status: p.status,
    tags: personTags(p, on),
  };
}

function sourceLabels(key: string) {
  const d = findDepartment(key);
  return { sourceLabel: d?.label ?? key, sourceLabelEn: d?.labelEn ?? key };
}

function fieldLabels(field: string) {
  const f = fields[field as FieldKey];
  return { label: f?.label ?? field, labelEn: f?.labelEn ?? field };
}

export async function profile(ctx: AppContext, scope: Scope, id: number, canSeeAccess: boolean) {
  requireAction(scope, 'register.read');
  return ctx.db.transaction().execute(async (trx) => {
    const p = await repo.findById(trx, scope, id);
    if (!p) throw notFound('person');
    const [history, conflicts] = await Promise.all([repo.personHistory(trx, id), repo.personConflicts(trx, id)]);
    const provenance = JSON.parse(p.provenance) as Provenance;
    const importIds = [...new Set(Object.values(provenance))];
    const imports = new Map(
      importIds.length ? (await trx.selectFrom('imports').select(['id', 'source', 'as_of']).where('id', 'in', importIds).execute()).map((i) => [i.id, i]) : [],
    );
    const on = today();
    const attributes = Object.entries(provenance).map(([field, importId]) => {
      const source = imports.get(importId)?.source ?? 'unknown';
      const asOf = imports.get(importId)?.as_of ?? null;
      const f = fields[field as FieldKey];
      const raw = field === 'phone' ? p.phone_masked : (f?.fromPerson?.(p) ?? null);
      return { field, ...fieldLabels(field), value: displayValue(field as FieldKey, raw), source, ...sourceLabels(source), asOf };
    });
    await recordAudit(trx, scope, {
      action: 'person.read',
      entityType: 'person',
      entityId: id,
      regionCode: p.region_code,
      fields: [...new Set(['name', 'idNumber', 'phone', ...Object.keys(provenance)])],
    });
    const access = canSeeAccess
      ? (await listAudit(trx, { entityType: 'person', entityId: String(id), limit: 100, offset: 0 })).rows.map((a) => ({
          seq: a.seq,
          at: a.at,
          actor: a.actor,
          role: a.role,
          action: a.action,
          fields: a.fields ? (JSON.parse(a.fields) as string[]) : null,
        }))
      : undefined;
    return {
      person: {
        ...listItem(ctx, p, on),
        regionPath: ctx.regions
          .path(p.region_code)
          .filter((r) => r.level !== 'province')
          .map((r) => ({ code: r.code, name: r.name })),
        closedOn: p.closed_on,
        createdAt: p.created_at,
        updatedAt: p.updated_at,
      },
      attributes,
      conflicts: conflicts.map((c) => ({
        id: c.id,
        field: c.field,
        ...fieldLabels(c.field),
        status: c.status,
        currentValue: displayValue(c.field as FieldKey, c.current_value),
        currentSource: c.current_source,
        currentSourceLabel: sourceLabels(c.current_source).sourceLabel,
        currentSourceLabelEn: sourceLabels(c.current_source).sourceLabelEn,
        currentAsOf: c.current_as_of,
        incomingValue: displayValue(c.field as FieldKey, c.incoming_value),
        incomingSource: c.incoming_source,
        incomingSourceLabel: sourceLabels(c.incoming_source).sourceLabel,
        incomingSourceLabelEn: sourceLabels(c.incoming_source).sourceLabelEn,
        incomingAsOf: c.incoming_as_of,
      })),
      history: history.map((h) => ({
        field: h.field,
        ...fieldLabels(h.field),
        oldValue: displayValue(h.field as FieldKey, h.old_value),
        newValue: displayValue(h.field as FieldKey, h.new_value),
        source: h.source,
        ...sourceLabels(h.source),
        asOf: h.as_of,
        at: h.at,
      })),
      ...(access ? { access } : {}),
    };
  });
}

/** The full ID or phone number: a separate call, with its own audit entry. */
export async function reveal(ctx: AppContext, scope: Scope, id: number, field: 'idNumber' | 'phone') {
  requireAction(scope, 'register.reveal');
  const reveal = revealer(ctx.cipher, scope);
  return ctx.db.transaction().execute(async (trx) => {
    const p = await repo.findById(trx, scope, id);
    if (!p) throw notFound('person');
    const enc = field === 'idNumber' ? p.id_enc : p.phone_enc;
    if (!enc) throw field === 'idNumber' ? notFound('idNumber') : notFound('phone');
    await recordAudit(trx, scope, { action: 'person.reveal', entityType: 'person', entityId: id, regionCode: p.region_code, fields: [field] });
    return { field, value: reveal(enc) };
  });
}

export async function conflicts(ctx: AppContext, scope: Scope, status: string, page: number, pageSize: number) {
  requireAction(scope, 'register.read');
  const { rows, total } = await auditedRead(
    ctx.db,
    scope,
    (trx) => repo.listConflicts(trx, scope, status, pageSize, (page - 1) * pageSize),
    (r) => ({
      action: 'register.conflicts_read',
      entityType: 'person',
      fields: ['name', ...new Set(r.rows.map((c) => c.field))],
      detail: { status, page },
      persons: r.rows.map((c) => c.person_id),
    }),
  );
  return {
    items: rows.map((c) => ({
      id: c.id,
      personId: c.person_id,
      personName: c.person_name,
      regionName: ctx.regions.get(c.region_code)?.name ?? c.region_code,
      field: c.field,
      ...fieldLabels(c.field),
      status: c.status,
      currentValue: displayValue(c.field as FieldKey, c.current_value),
      currentSource: c.current_source,
      currentSourceLabel: sourceLabels(c.current_source).sourceLabel,
      currentSourceLabelEn: sourceLabels(c.current_source).sourceLabelEn,
      currentAsOf: c.current_as_of,
      incomingValue: displayValue(c.field as FieldKey, c.incoming_value),
      incomingSource: c.incoming_source,
      incomingSourceLabel: sourceLabels(c.incoming_source).sourceLabel,
      incomingSourceLabelEn: sourceLabels(c.incoming_source).sourceLabelEn,
      incomingAsOf: c.incoming_as_of,
    })),
    total,
  };
}

/**
 * An officer settles a conflict: keep the current value, or accept the incoming one (which then
 * carries the incoming source's provenance, and the old value goes to history).
 */
export async function resolve(ctx: AppContext, scope: Scope, id: number, choice: 'keep' | 'accept') {
  requireAction(scope, 'register.resolve_conflict');
  await ctx.db.transaction().execute((trx) => resolveIn(ctx, trx, scope, id, choice));
  return { ok: true };
}

/**
 * One conflict settled inside the caller's transaction and audited as itself: the single action
 * above, and the bulk one (imports/conflicts-bulk.ts), which settles many in one transaction and
 * notes itself in each entry's detail.
 */
export async function resolveIn(
  ctx: AppContext,
  trx: Transaction<Database>,
  scope: Scope,
  id: number,
  choice: 'keep' | 'accept',
  note: Record<string, unknown> = {},
): Promise<void> {
  const c = await repo.findConflict(trx, scope, id);
  if (!c) throw notFound('conflict');
  if (c.status !== 'open') throw new AppError('CONFLICT_RESOLVED');
  const now = nowIso();
  if (choice === 'accept') {
    const p = (await repo.findById(trx, scope, c.person_id))!;
    const f = fields[c.field as FieldKey];
    if (!f?.toColumns || f.sensitive) throw new AppError('CONFLICT_FIELD_LOCKED', { field: { zh: f?.label ?? c.field, en: f?.labelEn ?? c.field } });
    const provenance = JSON.parse(p.provenance) as Provenance;
    // the accepted value now carries the provenance of the import that brought it
    if (c.import_id !== null) provenance[c.field] = c.import_id;
    await repo.updatePerson(trx, p.id, { ...f.toColumns(c.incoming_value), provenance: JSON.stringify(provenance), updated_at: now });
    await ctx.handle.insertMany(trx, 'person_history', [
      {
        person_id: p.id,
        field: c.field,
        old_value: f.fromPerson?.(p) ?? null,
        new_value: c.incoming_value,
        source: c.incoming_source,
        as_of: c.incoming_as_of,
        import_id: c.import_id,
        at: now,
      },
    ]);
  }
  await repo.resolveConflict(trx, id, choice === 'accept' ? 'accepted' : 'kept', scope.userId, now);
  await recordAudit(trx, scope, {
    action: 'register.resolve_conflict',
    entityType: 'person',
    entityId: c.person_id,
    regionCode: c.region_code,
    fields: [c.field],
    detail: { conflictId: id, choice, ...note },
  });
}

export interface ExportInput {
  /** full IDs and phones instead of masked ones: roles that may reveal, asked for explicitly */
  full: boolean;
  /** the row cap (EXPORT_MAX_ROWS; lower in tests) */
  maxRows?: number;
}

/**
 * The decryptor for a full export, or null for a masked one. Checked before anything is read, so a
 * refused request reads and records nothing; the full values still leave only through `revealer`.
 */
function exportRevealer(ctx: AppContext, scope: Scope, full: boolean) {
  if (!full) return null;
  if (scope.role !== 'system' && (scope.role === 'anonymous' || !can(scope.role, 'register.reveal'))) throw new AppError('EXPORT_FULL_FORBIDDEN');
  return revealer(ctx.cipher, scope);
}

const STATUS_ZH: Record<string, string> = { active: '在册', closed: '已销户', all: '全部' };
const SEX_ZH: Record<string, string> = { F: '女', M: '男' };

/** The line under an export's title: who, when, the filter, how many, masked or full. */
function exportNote(scope: Scope, filter: string[], count: number, full: boolean) {
  const at = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(new Date());
  const what = full ? '含完整身份证号和电话，注意保密' : '身份证号和电话已脱敏';
  return `导出：${scope.username} ${at}  条件：${filter.length ? filter.join('；') : '无'}  共 ${count} 条  ${what}`;
}

const fileStamp = () => today().replaceAll('-', '');

/** The register search's results as XLSX: every match (not one page), masked unless `full`, audited with the filter and count. */
export async function exportSearch(
  ctx: AppContext,
  scope: Scope,
  input: Omit<SearchInput, 'page' | 'pageSize'> & ExportInput,
): Promise<{ fileName: string; body: Buffer }> {
  requireAction(scope, 'register.read');
  const reveal = exportRevealer(ctx, scope, input.full);
  const max = input.maxRows ?? EXPORT_MAX_ROWS;
  const on = today();
  const { q, tags, within, filter } = searchFilter(ctx, scope, input, on);
  const detailFilter = { q: q ?? null, regionCode: input.regionCode ?? null, tags, status: filter.status };
  // The read and its entry in one transaction; the file is built after it commits, so a large
  // export does not hold the database's write lock (on SQLite, every writer's) while it is written.
  const rows = await ctx.db.transaction().execute(async (trx) => {
    const { rows, total } = await repo.exportPersons(trx, within, filter, max);
    if (total > max) throw new AppError('EXPORT_TOO_LARGE', { count: total, max });
    await recordAudit(trx, scope, {
      action: 'register.export',
      entityType: 'person',
      fields: ['name', 'birthDate', ...(reveal ? ['idNumber', 'phone'] : [])],
      detail: { list: 'persons', filter: detailFilter, full: reveal !== null, count: rows.length, persons: rows.map((p) => p.id) },
    });
    return rows;
  });
  const described = [
    ...(q ? [`姓名或身份证号 ${q}`] : []),
    ...(input.regionCode ? [`地区 ${ctx.regions.get(input.regionCode)?.name ?? input.regionCode}`] : []),
    ...(tags.length ? [`标签 ${tags.map((t) => tagLabel(t)?.zh ?? t).join('、')}`] : []),
    `状态 ${STATUS_ZH[filter.status] ?? filter.status}`,
  ];
  const body = await xlsxSheet({
    title: `${ctx.regions.jurisdictionOf(scope.regionCode)?.name ?? ''}老年人名册查询结果`,
    sheetName: '名册',
    note: exportNote(scope, described, rows.length, reveal !== null),
    columns: [
      { header: '序号', width: 7, value: (_p: PersonRow, i) => i + 1 },
      { header: '姓名', width: 12, value: (p) => p.name },
      { header: '性别', width: 6, value: (p) => SEX_ZH[p.sex] ?? p.sex },
      { header: '出生日期', width: 12, value: (p) => p.birth_date },
      { header: '年龄', width: 6, value: (p) => ageOn(p.birth_date, on) },
      { header: '身份证号', width: 21, value: (p) => (reveal ? reveal(p.id_enc) : p.id_masked) },
      { header: '联系电话', width: 14, value: (p) => (reveal && p.phone_enc ? reveal(p.phone_enc) : p.phone_masked) },
      { header: '镇街', width: 12, value: (p) => ctx.regions.town(p.region_code)?.name ?? '' },
      { header: '村社区', width: 14, value: (p) => ctx.regions.get(p.region_code)?.name ?? p.region_code },
      { header: '状态', width: 8, value: (p) => (p.status === 'active' ? '在册' : '已销户') },
      {
        header: '标签',
        width: 30,
        value: (p) =>
          personTags(p, on)
            .map((t) => tagLabel(t)?.zh ?? t)
            .join('、'),
      },
    ],
    rows,
  });
  // in the transaction of the read: no file leaves without its entry
  return { fileName: `名册查询结果-${fileStamp()}.xlsx`, body };
}

const CONFLICT_STATUS_ZH: Record<string, string> = { open: '待处理', kept: '保留现值', accepted: '已采用新值' };

/** The conflict list (one status) as XLSX: the viewer's region, masked IDs unless `full`, audited with the count. */
export async function exportConflicts(
  ctx: AppContext,
  scope: Scope,
  input: { status: 'open' | 'kept' | 'accepted' } & ExportInput,
): Promise<{ fileName: string; body: Buffer }> {
  requireAction(scope, 'register.read');
  const reveal = exportRevealer(ctx, scope, input.full);
  const max = input.maxRows ?? EXPORT_MAX_ROWS;
  // the read and its entry in one transaction; the file is built after it commits
  const rows = await ctx.db.transaction().execute(async (trx) => {
    const { rows, total } = await repo.listConflicts(trx, scope, input.status, max, 0);
    if (total > max) throw new AppError('EXPORT_TOO_LARGE', { count: total, max });
    await recordAudit(trx, scope, {
      action: 'register.conflicts_export',
      entityType: 'person',
      fields: ['name', ...new Set(rows.map((c) => c.field)), ...(reveal ? ['idNumber'] : [])],
      detail: {
        list: 'conflicts',
        filter: { status: input.status },
        full: reveal !== null,
        count: rows.length,
        persons: [...new Set(rows.map((c) => c.person_id))],
      },
    });
    return rows;
  });
  type Row = (typeof rows)[number];
  const body = await xlsxSheet({
    title: `${ctx.regions.jurisdictionOf(scope.regionCode)?.name ?? ''}数据冲突清单（${CONFLICT_STATUS_ZH[input.status] ?? input.status}）`,
    sheetName: '数据冲突',
    note: exportNote(scope, [`状态 ${CONFLICT_STATUS_ZH[input.status] ?? input.status}`], rows.length, reveal !== null),
    columns: [
      { header: '序号', width: 7, value: (_c: Row, i) => i + 1 },
      { header: '姓名', width: 12, value: (c) => c.person_name },
      { header: '身份证号', width: 21, value: (c) => (reveal ? reveal(c.id_enc) : c.id_masked) },
      { header: '镇街', width: 12, value: (c) => ctx.regions.town(c.region_code)?.name ?? '' },
      { header: '村社区', width: 14, value: (c) => ctx.regions.get(c.region_code)?.name ?? c.region_code },
      { header: '字段', width: 12, value: (c) => fieldLabels(c.field).label },
      { header: '当前值', width: 16, value: (c) => displayValue(c.field as FieldKey, c.current_value) },
      { header: '当前来源', width: 14, value: (c) => sourceLabels(c.current_source).sourceLabel },
      { header: '当前数据日期', width: 12, value: (c) => c.current_as_of },
      { header: '新值', width: 16, value: (c) => displayValue(c.field as FieldKey, c.incoming_value) },
      { header: '新值来源', width: 14, value: (c) => sourceLabels(c.incoming_source).sourceLabel },
      { header: '新值数据日期', width: 12, value: (c) => c.incoming_as_of },
      { header: '状态', width: 10, value: (c) => CONFLICT_STATUS_ZH[c.status] ?? c.status },
    ],
    rows,
  });
  return { fileName: `数据冲突-${fileStamp()}.xlsx`, body };
}
