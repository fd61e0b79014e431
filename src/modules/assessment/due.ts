import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.js';
import { recordAudit } from '../../platform/audit.js';
import { readMarker, writeMarker } from '../../platform/settings.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { everywhere, narrowScope, requireAction, type Scope } from '../../platform/scope.js';
import { ageOn, nowIso, today, type CivilDate } from '../../platform/time.js';
import { EXPORT_MAX_ROWS, xlsxSheet } from '../../platform/xlsx.js';
import {
  birthdayAt,
  bornBy,
  dueCount,
  duePage,
  recomputeCapabilityDates,
  type DuePerson,
  type DueSpec,
  type DueStateFilter,
} from '../register/capability.queries.js';
import { displayNames } from '../users/accounts.js';
import { assessmentScheduleSetting, scheduleOf, type AssessmentSchedule } from './assessment.settings.js';
import { addDays, nextDue, validUntil } from './schedule.js';
import type { DueExportQuery, DueQuery, DueReply, DueRow, DueState } from './schedule.schema.js';

/**
 * The due list (issue 15, "Shared results and schedule"): who needs a capability assessment in
 * the viewer's region, most overdue first.
 *
 * - A person with a reviewed assessment falls due on its capability_due (schedule.ts nextDue);
 *   listed from dueSoonDays before.
 * - A person never assessed falls due on their olderAge (80th) birthday; with scheduleUnder80
 *   'all', everyone from 60 is due now (assessment.settings.ts says why 'after_first' is the
 *   default: below 80 an assessment is a right on application).
 * - An open request (a change of condition, an application, before admission) makes a person due
 *   now until the next reviewed assessment closes it: state 'requested', due on the request's
 *   date (or the scheduled date when that is earlier).
 * Only persons on the register (status active). An assessor sees their region's list here although
 * the register shows them only the persons assigned to them: this list is how they learn who to ask
 * for (issue 15).
 */

/** The viewer's scope narrowed to a region of theirs; an unknown region or one outside refused. */
export function regionScope(ctx: AppContext, scope: Scope, regionCode: string | undefined): Scope {
  if (!regionCode) return scope;
  const region = ctx.regions.get(regionCode);
  if (!region) throw new AppError('REGION_UNKNOWN', { region: regionCode });
  if (!region.prefix.startsWith(scope.regionPrefix)) throw new AppError('REGION_OUT_OF_SCOPE', { region: `${region.name} ${region.code}` });
  return narrowScope(scope, region.code, region.prefix);
}

/** SQL over the module's own tables that the register's due query takes (register/capability.queries.ts). */
const OPEN_REQUESTS = sql`select r.person_id from assessment_requests r where r.closed_at is null`;
const requestedOn = (personId: RawBuilder<unknown>) =>
  sql<string | null>`(select min(substr(r.requested_at, 1, 10)) from assessment_requests r where r.person_id = ${personId} and r.closed_at is null)`;
const assignedTo = (assessorId: number) => (personId: RawBuilder<unknown>) =>
  sql<boolean>`${personId} in (select a.person_id from assessment_assignments a where a.ended_at is null and a.assessor_id = ${assessorId})`;
const unassigned = (personId: RawBuilder<unknown>) =>
  sql<boolean>`${personId} not in (select a.person_id from assessment_assignments a where a.ended_at is null)`;

/** The register query's spec for a list on `on` under the schedule `s`. */
export function dueSpec(s: AssessmentSchedule, on: CivilDate, state: DueStateFilter, filters: { assessorId?: number; unassigned?: boolean } = {}): DueSpec {
  const where = [];
  if (filters.assessorId !== undefined) where.push(assignedTo(filters.assessorId));
  if (filters.unassigned) where.push(unassigned);
  return {
    on,
    soonUntil: addDays(on, s.dueSoonDays),
    olderAge: s.olderAge,
    neverAssessed: s.scheduleUnder80 === 'all' ? 'all' : 'older',
    start: s.scheduleStart,
    requestedIds: OPEN_REQUESTS,
    requestedOn,
    state,
    where,
  };
}

/** The days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: CivilDate, to: CivilDate): number {
  return Math.round(
    (Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10)) - Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10))) / 86_400_000,
  );
}

/** When a person not asked for falls due by the schedule (null: not on it, e.g. under 80 never assessed). */
export function scheduledDue(p: { birthDate: string; due: string | null }, s: AssessmentSchedule, on: CivilDate): CivilDate | null {
  if (p.due) return p.due;
  // never assessed: from the 80th birthday, but not before the schedule began
  const older = [birthdayAt(p.birthDate, s.olderAge), s.scheduleStart].sort()[1]!;
  if (s.scheduleUnder80 === 'all') return p.birthDate <= bornBy(on, 60) ? (older < on ? older : on) : null;
  return older;
}

interface OpenRequest {
  id: number;
  person_id: number;
  reason: string;
  note: string;
  requested_at: string;
}

/** Reads over IN lists of at most 500 ids (both databases' parameter limits). */
export async function inChunks<T>(ids: readonly number[], read: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += 500) out.push(...(await read(unique.slice(i, i + 500))));
  return out;
}

async function openRequests(db: Executor, ids: readonly number[]): Promise<Map<number, OpenRequest>> {
  const rows = await inChunks(ids, (chunk) =>
    db
      .selectFrom('assessment_requests')
      .select(['id', 'person_id', 'reason', 'note', 'requested_at'])
      .where('person_id', 'in', chunk)
      .where('closed_at', 'is', null)
      .orderBy('id')
      .execute(),
  );
  const out = new Map<number, OpenRequest>();
  for (const r of rows) if (!out.has(r.person_id)) out.set(r.person_id, r);
  return out;
}

async function openAssignments(db: Executor, ids: readonly number[]) {
  const rows = await inChunks(ids, (chunk) =>
    db
      .selectFrom('assessment_assignments')
      .select(['id', 'person_id', 'assessor_id', 'assigned_at'])
      .where('person_id', 'in', chunk)
      .where('ended_at', 'is', null)
      .execute(),
  );
  return new Map(rows.map((r) => [r.person_id, r]));
}

/** The rows of a page of the register's due persons, with their requests and assignments (each due by their own county's schedule). */
async function dueRows(ctx: AppContext, db: Executor, persons: DuePerson[], on: CivilDate): Promise<DueRow[]> {
  const ids = persons.map((p) => p.id);
  const [requests, assignments] = await Promise.all([openRequests(db, ids), openAssignments(db, ids)]);
  const names = await displayNames(
    db,
    [...assignments.values()].map((a) => a.assessor_id),
  );
  return persons.map((p) => {
    const req = requests.get(p.id);
    const sched = scheduledDue({ birthDate: p.birth_date, due: p.capability_due }, scheduleOf(ctx, p.region_code), on);
    const reqDate = req ? today(new Date(req.requested_at)) : null;
    const dueDate = reqDate && (!sched || reqDate < sched) ? reqDate : (sched ?? on);
    const daysOverdue = daysBetween(dueDate, on);
    const state: DueState = req ? 'requested' : dueDate < on ? 'overdue' : 'due_soon';
    const a = assignments.get(p.id);
    return {
      personId: p.id,
      name: p.name,
      idMasked: p.id_masked,
      age: ageOn(p.birth_date, on),
      regionCode: p.region_code,
      regionName: ctx.regions.get(p.region_code)?.name ?? p.region_code,
      last:
        p.capability_level && p.capability_on ? { referenceDate: p.capability_on, level: p.capability_level as NonNullable<DueRow['last']>['level'] } : null,
      dueDate,
      daysOverdue,
      state,
      assignment: a ? { id: a.id, assessor: { id: a.assessor_id, name: names.get(a.assessor_id) ?? String(a.assessor_id) }, assignedAt: a.assigned_at } : null,
      openRequest: req
        ? { id: req.id, reason: req.reason as NonNullable<DueRow['openRequest']>['reason'], note: req.note, requestedAt: req.requested_at }
        : null,
    };
  });
}

/** GET /api/assessments/due: one page of the due list with its total, audited with the persons shown. */
export async function dueList(ctx: AppContext, scope: Scope, q: DueQuery & { maxRows?: number }): Promise<DueReply> {
  requireAction(scope, 'assessments.read');
  const within = regionScope(ctx, scope, q.regionCode);
  await ensureScheduleDates(ctx);
  // the schedule where the list is (the region asked for, else the viewer's): a county's, or a city's
  const s = scheduleOf(ctx, within.regionCode);
  const on = today();
  const spec = dueSpec(s, on, q.state, { assessorId: q.assessorId, unassigned: q.unassigned === 'true' });
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const total = await dueCount(trx, within, spec);
      const persons = total ? await duePage(trx, within, spec, q.pageSize, (q.page - 1) * q.pageSize) : [];
      return { items: await dueRows(ctx, trx, persons, on), total, page: q.page, pageSize: q.pageSize, on };
    },
    (r) => ({
      action: 'assessment.due_read',
      entityType: 'person',
      fields: ['name', 'idNumber', 'birthDate', 'capabilityLevel'],
      detail: {
        regionCode: q.regionCode ?? null,
        state: q.state,
        assessorId: q.assessorId ?? null,
        unassigned: q.unassigned ?? null,
        page: q.page,
        total: r.total,
      },
      persons: r.items.map((i) => i.personId),
    }),
  );
}

const STATE_ZH: Record<DueState, string> = { overdue: '已逾期', due_soon: '即将到期', requested: '已申请' };
const REASON_ZH: Record<string, string> = { change: '状况变化', request: '本人或家属申请', admission: '入住机构前' };

/** GET /api/assessments/due/export: the list for the page's filters as XLSX (masked IDs), up to the export cap, audited. */
export async function exportDue(ctx: AppContext, scope: Scope, q: DueExportQuery & { maxRows?: number }): Promise<{ fileName: string; body: Buffer }> {
  requireAction(scope, 'assessments.read');
  const within = regionScope(ctx, scope, q.regionCode);
  await ensureScheduleDates(ctx);
  const s = scheduleOf(ctx, within.regionCode);
  const on = today();
  const max = q.maxRows ?? EXPORT_MAX_ROWS;
  const spec = dueSpec(s, on, q.state, { assessorId: q.assessorId, unassigned: q.unassigned === 'true' });
  const rows = await ctx.db.transaction().execute(async (trx) => {
    const total = await dueCount(trx, within, spec);
    if (total > max) throw new AppError('EXPORT_TOO_LARGE', { count: total, max });
    const items = await dueRows(ctx, trx, total ? await duePage(trx, within, spec, total, 0) : [], on);
    await recordAudit(trx, scope, {
      action: 'assessment.export',
      entityType: 'person',
      fields: ['name', 'idNumber', 'birthDate', 'capabilityLevel'],
      detail: {
        list: 'due',
        filter: { regionCode: q.regionCode ?? null, state: q.state, assessorId: q.assessorId ?? null, unassigned: q.unassigned ?? null },
        full: false,
        count: items.length,
        persons: items.map((i) => i.personId),
      },
    });
    return items;
  });
  const region = within.regionCode ? ctx.regions.get(within.regionCode) : ctx.regions.top();
  const at = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(new Date());
  const filter = [
    q.state === 'all' ? '全部待评估' : STATE_ZH[q.state],
    ...(q.assessorId ? [`评估员 ${q.assessorId}`] : []),
    ...(q.unassigned === 'true' ? ['未分派'] : []),
  ];
  const body = await xlsxSheet({
    title: `${region?.name ?? ''}能力评估待评估名单（${on}）`,
    sheetName: '待评估',
    note: `导出：${scope.username} ${at}  条件：${filter.join('；')}  共 ${rows.length} 条  身份证号已脱敏`,
    columns: [
      { header: '序号', width: 7, value: (_r: DueRow, i) => i + 1 },
      { header: '姓名', width: 12, value: (r) => r.name },
      { header: '身份证号', width: 21, value: (r) => r.idMasked },
      { header: '年龄', width: 7, value: (r) => r.age },
      { header: '镇街', width: 12, value: (r) => ctx.regions.town(r.regionCode)?.name ?? '' },
      { header: '村社区', width: 14, value: (r) => r.regionName },
      { header: '上次评估日期', width: 13, value: (r) => r.last?.referenceDate ?? '' },
      { header: '上次等级', width: 10, value: (r) => r.last?.level ?? '' },
      { header: '应评估日期', width: 13, value: (r) => r.dueDate },
      { header: '逾期天数', width: 10, value: (r) => (r.daysOverdue > 0 ? r.daysOverdue : 0) },
      { header: '状态', width: 10, value: (r) => STATE_ZH[r.state] },
      { header: '申请原因', width: 14, value: (r) => (r.openRequest ? (REASON_ZH[r.openRequest.reason] ?? r.openRequest.reason) : '') },
      { header: '评估员', width: 12, value: (r) => r.assignment?.assessor.name ?? '' },
    ],
    rows,
  });
  return { fileName: `能力评估待评估名单-${on.replaceAll('-', '')}.xlsx`, body };
}

/** Counts of the due list for the workbench: overdue, due soon, requested (in the scope's region). */
export async function dueCounts(ctx: AppContext, db: Executor, scope: Scope): Promise<{ overdue: number; dueSoon: number; requested: number }> {
  await ensureScheduleDates(ctx);
  const s = scheduleOf(ctx, scope.regionCode);
  const on = today();
  const [overdue, dueSoon, requested] = await Promise.all([
    dueCount(db, scope, dueSpec(s, on, 'overdue')),
    dueCount(db, scope, dueSpec(s, on, 'due_soon')),
    dueCount(db, scope, dueSpec(s, on, 'requested')),
  ]);
  return { overdue, dueSoon, requested };
}

/* ---- keeping the persons' due dates consistent with the schedule setting ---- */

/**
 * The marker of the re-dating under the schedules now in force: named after each county whose
 * schedule was set (its own or the city's it inherits) and when (one county:
 * `assessment_schedule_dates:<county>:<set at>`). Null: no county's schedule was ever set.
 */
export function scheduleDatesMarker(ctx: AppContext): { key: string; set: { code: string; setAt: string | null }[] } | null {
  const set = ctx.regions
    .counties()
    .map((j) => ({ code: j.code, entry: ctx.settings.list(ctx, j.code).find((d) => d.name === assessmentScheduleSetting.name) }))
    .filter((c) => c.entry && !c.entry.isInitial)
    .map((c) => ({ code: c.code, setAt: c.entry!.setAt }));
  if (!set.length) return null;
  return { key: `assessment_schedule_dates:${set.map((c) => `${c.code}:${c.setAt}`).join(',')}`, set };
}

const settled = new WeakMap<AppContext, string>();
const running = new WeakMap<AppContext, Promise<number>>();

/**
 * The persons' capability_due / capability_until are written at review under the schedule then in
 * force. When the setting changes, every level on record is re-dated under the new one: the first
 * read of the due list, its export, the coverage or the workbench after a change recomputes them
 * in batches (register/capability.queries.ts recomputeCapabilityDates) and leaves a marker named
 * after the setting's time, so it runs once per change (a few seconds per 100,000 levels on record).
 * The assessment records keep the dates they were reviewed with (what the printed report says).
 * Never set (the defaults): nothing to do. Returns how many persons were re-dated.
 *
 * Each county's persons are dated under their county's schedule (its own, or the city's it
 * inherits); the marker names every county whose schedule was set, with when. The register's
 * recompute reads every person: when the counties' schedules differ it must say whose region a
 * level is in (the third argument of `dates`), otherwise the re-dating is refused rather than
 * dating a county's persons under another county's schedule.
 */
export async function ensureScheduleDates(ctx: AppContext): Promise<number> {
  const marker = scheduleDatesMarker(ctx);
  if (!marker) return 0;
  const { key, set } = marker;
  const counties = ctx.regions.counties();
  if (settled.get(ctx) === key) return 0;
  const busy = running.get(ctx);
  if (busy) return busy;
  const work = (async () => {
    if (await readMarker(ctx.db, key)) return 0;
    // each person by their own county's schedule (cached per region code)
    const byRegion = new Map<string, AssessmentSchedule>();
    const scheduleAt = (regionCode: string): AssessmentSchedule => {
      let r = byRegion.get(regionCode);
      if (!r) {
        r = scheduleOf(ctx, regionCode);
        byRegion.set(regionCode, r);
      }
      return r;
    };
    const changed = await recomputeCapabilityDates(ctx.db, (birth, on, regionCode) => {
      const s = scheduleAt(regionCode);
      const due = nextDue(birth, on, s);
      return { due, until: validUntil(due, s) };
    });
    await ctx.db.transaction().execute(async (trx) => {
      if (await readMarker(trx, key)) return;
      await writeMarker(trx, key, JSON.stringify({ changed, at: nowIso() }));
      await recordAudit(trx, everywhere('system:assessment-schedule'), {
        action: 'assessment.schedule_recompute',
        // one county: its setting's time, as before; several: each county's whose schedule was set
        detail: {
          settingSetAt: counties.length === 1 ? set[0]!.setAt : Object.fromEntries(set.map((c) => [c.code, c.setAt])),
          changed,
        },
      });
    });
    return changed;
  })();
  running.set(ctx, work);
  try {
    const n = await work;
    settled.set(ctx, key);
    return n;
  } finally {
    running.delete(ctx);
  }
}
