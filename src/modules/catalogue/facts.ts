import type { Type } from '../../lib/rules/check.js';
import type { Facts, Value } from '../../lib/rules/compile.js';
import { factInfo, type FactInfo, type PeriodContext } from '../../lib/rules/facts.js';
import { periodBounds } from '../../platform/time.js';
import { DECLARATIONS } from './declarations.js';

/**
 * The person facts catalogue rules may read, gathered from the modules that declare them (the
 * register today; the assessment module will add the capability level). Nothing about a fact is
 * written here: the builder, the run's columns and the profile are derived from the declarations.
 * A fact declared `unknown` may be null, and the rule language reads null as unknown.
 */
export { DECLARATIONS };

export interface FactDef {
  name: string;
  type: Type;
  label: string;
  labelEn: string;
  /** display labels (zh) of enum values and booleans */
  values?: Record<string, string>;
  unknown: boolean;
}

export const FACTS: FactDef[] = DECLARATIONS.map((d) => ({
  name: d.name,
  type: d.type,
  label: d.label.zh,
  labelEn: d.label.en,
  unknown: d.unknown,
  ...(d.values ? { values: Object.fromEntries(Object.entries(d.values).map(([k, v]) => [k, v.zh])) } : {}),
}));

export const FACT_BY_NAME = new Map(FACTS.map((f) => [f.name, f]));

/** What `GET /api/facts` publishes. */
export function factInfos(): FactInfo[] {
  return DECLARATIONS.map((d) => factInfo(d, DECLARATIONS));
}

/** The register columns the facts are loaded from (besides the person's id). */
export const FACT_COLUMNS: readonly string[] = [...new Set(['region_code', ...DECLARATIONS.flatMap((d) => d.columns)])];

/** What the fact builder needs of a person: the declared columns. */
export type FactSource = Record<string, unknown>;

/**
 * Builds facts for one period. The builder is one object literal over the declared loaders
 * (generated once per period), so every person's facts have the same shape: this runs once per
 * person per run.
 */
export function factBuilder(period: string, isUrban: (regionCode: string) => boolean): (r: FactSource) => Facts {
  const { start, end } = periodBounds(period);
  const c: PeriodContext = { start, end, endYear: Number(end.slice(0, 4)), endMonthDay: end.slice(5), month: period.slice(5, 7), isUrban };
  const loaders = DECLARATIONS.map((d) => d.load);
  const body = `return (r) => ({ ${DECLARATIONS.map((d, i) => `${JSON.stringify(d.name)}: ${d.inline ?? `L[${i}](r, c)`}`).join(', ')} });`;
  // a Function built from the declared fact names only, once per period, never from input
  return new Function('L', 'c', body)(loaders, c) as (r: FactSource) => Facts;
}

/** The same facts from the declared loaders one by one, without the inlined expressions: what `factBuilder` must agree with. */
export function factsByLoaders(period: string, isUrban: (regionCode: string) => boolean, r: FactSource): Facts {
  const { start, end } = periodBounds(period);
  const c: PeriodContext = { start, end, endYear: Number(end.slice(0, 4)), endMonthDay: end.slice(5), month: period.slice(5, 7), isUrban };
  return Object.fromEntries(DECLARATIONS.map((d) => [d.name, d.load(r, c)]));
}

/** Profile keys a case file or the self-check states that are not facts of their own. */
const LIVING_COLUMNS = { alone: 'living_alone', empty_nest: 'empty_nest', left_behind: 'left_behind', solitary: 'solitary' } as const;

export interface ProfileBase {
  birthDate: string;
  status: string;
  closedOn?: string | null;
  living: string[];
  /** facts the profile does not know (only facts declared `unknown`) */
  unknown?: string[];
}

/**
 * A profile's facts for a period: its columns through the declared loaders, then each fact the
 * profile lists as unknown made unknown (null) — whatever its loader reads from an empty column —
 * with the facts read from the same columns (`unknownWith`: 失能等级 not known leaves 失能程度 and
 * 需要长期照护 unknown too).
 */
export function profileFacts(period: string, urban: boolean, p: ProfileBase & Record<string, unknown>): Facts {
  const facts = factBuilder(period, () => urban)(profileSource(p));
  for (const name of p.unknown ?? []) {
    const d = DECLARATIONS.find((x) => x.name === name);
    if (d?.unknown) for (const u of factInfo(d, DECLARATIONS).unknownWith) facts[u] = null;
  }
  return facts;
}

/** A profile as a case file or the public self-check states it → the register's columns. */
export function profileSource(p: ProfileBase & Record<string, unknown>): FactSource {
  const out: FactSource = { birth_date: p.birthDate, status: p.status, closed_on: p.closedOn ?? null, region_code: '' };
  for (const d of DECLARATIONS) {
    if (!d.profile) continue;
    const v = (p[d.name] ?? d.profile.default) as Value;
    Object.assign(out, d.profile.toColumns(v));
  }
  for (const [k, col] of Object.entries(LIVING_COLUMNS)) out[col] = p.living.includes(k) ? 1 : 0;
  for (const name of p.unknown ?? []) {
    const d = DECLARATIONS.find((x) => x.name === name);
    if (d?.unknown) for (const col of d.columns) out[col] = null;
  }
  return out;
}
