import type { Executor } from '../../db/database.js';
import { prefixUpperBound } from '../../db/dialect.js';

/**
 * The providers nearest a person, for the hotline's summary (issue 18): whom to send. The person's
 * own providers first (an active enrolment, service_clients), then the active providers registered
 * in the person's village, then the town, then the county, by the region code's levels (GB/T 2260:
 * county 6 digits, town 9, village 12 — every region below starts with its ancestor's significant
 * part); by name within a level. A public function of the services module: the hotline reads services' tables only here.
 */

export type ProviderReach = 'serving' | 'village' | 'town' | 'county';

export interface NearestProvider {
  id: number;
  name: string;
  kind: string;
  regionCode: string;
  reach: ProviderReach;
}

/**
 * The significant prefixes of a region code's village, town and county, nearest first: a padded
 * code (330503101000) loses its trailing zero groups first, so an unpadded one (990101101) reads
 * the same way. Levels the code does not reach are left out.
 */
export function regionLevels(regionCode: string): Array<{ reach: Exclude<ProviderReach, 'serving'>; prefix: string }> {
  let sig = regionCode.trim();
  while (sig.length > 6 && sig.length % 3 === 0 && sig.endsWith('000')) sig = sig.slice(0, -3);
  const out: Array<{ reach: Exclude<ProviderReach, 'serving'>; prefix: string }> = [];
  if (sig.length >= 12) out.push({ reach: 'village', prefix: sig.slice(0, 12) });
  if (sig.length >= 9) out.push({ reach: 'town', prefix: sig.slice(0, 9) });
  if (sig.length >= 6) out.push({ reach: 'county', prefix: sig.slice(0, 6) });
  return out;
}

export async function nearestProviders(db: Executor, personId: number, regionCode: string, limit: number): Promise<NearestProvider[]> {
  const serving = await db
    .selectFrom('service_clients')
    .innerJoin('service_providers', 'service_providers.id', 'service_clients.provider_id')
    .select(['service_providers.id', 'service_providers.name', 'service_providers.kind', 'service_providers.region_code'])
    .where('service_clients.person_id', '=', personId)
    .where('service_clients.ended_at', 'is', null)
    .where('service_providers.active', '=', 1)
    .orderBy('service_clients.enrolled_at', 'desc')
    .orderBy('service_providers.id')
    .execute();
  const out: NearestProvider[] = [];
  const seen = new Set<number>();
  for (const p of serving) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    out.push({ id: p.id, name: p.name, kind: p.kind, regionCode: p.region_code, reach: 'serving' });
  }
  const levels = regionLevels(regionCode);
  const county = levels.at(-1);
  if (county && out.length < limit) {
    const nearby = await db
      .selectFrom('service_providers')
      .select(['id', 'name', 'kind', 'region_code'])
      .where('active', '=', 1)
      .where('region_code', '>=', county.prefix)
      .where('region_code', '<', prefixUpperBound(county.prefix))
      .orderBy('id')
      .execute();
    const rank = (code: string) => levels.findIndex((l) => code.startsWith(l.prefix));
    const ranked = nearby
      .filter((p) => !seen.has(p.id))
      .map((p) => ({ p, r: rank(p.region_code) }))
      .sort((a, b) => a.r - b.r || a.p.name.localeCompare(b.p.name, 'zh-CN') || a.p.id - b.p.id);
    for (const { p, r } of ranked) out.push({ id: p.id, name: p.name, kind: p.kind, regionCode: p.region_code, reach: levels[r]!.reach });
  }
  return out.slice(0, limit);
}
