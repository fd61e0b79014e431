import type { Generated, Selectable } from 'kysely';

/**
 * The indicators' analytics tables (issue 20, after DHIS2's analytics tables): person facts per
 * month, packed per region (facts.ts), with a bitmask of the person sources that hold per person;
 * values per month, indicator and region at every level, which the dashboards read; one row per
 * refresh, which also keeps the watermark and the bit mapping the month's facts were written with.
 */
/**
 * A month's person facts for one region (facts.ts): the region's own persons of the population, as
 * two little-endian int32 arrays of `persons` entries each — ids ascending, and the bits of the
 * person sources that hold (bit i: source i of the month's mapping, indicator_refreshes.sources).
 */
export interface IndicatorFactBlockTable {
  /** YYYY-MM */
  month: string;
  /** a village, or a town for persons attached to the town itself */
  region_code: string;
  persons: number;
  ids: Buffer;
  bits: Buffer;
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
    indicator_fact_blocks: IndicatorFactBlockTable;
    indicator_values: IndicatorValueTable;
    indicator_refreshes: IndicatorRefreshTable;
    indicator_lock: IndicatorLockTable;
  }
}

export type IndicatorRefreshRow = Selectable<IndicatorRefreshTable>;
