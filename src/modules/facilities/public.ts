import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../db/database.js';
import { BED_TYPES, heldBeds, listFacilities, type BedType, type FacilitySummary } from './directory.js';
import type { PublicFacility, PublicQuery, PublicReply } from './facilities.schema.js';
import { gradeText } from './facilities.service.js';

type ByType = PublicFacility['byType'];

/**
 * Beds in service and free beds by type, of each facility. A free bed: in service, nobody in it,
 * and not held for someone (a bed offered to the first of an admission queue is not free to the
 * public: a family reading "1 free" would find it promised to another).
 */
async function bedsByType(db: Executor, ids: readonly number[]): Promise<Map<number, ByType>> {
  const out = new Map<number, ByType>();
  const held = await heldFreeBeds(db, ids);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db
      .selectFrom('facility_beds')
      .leftJoin('facility_stays', (j) => j.onRef('facility_stays.bed_id', '=', 'facility_beds.id').on('facility_stays.until_date', 'is', null))
      .select(['facility_beds.facility_id as facilityId', 'facility_beds.type as type'])
      .select((eb) => [eb.fn.count<number>('facility_beds.id').as('beds'), eb.fn.count<number>('facility_stays.id').as('taken')])
      .where('facility_beds.facility_id', 'in', chunk)
      .where('facility_beds.retired_on', 'is', null)
      .groupBy(['facility_beds.facility_id', 'facility_beds.type'])
      .execute();
    for (const r of rows) {
      const list = out.get(r.facilityId) ?? [];
      const free = Number(r.beds) - Number(r.taken) - (held.get(`${r.facilityId}:${r.type}`) ?? 0);
      list.push({ type: r.type as BedType, beds: Number(r.beds), free: Math.max(0, free) });
      out.set(r.facilityId, list);
    }
  }
  for (const list of out.values()) list.sort((a, b) => BED_TYPES.indexOf(a.type) - BED_TYPES.indexOf(b.type));
  return out;
}

/** Held beds that are in service and empty, counted per `facility:type`. */
async function heldFreeBeds(db: Executor, ids: readonly number[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const held = [...(await heldBeds(db, ids))];
  for (let i = 0; i < held.length; i += 500) {
    const rows = await db
      .selectFrom('facility_beds')
      .leftJoin('facility_stays', (j) => j.onRef('facility_stays.bed_id', '=', 'facility_beds.id').on('facility_stays.until_date', 'is', null))
      .select(['facility_beds.facility_id as facilityId', 'facility_beds.type as type'])
      .where('facility_beds.id', 'in', held.slice(i, i + 500))
      .where('facility_beds.retired_on', 'is', null)
      .where('facility_stays.id', 'is', null)
      .execute();
    for (const r of rows) out.set(`${r.facilityId}:${r.type}`, (out.get(`${r.facilityId}:${r.type}`) ?? 0) + 1);
  }
  return out;
}

/** The public facts of these facilities: kind, grade, town, address, beds and free beds (by type), point. */
async function publicFacts(ctx: AppContext, list: FacilitySummary[]): Promise<PublicFacility[]> {
  const ids = list.map((f) => f.id);
  const rows = new Map(
    (
      await ctx.db
        .selectFrom('facilities')
        .select(['id', 'address', 'lat', 'lng'])
        .where('id', 'in', ids.length ? ids : [0])
        .execute()
    ).map((r) => [r.id, r]),
  );
  const byType = await bedsByType(ctx.db, ids);
  return list.map((f) => {
    const r = rows.get(f.id)!;
    const t = ctx.regions.town(f.regionCode);
    return {
      id: f.id,
      name: f.name,
      kind: f.kind,
      ownership: f.ownership,
      grade: f.grade,
      gradeText: gradeText(f.grade),
      townCode: t?.code ?? null,
      townName: t?.name ?? '',
      address: r.address,
      beds: f.beds,
      freeBeds: (byType.get(f.id) ?? []).reduce((n, b) => n + b.free, 0),
      byType: byType.get(f.id) ?? [],
      lat: r.lat === null ? null : Number(r.lat),
      lng: r.lng === null ? null : Number(r.lng),
    };
  });
}

/**
 * The public facility map (000 §8: the facility map published; R12): every active facility of the
 * jurisdiction with its kind, grade, address, beds and free beds by type, and its WGS-84 point —
 * public information about places, never about the people in them. Filters: kind, town, grade, and
 * "has a free bed of this type" (a daughter looking for a nursing bed).
 */
export async function publicFacilities(ctx: AppContext, q: PublicQuery): Promise<PublicReply> {
  // the public map is the platform's: every county's facilities (no viewer to narrow it)
  const jurisdiction = ctx.regions.top();
  const towns = ctx.regions
    .all()
    .filter((r) => r.level === 'town')
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((r) => ({ code: r.code, name: r.name }));
  const town = q.town ? ctx.regions.get(q.town) : undefined;
  if (q.town && (!town || town.level !== 'town')) return { items: [], towns };
  let list = await listFacilities(ctx.db, {
    regionPrefix: town?.prefix ?? jurisdiction?.prefix ?? '',
    kinds: q.kind ? [q.kind] : undefined,
    activeOnly: true,
  });
  if (q.grade) list = list.filter((f) => f.grade === q.grade);
  let items = await publicFacts(ctx, list);
  if (q.freeBed) items = items.filter((f) => f.byType.some((b) => b.type === q.freeBed && b.free > 0));
  return { towns, items };
}

/** One active facility of the jurisdiction as the public sees it, or null (unknown, closed, elsewhere). */
export async function publicFacility(ctx: AppContext, id: number): Promise<PublicFacility | null> {
  const prefix = ctx.regions.top()?.prefix ?? '';
  const [f] = await listFacilities(ctx.db, { ids: [id], activeOnly: true, regionPrefix: prefix });
  if (!f) return null;
  return (await publicFacts(ctx, [f]))[0]!;
}
