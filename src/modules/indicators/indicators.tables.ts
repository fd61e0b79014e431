import type { Generated, Selectable } from 'kysely';

/**
 * The indicators' analytics tables (issue 20, after DHIS2's flat analytics table): person facts
 * one row per month and person of the population, with a bitmask of the person sources that hold;
 * values per month, indicator and region at every level, which the dashboards read; one row per
 * refresh, which also keeps the watermark and the bit mapping the month's facts were written with.
 */
export interface IndicatorFactTable {
  /** YYYY-MM */
  month: string;
  person_id: number;
  /** the person's own region (a village, or a town for someone attached to the town itself) */
  region_code: string;
  /** bit i set: person source i of the month's mapping (indicator_refreshes.sources) holds */
  bits: number;
}

export interface IndicatorValueTable {
  month: string;
  indicator_key: string;
  region_code: string;
  num: number;
  den: number;
}

export interface IndicatorRefreshTable {
  id: Generated<number>;
  month: string;
  /** full | incremental */
  mode: string;
  /** running | finished */
  status: string;
  /** the person sources' keys in bit order (JSON array) and their hash */
  sources: string;
  sources_hash: string;
  started_at: string;
  finished_at: string | null;
  /** the Since this refresh read changes from (incremental), null for a full one */
  since_at: string | null;
  since_on: string | null;
  /** the date the month's facts hold at (span.asOf) */
  as_of: string;
  persons: number;
  ms: number;
}

/** One row: the refresh lock (the first statement of a refresh updates it, so two never interleave). */
export interface IndicatorLockTable {
  id: number;
  at: string;
}

declare module '../../db/tables.js' {
  interface Database {
    indicator_facts: IndicatorFactTable;
    indicator_values: IndicatorValueTable;
    indicator_refreshes: IndicatorRefreshTable;
    indicator_lock: IndicatorLockTable;
  }
}

export type IndicatorRefreshRow = Selectable<IndicatorRefreshTable>;
