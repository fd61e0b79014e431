import type { AppContext } from '../../platform/context.js';
import { listFacilities, type FacilityKind } from './directory.js';
import type { PublicReply } from './facilities.schema.js';
import { gradeText } from './facilities.service.js';

/**
 * The public facility map (000 §8: the facility map published; R12): every active facility of the
 * jurisdiction with its kind, grade, address, beds and free beds, and its WGS-84 point — public
 * information about places, never about the people in them.
 */
export async function publicFacilities(ctx: AppContext, q: { kind?: FacilityKind; town?: string }): Promise<PublicReply> {
  const jurisdiction = ctx.regions.jurisdiction();
  const towns = ctx.regions
    .all()
    .filter((r) => r.level === 'town')
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((r) => ({ code: r.code, name: r.name }));
  const town = q.town ? ctx.regions.get(q.town) : undefined;
  if (q.town && (!town || town.level !== 'town')) return { items: [], towns };
  const list = await listFacilities(ctx.db, {
    regionPrefix: town?.prefix ?? jurisdiction?.prefix ?? '',
    kinds: q.kind ? [q.kind] : undefined,
    activeOnly: true,
  });
  const rows = new Map(
    (
      await ctx.db
        .selectFrom('facilities')
        .select(['id', 'address', 'lat', 'lng'])
        .where('id', 'in', list.length ? list.map((f) => f.id) : [0])
        .execute()
    ).map((r) => [r.id, r]),
  );
  return {
    towns,
    items: list.map((f) => {
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
        freeBeds: Math.max(0, f.beds - f.occupied),
        lat: r.lat === null ? null : Number(r.lat),
        lng: r.lng === null ? null : Number(r.lng),
      };
    }),
  };
}
