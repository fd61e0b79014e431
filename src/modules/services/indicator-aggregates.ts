import type { Executor } from '../../db/database.js';
import type { RegionRow } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { today } from '../../platform/time.js';
import type { AggregateSource, Cell, Member, Span } from '../indicators/contract.js';
import type { AdaptationItem } from './beds-meals.schema.js';

/**
 * The services' aggregate sources for the indicators (issue 20, R11), over this module's own
 * tables, with the module's own definitions (beds.ts, meals.ts, providers.ts):
 * - services.familyCareBeds — family care beds open at asOf (000 §5: at least 580), cells at the bed's region;
 * - services.mealAidCommunities / services.mealAidVillages — communities (kind 'community', 居委会/社区, the
 *   urban side of meal coverage) and villages (kind 'village', 村, rural) covered / all of them (000 §15: 80 % / 50 %);
 * - services.homeModifications — households with a home adaptation (适老化改造) done since planFrom (001 row 2).
 * And, for facilities' caregiver sources (facilities sits to the right of services and adds its
 * rosters to these), the providers' caregivers: certified at asOf, newly certified, newly recorded.
 *
 * Members are regions or providers with their own figures: never a person (a family care bed is
 * someone's home).
 */

const parseList = <T>(json: string): T[] => {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
};

const inPrefixes = (code: string, prefixes: readonly string[]) => prefixes.some((p) => code.startsWith(p));

/** The Beijing civil date of a stored UTC instant. */
const dateOf = (iso: string) => today(new Date(iso));

/** Counts per region as cells (den 0) and as region members. */
function countCells(counts: Map<string, number>): Cell[] {
  return [...counts].map(([region, num]) => ({ region, num, den: 0 }));
}
function regionMembers(ctx: AppContext, counts: Map<string, number>, prefixes: readonly string[], words: (n: number) => { zh: string; en: string }): Member[] {
  return [...counts]
    .filter(([code]) => inPrefixes(code, prefixes))
    .map(([code, n]) => ({ kind: 'region' as const, id: code, name: ctx.regions.get(code)?.name ?? code, region: code, detail: words(n), inNumerator: n > 0 }));
}

/* ---- family care beds ---- */

/**
 * Open at asOf: opened on or before it and not closed on or before it (a bed closed on a day is no
 * longer open that day). Today this is the beds page's `status = 'active'` count.
 */
async function bedsOpen(db: Executor, asOf: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('family_care_beds')
    .select(['region_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('opened_on', '<=', asOf)
    .where((eb) => eb.or([eb('closed_on', 'is', null), eb('closed_on', '>', asOf)]))
    .groupBy('region_code')
    .execute();
  return new Map(rows.map((r) => [r.region_code, Number(r.n)]));
}

const familyCareBeds: AggregateSource = {
  key: 'services.familyCareBeds',
  label: { zh: '家庭养老照护床位（张）', en: 'Family care beds (beds)' },
  async cells(_ctx, db, span) {
    return countCells(await bedsOpen(db, span.asOf));
  },
  async members(ctx, db, span, prefixes) {
    const counts = await bedsOpen(db, span.asOf);
    return regionMembers(ctx, counts, prefixes, (n) => ({ zh: `家庭养老床位 ${n} 张`, en: `${n} family care bed${n === 1 ? '' : 's'}` }));
  },
};

/* ---- home adaptation ---- */

/**
 * Households with a home adaptation (适老化改造) done in [planFrom, asOf], per region. The only
 * record of an adaptation DONE is a family care bed's adaptation list (beds.ts); a household is
 * the bed's person, counted once however many items or beds they had.
 */
async function adaptedHouseholds(db: Executor, span: Span): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('family_care_beds')
    .select(['person_id', 'region_code', 'adaptation', 'opened_on'])
    .where('adaptation', '!=', '[]')
    .orderBy('id')
    .execute();
  const seen = new Set<number>();
  const out = new Map<string, number>();
  for (const r of rows) {
    if (seen.has(r.person_id)) continue;
    const done = parseList<AdaptationItem>(r.adaptation).some((a) => typeof a?.doneOn === 'string' && a.doneOn >= span.planFrom && a.doneOn <= span.asOf);
    if (!done) continue;
    seen.add(r.person_id);
    out.set(r.region_code, (out.get(r.region_code) ?? 0) + 1);
  }
  return out;
}

const homeModifications: AggregateSource = {
  key: 'services.homeModifications',
  label: { zh: '居家适老化改造户数（户）', en: 'Homes adapted for old age (households)' },
  async cells(_ctx, db, span) {
    return countCells(await adaptedHouseholds(db, span));
  },
  async members(ctx, db, span, prefixes) {
    return regionMembers(ctx, await adaptedHouseholds(db, span), prefixes, (n) => ({
      zh: `${span.planFrom} 以来完成适老化改造 ${n} 户`,
      en: `${n} home${n === 1 ? '' : 's'} adapted since ${span.planFrom}`,
    }));
  },
};

/* ---- meal aid coverage ---- */

/** The communities or villages of every county of the platform (meals.ts placeOf): each cell is its own region's. */
function places(ctx: AppContext, kind: 'community' | 'village'): RegionRow[] {
  const counties = ctx.regions.counties().map((c) => c.prefix);
  return ctx.regions.all().filter((r) => r.level === 'village' && r.kind === kind && counties.some((p) => r.code.startsWith(p)));
}

/**
 * Covered (meals.ts mealCoverage): an active meal point serves it — its `serves` list names the
 * place (a point's own community is always in it), wherever the point sits. A point counts from the
 * day it was recorded; `active` has no history, so a point stopped today is out of past months too.
 */
async function servingPoints(db: Executor, asOf: string): Promise<Map<string, string[]>> {
  const rows = await db.selectFrom('meal_points').select(['name', 'serves', 'created_at']).where('active', '=', 1).orderBy('id').execute();
  const out = new Map<string, string[]>();
  for (const p of rows) {
    if (dateOf(p.created_at) > asOf) continue;
    for (const code of new Set(parseList<unknown>(p.serves).filter((c): c is string => typeof c === 'string')))
      out.set(code, [...(out.get(code) ?? []), p.name]);
  }
  return out;
}

function mealAid(kind: 'community' | 'village'): AggregateSource {
  const urban = kind === 'community';
  return {
    key: urban ? 'services.mealAidCommunities' : 'services.mealAidVillages',
    label: urban ? { zh: '城市社区助餐服务覆盖率', en: 'Meal-aid coverage of communities' } : { zh: '农村助餐服务覆盖率', en: 'Meal-aid coverage of villages' },
    async cells(ctx, db, span) {
      const served = await servingPoints(db, span.asOf);
      return places(ctx, kind).map((r) => ({ region: r.code, num: served.has(r.code) ? 1 : 0, den: 1 }));
    },
    async members(ctx, db, span, prefixes) {
      const served = await servingPoints(db, span.asOf);
      return places(ctx, kind)
        .filter((r) => inPrefixes(r.code, prefixes))
        .map((r): Member => {
          const points = served.get(r.code) ?? [];
          return {
            kind: 'region',
            id: r.code,
            name: r.name,
            region: r.code,
            detail: points.length
              ? { zh: `助餐点：${points.join('、')}`, en: `Meal points: ${points.join(', ')}` }
              : { zh: '无助餐点服务', en: 'No meal point serves it' },
            inNumerator: points.length > 0,
          };
        });
    },
  };
}

export const servicesAggregates: AggregateSource[] = [familyCareBeds, mealAid('community'), mealAid('village'), homeModifications];

/* ---- providers' caregivers, for facilities' caregiver sources ---- */

export interface ProviderCaregivers {
  providerId: number;
  name: string;
  regionCode: string;
  /** active caregivers holding a 'caregiver' certificate (养老护理员职业技能等级证书) valid at asOf */
  certified: number;
  /** caregivers whose first 'caregiver' certificate was issued in [planFrom, asOf] */
  newlyCertified: number;
  /** caregivers recorded in [planFrom, asOf] (the record's date: a caregiver has no start date of their own) */
  newlyRecorded: number;
}

/**
 * The caregivers of each provider of the platform (each counted in its own region, whichever
 * county or city it is registered in), counted three ways for a span. Valid as
 * providers.ts certificateProblem says: issued on or before the date and not expired before it.
 * "Certified at asOf" takes active caregivers of active providers; the two "new since" counts are
 * events that happened, so a caregiver who has left since still counts in them.
 */
export async function providerCaregivers(ctx: AppContext, db: Executor, span: Span): Promise<ProviderCaregivers[]> {
  const prefix = ctx.regions.top()?.prefix ?? '';
  const caregivers = await db
    .selectFrom('service_caregivers as c')
    .innerJoin('service_providers as p', 'p.id', 'c.provider_id')
    .select(['c.id', 'c.provider_id', 'c.active', 'c.created_at', 'p.name', 'p.region_code', 'p.active as provider_active'])
    .where('p.region_code', 'like', `${prefix}%`)
    .execute();
  const certs = await db
    .selectFrom('service_certificates')
    .select(['caregiver_id', 'issued_on', 'expires_on'])
    .where('kind', '=', 'caregiver')
    .where('issued_on', '<=', span.asOf)
    .execute();
  const byCaregiver = new Map<number, { issued_on: string; expires_on: string | null }[]>();
  for (const c of certs) byCaregiver.set(c.caregiver_id, [...(byCaregiver.get(c.caregiver_id) ?? []), c]);
  const out = new Map<number, ProviderCaregivers>();
  for (const c of caregivers) {
    const p = out.get(c.provider_id) ?? {
      providerId: c.provider_id,
      name: c.name,
      regionCode: c.region_code,
      certified: 0,
      newlyCertified: 0,
      newlyRecorded: 0,
    };
    out.set(c.provider_id, p);
    const held = byCaregiver.get(c.id) ?? [];
    if (c.active === 1 && c.provider_active === 1 && held.some((x) => x.expires_on === null || x.expires_on >= span.asOf)) p.certified++;
    const first = held.map((x) => x.issued_on).sort()[0];
    if (first !== undefined && first >= span.planFrom) p.newlyCertified++;
    const recorded = dateOf(c.created_at);
    if (recorded >= span.planFrom && recorded <= span.asOf) p.newlyRecorded++;
  }
  return [...out.values()];
}
