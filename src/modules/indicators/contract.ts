import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import type { CivilDate } from '../../platform/time.js';

/**
 * What an indicator reads from the capabilities (issue 20): each capability module exports its
 * sources from its own files (`<module>/indicator-persons.ts`, `<module>/indicator-aggregates.ts`),
 * written over its own tables; this module never queries another module's tables, it calls these.
 */

export interface Text {
  zh: string;
  en: string;
}

/**
 * A month being computed. Facts hold at `asOf`: the month's last day, or today while the month is
 * running. Events count from `from` (the month's first day), or from `yearFrom` (1 January) for
 * a source that counts the year to date.
 */
export interface Span {
  month: string;
  from: CivilDate;
  to: CivilDate;
  asOf: CivilDate;
  yearFrom: CivilDate;
  /** the plan period's first day, for 'new since' counts (a setting: 001's 十四五 plan counts from 2021-01-01) */
  planFrom: CivilDate;
  /**
   * During a refresh, for aggregate sources: the population's count per region (its own persons,
   * not summed up), as the refresh has just written them to the facts, so a per-elders rate need
   * not count the register again. Absent outside a refresh.
   */
  elders?: () => Promise<ReadonlyMap<string, number>>;
}

/** The last refresh of the month: rows written after `at` (UTC ISO instant), dates crossed after `on`. */
export interface Since {
  at: string;
  on: CivilDate;
}

/**
 * A predicate on register persons, per month (one bit of the flat analytics table). The engine asks
 * for everyone once (a full refresh) and then only for the persons `changedSince` names. `ctx` is
 * for settings and regions; queries go through `db` (the refresh's transaction).
 */
export interface PersonSource {
  /** '<module>.<name>', e.g. 'register.age80' */
  key: string;
  label: Text;
  /** ids of persons for whom it holds in the span; with `only`, a subset of those ids */
  persons(ctx: AppContext, db: Executor, span: Span, only?: readonly number[]): Promise<number[]>;
  /**
   * Persons for whom it may have changed since the last refresh: rows written after `since.at`
   * (a new record, an edit, a void) and dates crossed in (since.on, span.asOf] (a birthday, an
   * expiry). A superset is fine; missing one is a wrong figure.
   */
  changedSince(ctx: AppContext, db: Executor, span: Span, since: Since): Promise<number[]>;
}

/** The register's elders: the population every person indicator is a part of, with their region. */
export interface PopulationSource extends PersonSource {
  /** [person id, region code] of active persons aged >= 60 at span.asOf (with `only`, of those) */
  regions(ctx: AppContext, db: Executor, span: Span, only?: readonly number[]): Promise<Array<[number, string]>>;
}

/** A numerator and denominator attributed to one region (a facility's, a village's own). */
export interface Cell {
  region: string;
  num: number;
  /** 0 for a count indicator */
  den: number;
}

export type MemberKind = 'person' | 'facility' | 'provider' | 'region' | 'complaint' | 'alarm' | 'staff' | 'bed' | 'household';

/** One thing behind a figure: a facility and its beds, a village and its meal point, a complaint. */
export interface Member {
  kind: MemberKind;
  id: number | string;
  name: string;
  region: string;
  /** why it counts, with its own figures ('护理型床位 12 / 40 张') */
  detail: Text;
  /** in the numerator (true) or only in the denominator (false) */
  inNumerator: boolean;
}

/** The order every list of members shows: numerator first, then by name ("#9" before "#10"). */
export function memberOrder(a: Member, b: Member): number {
  return (
    Number(b.inNumerator) - Number(a.inNumerator) ||
    a.name.localeCompare(b.name, 'zh-CN', { numeric: true }) ||
    a.kind.localeCompare(b.kind) ||
    String(a.id).localeCompare(String(b.id), 'en', { numeric: true })
  );
}

/** A page of members in memberOrder, and how many there are in all. */
export function pageOfMembers(items: readonly Member[], page: { offset: number; limit: number }): { total: number; items: Member[] } {
  const sorted = [...items].sort(memberOrder);
  return { total: sorted.length, items: sorted.slice(page.offset, page.offset + page.limit) };
}

/** An indicator over facilities, beds, staff, regions or cases, computed whole at every refresh. */
export interface AggregateSource {
  /** '<module>.<name>', e.g. 'facilities.nursingBedShare' */
  key: string;
  label: Text;
  cells(ctx: AppContext, db: Executor, span: Span): Promise<Cell[]>;
  /**
   * Every thing behind the figure in the regions whose codes start with one of `prefixes`, in any
   * order: the engine sorts them (numerator first, then by name), keeps the part asked for (the
   * numerator, the denominator, the gap) and pages.
   */
  members(ctx: AppContext, db: Executor, span: Span, prefixes: readonly string[]): Promise<Member[]>;
}

/** A person as a drill-down lists them: the register's masked view (register/indicator-persons.ts). */
export interface PersonCard {
  id: number;
  name: string;
  idMasked: string;
  sex: string;
  age: number;
  region: string;
}

export type IndicatorUnit = 'percent' | 'per10k' | 'per100' | 'count';
export type IndicatorPeriod = 'month' | 'quarter' | 'year';

/**
 * An indicator, as data (definitions.ts). A person indicator's numerator and denominator are ANDs
 * of person-source keys over the population (the numerator's list includes the denominator's); an
 * aggregate indicator names one AggregateSource. Target, attribute, source paragraph and reading
 * are jurisdiction settings (indicators.settings.ts), keyed by `key`.
 */
export interface IndicatorDef {
  key: string;
  /** its row in seed 001's table (1-19), when it is one */
  seedRow: number | null;
  category: Text;
  name: Text;
  unit: IndicatorUnit;
  period: IndicatorPeriod;
  person?: { denominator: string[]; numerator: string[] };
  aggregate?: string;
  drill: MemberKind;
  /** what the numerator and the denominator count, in words */
  numeratorText: Text;
  denominatorText: Text;
}
