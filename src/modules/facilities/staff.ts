import type { Executor } from '../../db/database.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { facilityInScope } from './directory.js';
import type { StaffBody, StaffView } from './facilities.schema.js';
import type { FacilityStaffRow } from './facilities.tables.js';

/**
 * The staff roster of a facility: names (staff are not elders; no phone numbers are kept), roles,
 * certificates with expiry, full or part time with the FTE share, start and end dates. A member
 * whose end date has passed stays on the roster (history) but no longer counts in the checks.
 */

function checkStaff(body: StaffBody): void {
  const fte = body.fte;
  const ok = body.employment === 'full_time' ? fte === 1 : Number.isFinite(fte) && fte > 0 && fte < 1;
  if (!ok) throw new AppError('FACILITY_STAFF_FTE', { fte: String(fte) });
  if (body.endedOn !== null && body.endedOn < body.startedOn) throw new AppError('FACILITY_STAFF_DATES', { start: body.startedOn, end: body.endedOn });
}

/** Working on a date: started on or before it, not yet ended (the end date is the last day worked). */
export const workingOn = (s: Pick<FacilityStaffRow, 'started_on' | 'ended_on'>, on: string) => s.started_on <= on && (s.ended_on === null || s.ended_on >= on);

export function staffView(s: FacilityStaffRow, on: string = today()): StaffView {
  const certs = JSON.parse(s.certificates) as StaffBody['certificates'];
  return {
    id: s.id,
    facilityId: s.facility_id,
    name: s.name,
    role: s.role as StaffView['role'],
    employment: s.employment as StaffView['employment'],
    fte: s.fte_pct / 100,
    certificates: certs.map((c) => ({ ...c, expired: c.expiresOn !== null && c.expiresOn < on })),
    startedOn: s.started_on,
    endedOn: s.ended_on,
    current: workingOn(s, on),
  };
}

async function ownFacility(db: Executor, scope: Scope, facilityId: number) {
  const f = await facilityInScope(db, scope, facilityId);
  if (!f) throw new AppError('FACILITY_NOT_FOUND', { id: String(facilityId) });
  return f;
}

export async function staffOf(ctx: AppContext, scope: Scope, facilityId: number): Promise<StaffView[]> {
  requireAction(scope, 'facilities.read');
  await ownFacility(ctx.db, scope, facilityId);
  const rows = await ctx.db
    .selectFrom('facility_staff')
    .selectAll()
    .where('facility_id', '=', facilityId)
    .orderBy('role')
    .orderBy('name')
    .orderBy('id')
    .execute();
  const on = today();
  return rows.map((r) => staffView(r, on)).sort((a, b) => Number(b.current) - Number(a.current));
}

const columns = (b: StaffBody) => ({
  name: b.name,
  role: b.role,
  employment: b.employment,
  fte_pct: Math.round(b.fte * 100),
  certificates: JSON.stringify(b.certificates),
  started_on: b.startedOn,
  ended_on: b.endedOn,
});

export async function addStaff(ctx: AppContext, scope: Scope, facilityId: number, body: StaffBody): Promise<StaffView> {
  requireAction(scope, 'facilities.operate');
  checkStaff(body);
  return ctx.db.transaction().execute(async (trx) => {
    const f = await ownFacility(trx, scope, facilityId);
    const at = nowIso();
    const row = await trx
      .insertInto('facility_staff')
      .values({ facility_id: facilityId, ...columns(body), created_at: at, updated_at: at })
      .returningAll()
      .executeTakeFirstOrThrow();
    // the name is a staff member's, not an elder's: kept in the entry like a user's name
    await recordAudit(trx, scope, {
      action: 'facilities.staff_add',
      entityType: 'facility_staff',
      entityId: row.id,
      regionCode: f.region_code,
      detail: { facility: facilityId, role: body.role, fte: body.fte },
    });
    return staffView(row);
  });
}

/** Changes a member of the facility's roster (an end date ends their employment); a member of another facility is "not found". */
export async function updateStaff(ctx: AppContext, scope: Scope, facilityId: number, staffId: number, body: StaffBody): Promise<StaffView> {
  requireAction(scope, 'facilities.operate');
  checkStaff(body);
  return ctx.db.transaction().execute(async (trx) => {
    const f = await ownFacility(trx, scope, facilityId);
    const before = await trx.selectFrom('facility_staff').selectAll().where('id', '=', staffId).where('facility_id', '=', facilityId).executeTakeFirst();
    if (!before) throw new AppError('FACILITY_STAFF_NOT_FOUND', { id: String(staffId) });
    const row = await trx
      .updateTable('facility_staff')
      .set({ ...columns(body), updated_at: nowIso() })
      .where('id', '=', staffId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const changed = Object.entries(columns(body))
      .filter(([k, v]) => (before as unknown as Record<string, unknown>)[k] !== v)
      .map(([k]) => k);
    await recordAudit(trx, scope, {
      action: 'facilities.staff_update',
      entityType: 'facility_staff',
      entityId: staffId,
      regionCode: f.region_code,
      fields: changed,
      detail: { facility: facilityId, role: body.role, fte: body.fte, endedOn: body.endedOn },
    });
    return staffView(row);
  });
}
