import { createHash } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { periodBounds, today, type CivilDate } from '../../platform/time.js';
import type { AggregateSource, IndicatorDef, PersonCard, PersonSource, PopulationSource, Span, Text } from './contract.js';

/**
 * What the engine computes from: the sources, the definitions and the settings. The real one is
 * registry.ts with indicators.settings.ts (defaultRegistry); tests hand in their own, so the engine
 * is tested on figures it cannot know in advance.
 */
export interface EngineSettings {
  planFrom: CivilDate;
  targets: Record<string, { value: number | null; comparator: 'atLeast' | 'atMost'; attribute: Text; source: Text; reading: Text }>;
  /** minGapPoints / minGapShare: indicators.settings.ts's SIBLING_MIN_GAP_* when the settings do not carry them */
  outliers: { siblingZ: number; seriesZ: number; minDenominator: number; minSeries: number; minGapPoints?: number; minGapShare?: number };
}

export interface UnsupportedRowDef {
  seedRow: number;
  category: Text;
  name: Text;
  target: string;
  attribute: Text;
  reason: Text;
}

export interface Registry {
  population: PopulationSource;
  personSources: readonly PersonSource[];
  aggregateSources: readonly AggregateSource[];
  /**
   * The aggregate sources whose cells count things happening in the month (flows), summed over a
   * quarter's months by the report; default: reads.ts's FLOW_AGGREGATES (a test registry names its own).
   */
  flowAggregates?: readonly string[];
  definitions: readonly IndicatorDef[];
  unsupportedRows: readonly UnsupportedRowDef[];
  personCards(db: Executor, ids: readonly number[], on: CivilDate): Promise<PersonCard[]>;
  /** the settings in force where a region is (targets and thresholds are a jurisdiction's; a refresh reads the platform top's) */
  settings(ctx: AppContext, regionCode: string): Promise<EngineSettings>;
}

let loaded: Promise<Registry> | null = null;

/** The registry the server runs: registry.ts's sources and definitions, indicators.settings.ts's values. */
export function defaultRegistry(): Promise<Registry> {
  loaded ??= (async () => {
    // loaded on first use: the registry pulls in every capability's sources
    const r = await import('./registry.js');
    const s = await import('./indicators.settings.js');
    return {
      population: r.population,
      personSources: r.personSources,
      aggregateSources: r.aggregateSources,
      definitions: r.definitions,
      unsupportedRows: r.unsupportedRows,
      personCards: r.personCards,
      settings: s.indicatorSettings,
    };
  })();
  return loaded;
}

/** A person source's bit can hold 31 sources in a signed 32-bit integer column. */
export const MAX_PERSON_SOURCES = 31;

/** The bit mapping of a registry: person source keys in order, and a hash that changes with them. */
export function sourceMapping(reg: Registry): { keys: string[]; hash: string } {
  const keys = reg.personSources.map((s) => s.key);
  if (keys.length > MAX_PERSON_SOURCES) throw new Error(`at most ${MAX_PERSON_SOURCES} person sources fit the facts' bitmask (${keys.length} given)`);
  if (new Set(keys).size !== keys.length) throw new Error('two person sources share a key');
  return { keys, hash: createHash('sha256').update(JSON.stringify(keys)).digest('hex').slice(0, 16) };
}

/** A person indicator as two masks over the facts' bits: it counts a person whose bits include the mask. */
export interface PersonRule {
  key: string;
  den: number;
  num: number;
}

/**
 * The masks of every person indicator. The population's own key (and an empty list) is every
 * person of the population, so it takes no bit. A key the registry lacks is a definition error.
 */
export function personRules(reg: Registry, keys: readonly string[]): PersonRule[] {
  const bit = new Map(keys.map((k, i) => [k, 1 << i]));
  const mask = (list: readonly string[], def: string) =>
    list.reduce((m, k) => {
      if (k === reg.population.key) return m;
      const b = bit.get(k);
      if (b === undefined) throw new Error(`indicator ${def} names unknown person source ${k}`);
      return m | b;
    }, 0);
  return reg.definitions
    .filter((d) => d.person)
    .map((d) => {
      const den = mask(d.person!.denominator, d.key);
      // the numerator's list includes the denominator's (contract); the masks make sure of it
      return { key: d.key, den, num: mask(d.person!.numerator, d.key) | den };
    });
}

export const holds = (bits: number, mask: number) => (bits & mask) === mask;

/**
 * The span a month is computed over. A running month holds at `on` (today); a closed one at its
 * last day. A month still to come has nothing to compute (null).
 */
export function spanOf(month: string, planFrom: CivilDate, on: CivilDate = today()): Span | null {
  const { start, end } = periodBounds(month);
  if (start > on) return null;
  return { month, from: start, to: end, asOf: end < on ? end : on, yearFrom: `${month.slice(0, 4)}-01-01`, planFrom };
}

/** The month of a date or instant in Asia/Shanghai. */
export const monthOf = (at: Date = new Date()) => today(at).slice(0, 7);
