import gcoordModule from 'gcoord';
import type { Executor } from '../../db/database.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { inRegion, regionInScope, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { providerSummaries } from '../services/providers.js';
import { facilityInScope, listFacilities, type FacilityKind } from './directory.js';
import type { FacilityBody, FacilityView } from './facilities.schema.js';
import type { FacilityRow } from './facilities.tables.js';

/**
 * Facilities of every kind: create and change (bureau and town officers, in their area), list and
 * read (officers, inspectors, an institution's own staff). Locations are WGS-84; GCJ-02 is derived
 * for a Chinese base map.
 */

/**
 * gcoord's types declare an ES default export but the package is CommonJS: under Node the default
 * import is module.exports itself (transform, WGS84, GCJ02), as the types' `default` says.
 */
const gcoord = ((gcoordModule as unknown as { default?: unknown }).default ?? gcoordModule) as typeof gcoordModule.default;

const INSTITUTION_GRADES = ['1', '2', '3', '4', '5'] as const;
const HOME_CARE_GRADES = ['basic', '1A', '2A', '3A', '4A', '5A'] as const;
const CN_NUM = ['一', '二', '三', '四', '五'];

/**
 * The grades a kind may hold. Institutions: 养老机构等级 一级…五级 (000 §17, 004 §15). The home-care
 * organisations — regional centres, day-care centres, community stations, family-care-bed
 * providers — are graded 基础级 and 1A…5A (002 §10). Canteens are not graded by any seed.
 */
export function gradesFor(kind: FacilityKind): readonly string[] {
  if (kind === 'institution') return INSTITUTION_GRADES;
  if (kind === 'canteen') return [];
  return HOME_CARE_GRADES;
}

export function gradeText(grade: string | null): { zh: string; en: string } | null {
  if (grade === null) return null;
  if (/^[1-5]$/.test(grade)) return { zh: `${CN_NUM[Number(grade) - 1]}级`, en: `Grade ${grade}` };
  if (grade === 'basic') return { zh: '基础级', en: 'Basic' };
  return { zh: `${grade}级`, en: grade };
}

const KIND_WORDS: Record<FacilityKind, { zh: string; en: string }> = {
  institution: { zh: '养老机构', en: 'institution' },
  regional_centre: { zh: '区域性养老服务中心', en: 'regional centre' },
  day_care: { zh: '日间照料中心', en: 'day-care centre' },
  community_station: { zh: '社区居家养老服务站', en: 'community station' },
  canteen: { zh: '老年助餐点', en: 'canteen' },
  care_bed_provider: { zh: '家庭养老床位服务机构', en: 'family-care-bed provider' },
};

/** China's bounding box (73–135 E, 18–54 N): a point outside is refused, most often latitude and longitude swapped. */
export const CHINA_BOX = { minLng: 73, maxLng: 135, minLat: 18, maxLat: 54 };

/** Refuses impossible coordinates, then coordinates outside China (a refusal, not a warning: the platform serves Chinese counties). */
export function checkLocation(lat: number | null, lng: number | null): void {
  if ((lat === null) !== (lng === null)) throw new AppError('FACILITY_COORDINATES', { field: lat === null ? 'lat' : 'lng', value: 'null', min: '-', max: '-' });
  if (lat === null || lng === null) return;
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new AppError('FACILITY_COORDINATES', { field: 'lat', value: String(lat), min: '-90', max: '90' });
  if (!Number.isFinite(lng) || lng < -180 || lng > 180)
    throw new AppError('FACILITY_COORDINATES', { field: 'lng', value: String(lng), min: '-180', max: '180' });
  if (lng < CHINA_BOX.minLng || lng > CHINA_BOX.maxLng || lat < CHINA_BOX.minLat || lat > CHINA_BOX.maxLat)
    throw new AppError('FACILITY_OUTSIDE_CHINA', { lat: String(lat), lng: String(lng) });
}

export function checkGrade(kind: FacilityKind, grade: string | null): void {
  if (grade === null) return;
  const allowed = gradesFor(kind);
  if (!allowed.includes(grade))
    throw new AppError('FACILITY_GRADE', {
      grade,
      kind: KIND_WORDS[kind],
      allowed: allowed.length
        ? { zh: allowed.map((g) => `${g}（${gradeText(g)!.zh}）`).join('、'), en: allowed.map((g) => `${g} (${gradeText(g)!.en})`).join(', ') }
        : { zh: '无（不评定等级）', en: 'none (not graded)' },
    });
}

/** WGS-84 → GCJ-02 (the offset Chinese base maps use), by the gcoord library. */
export function toGcj(lat: number | null, lng: number | null): { lat: number; lng: number } | null {
  if (lat === null || lng === null) return null;
  const [gLng, gLat] = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return { lat: Math.round(gLat * 1e6) / 1e6, lng: Math.round(gLng * 1e6) / 1e6 };
}

function checkRegion(ctx: AppContext, scope: Scope, code: string): void {
  const r = ctx.regions.get(code);
  if (!r || (r.level !== 'town' && r.level !== 'village') || !regionInScope(scope, code)) throw new AppError('FACILITY_REGION', { region: code });
}

async function checkProvider(db: Executor, id: number | null): Promise<void> {
  if (id === null) return;
  if (!(await providerSummaries(db, { ids: [id] })).length) throw new AppError('FACILITY_PROVIDER_NOT_FOUND', { id: String(id) });
}

function validate(ctx: AppContext, scope: Scope, body: FacilityBody): void {
  checkRegion(ctx, scope, body.regionCode);
  checkLocation(body.lat, body.lng);
  checkGrade(body.kind, body.grade);
}

const columns = (body: FacilityBody) => ({
  name: body.name,
  kind: body.kind,
  ownership: body.ownership,
  region_code: body.regionCode,
  address: body.address,
  lat: body.lat,
  lng: body.lng,
  grade: body.grade,
  government_work: body.governmentWork ? 1 : 0,
  provider_id: body.providerId,
  hardship_home: body.hardshipHome ? 1 : 0,
  active: body.active ? 1 : 0,
});

export async function createFacility(ctx: AppContext, scope: Scope, body: FacilityBody): Promise<FacilityView> {
  requireAction(scope, 'facilities.manage');
  validate(ctx, scope, body);
  const id = await ctx.db.transaction().execute(async (trx) => {
    await checkProvider(trx, body.providerId);
    const at = nowIso();
    const row = await trx
      .insertInto('facilities')
      .values({ ...columns(body), created_at: at, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, { action: 'facilities.create', entityType: 'facility', entityId: row.id, regionCode: body.regionCode, detail: { ...body } });
    return row.id;
  });
  return getFacilityView(ctx, scope, id);
}

export async function updateFacility(ctx: AppContext, scope: Scope, id: number, body: FacilityBody): Promise<FacilityView> {
  requireAction(scope, 'facilities.manage');
  await ctx.db.transaction().execute(async (trx) => {
    const before = await facilityInScope(trx, scope, id);
    if (!before) throw new AppError('FACILITY_NOT_FOUND', { id: String(id) });
    validate(ctx, scope, body);
    await checkProvider(trx, body.providerId);
    await trx
      .updateTable('facilities')
      .set({ ...columns(body), updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    const changed = Object.entries(columns(body))
      .filter(([k, v]) => (before as unknown as Record<string, unknown>)[k] !== v)
      .map(([k]) => k);
    await recordAudit(trx, scope, {
      action: 'facilities.update',
      entityType: 'facility',
      entityId: id,
      regionCode: body.regionCode,
      fields: changed,
      detail: { ...body },
    });
  });
  return getFacilityView(ctx, scope, id);
}

export function viewOf(ctx: AppContext, r: FacilityRow, counts: { beds: number; nursingBeds: number; occupied: number }, failing: string[] = []): FacilityView {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as FacilityKind,
    ownership: r.ownership as FacilityView['ownership'],
    regionCode: r.region_code,
    regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
    townCode: ctx.regions.town(r.region_code)?.code ?? null,
    address: r.address,
    lat: r.lat === null ? null : Number(r.lat),
    lng: r.lng === null ? null : Number(r.lng),
    gcj: toGcj(r.lat === null ? null : Number(r.lat), r.lng === null ? null : Number(r.lng)),
    grade: r.grade,
    gradeText: gradeText(r.grade),
    governmentWork: r.government_work === 1,
    providerId: r.provider_id,
    hardshipHome: r.hardship_home === 1,
    active: r.active === 1,
    beds: counts.beds,
    nursingBeds: counts.nursingBeds,
    occupied: counts.occupied,
    failing,
  };
}

/** The facility a viewer may read, as the console shows it; "not found" outside the scope. */
export async function getFacilityView(ctx: AppContext, scope: Scope, id: number, failing: string[] = []): Promise<FacilityView> {
  requireAction(scope, 'facilities.read');
  const row = await facilityInScope(ctx.db, scope, id);
  if (!row) throw new AppError('FACILITY_NOT_FOUND', { id: String(id) });
  const [s] = await listFacilities(ctx.db, { ids: [id] });
  return viewOf(ctx, row, s!, failing);
}

/** The facilities a viewer may read (an institution's staff: their own), by kind, region, name. */
export async function facilityRows(ctx: AppContext, scope: Scope, f: { kind?: FacilityKind; region?: string; q?: string }): Promise<FacilityView[]> {
  requireAction(scope, 'facilities.read');
  let q = ctx.db.selectFrom('facilities').selectAll().where(inRegion(scope, 'facilities.region_code'));
  if (scope.role === 'institution_staff') q = q.where('id', '=', scope.organisationId ?? 0);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.region) {
    const r = ctx.regions.get(f.region);
    if (!r || !regionInScope(scope, r.code)) return [];
    q = q.where(inRegion({ ...scope, regionPrefix: r.prefix }, 'facilities.region_code'));
  }
  if (f.q) q = q.where('name', 'like', `%${f.q.replace(/[%_]/g, '')}%`);
  const rows = await q.orderBy('region_code').orderBy('name').orderBy('id').execute();
  const sums = new Map(
    (
      await listFacilities(ctx.db, {
        ids: rows.map((r) => r.id),
      })
    ).map((s) => [s.id, s]),
  );
  return rows.map((r) => viewOf(ctx, r, sums.get(r.id) ?? { beds: 0, nursingBeds: 0, occupied: 0 }));
}
