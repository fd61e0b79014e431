import type { Type } from './check.js';
import type { Value } from './compile.js';

/** Words in both console languages. */
export interface Words {
  zh: string;
  en: string;
}

/** What a fact loader knows of the period it builds facts for. */
export interface PeriodContext {
  /** first and last day of the period, YYYY-MM-DD */
  start: string;
  end: string;
  endYear: number;
  /** MM-DD of the last day */
  endMonthDay: string;
  /** MM of the period */
  month: string;
  isUrban(regionCode: string): boolean;
}

/**
 * A column a fact owns in the register, read from a department file: declaring it is enough for
 * the column to exist (db/migrate.ts adds declared columns), for the department's template and
 * import to carry it (register/sources), and for the run to read it.
 */
export interface OwnedColumn {
  name: string;
  /** the fact it holds */
  fact: string;
  /** the department file that supplies it, and the column titles it may carry (first: the template's) */
  department: string;
  headers: string[];
}

/**
 * A register search tag a fact gives (a person row shows it, the search filters by it): the
 * condition is on one register column, so the search can say it in SQL and a row can be tested
 * without building facts. Declared beside the fact (register/sources/facts.ts: a flag tags when
 * it is 1, an enum by each value or by "any value but none"); the register derives its tag list,
 * filter and labels from these.
 */
export interface TagDecl {
  key: string;
  label: Words;
  column: string;
  /** `is`: the column holds this value; `notNone`: it holds a value, and none of these; `ageAtLeast`: the birth date column says the person is at least this old today */
  when: { is: string | number } | { notNone: readonly (string | number)[] } | { ageAtLeast: number };
}

/**
 * One person fact, declared once by the module that owns it. Everything else — the columns a run
 * reads, the fact builder, the self-check and case profile, `GET /api/facts`, the console's
 * labels and form — is derived from these declarations.
 */
export interface FactDecl {
  name: string;
  type: Type;
  label: Words;
  /** labels of enum values (and of booleans, when 是/否 is not the right word) */
  values?: Record<string, Words>;
  /** the module that owns the fact: 'register' today, 'assessment' next */
  owner: string;
  /** register columns the fact is loaded from */
  columns: readonly string[];
  /** how it is loaded: from the person's columns, for a period; null means unknown */
  load: (r: Record<string, unknown>, c: PeriodContext) => Value | null;
  /**
   * The same loader as one JavaScript expression over `r` (the row) and `c` (the period), written
   * by the declaring helpers from plain column names: the builder inlines it, which keeps building a
   * person's facts as cheap as a hand-written object literal. Must agree with `load` (tested).
   */
  inline?: string;
  /** may be unknown (a register column that is NULL: no department has said): rules must allow for it */
  unknown: boolean;
  /**
   * How a stated profile (a case file, the public self-check) gives the fact: its default and the
   * columns it writes. Absent: the profile states it some other way (birth date, status, living).
   */
  profile?: { default: Value; toColumns(v: Value | null): Record<string, unknown> };
  /** the fact's own register column, when it has one from a department file */
  owns?: OwnedColumn;
  /** the self-check form asks for it (a switch for booleans, a select for enums) */
  ask?: boolean;
  /** the register search tags it gives */
  tags?: readonly TagDecl[];
}

/** The public description of a fact: what `GET /api/facts` answers and the console reads. */
export interface FactInfo {
  name: string;
  type: Type['t'];
  label: string;
  labelEn: string;
  values: Record<string, Words> | null;
  owner: string;
  unknown: boolean;
  /** a form asks it: declared `ask`, and a profile can state it */
  ask: boolean;
  default: Value | null;
  /**
   * The facts (declared unknown) a profile lists as unknown when this one is not known: itself if
   * it may be unknown, and those read from the same columns (失能等级 → 需要长期照护). Empty: a
   * form offers no 不清楚 for it.
   */
  unknownWith: string[];
}

/** `all`: the declarations of every fact, for `unknownWith`. */
export function factInfo(d: FactDecl, all: readonly FactDecl[] = [d]): FactInfo {
  return {
    name: d.name,
    type: d.type.t,
    label: d.label.zh,
    labelEn: d.label.en,
    values: d.values ?? null,
    owner: d.owner,
    unknown: d.unknown,
    ask: (d.ask ?? false) && d.profile !== undefined,
    default: d.profile?.default ?? null,
    unknownWith: all.filter((u) => u.unknown && (u === d || u.columns.some((c) => d.columns.includes(c)))).map((u) => u.name),
  };
}
