import { Lunar } from 'lunar-typescript';
import type { Locale } from '../../platform/errors.js';
import type { Catalogue, Item, Parameter, ParamValue } from './catalogue.loader.js';
import { periodBounds } from '../../platform/time.js';
import { actorWords } from '../vocabulary.js';
import { missingFacts, trace, type Facts, type Params, type Trace } from '../../lib/rules/compile.js';

/** A parameter value set by an administrator in the console: from its date onward it replaces the file's. */
export interface ParamOverride {
  name: string;
  from: string;
  value: number | string | null;
  note: string;
  setBy: string;
  setAt: string;
}

export interface UsedParam {
  label?: string;
  /** money values are fen */
  type?: Parameter['type'];
  value: number | string | null;
  from: string;
  to: string | null;
  /** where the value comes from: the catalogue file's citation, or who set it in the console (Chinese) */
  source: string;
  /** the same in English, for a value set in the console (a file's citation is the document's own title: `source`) */
  sourceEn?: string;
}

export interface ResolvedParams {
  date: string;
  values: Params;
  used: Record<string, UsedParam>;
  /** parameters with no value on the date (the seed leaves them open and nobody has set them) */
  unset: string[];
}

/**
 * Who set a parameter's value in the console, in both languages, the platform's own accounts in
 * words (actorWords: 演示数据 / Demo data for system:demo), with the administrator's note as written.
 */
function overrideSource(setBy: string, on: string, note: string): { source: string; sourceEn: string } {
  const who = actorWords(setBy);
  return {
    source: `管理员设定（${who.zh}，${on}）${note ? `：${note}` : ''}`,
    sourceEn: `Set by an administrator (${who.en}, ${on})${note ? `: ${note}` : ''}`,
  };
}

/** Runs recorded before the English text: their Chinese one, with the account's raw name. */
const LEGACY_OVERRIDE = /^管理员设定（(.+?)，(\d{4}-\d{2}-\d{2})）(?:：([\s\S]*))?$/;

/**
 * A used parameter's source in both languages, as shown (a run's page, a decision's why): a value
 * recorded before the English text (a run's stored parameters) gets it now, and system accounts
 * their words; a file's citation is the same in both.
 */
export function withSourceWords(u: UsedParam): UsedParam {
  if (u.sourceEn !== undefined) return u;
  const m = LEGACY_OVERRIDE.exec(u.source);
  return m ? { ...u, ...overrideSource(m[1]!, m[2]!, m[3] ?? '') } : u;
}

/** The value a parameter has on a date: the latest override from on or before it, else the file's. */
export function valueOn(param: Parameter, overrides: ParamOverride[], date: string): UsedParam | null {
  let best: ParamOverride | null = null;
  for (const o of overrides) if (o.name === param.name && o.from <= date && (!best || o.from > best.from)) best = o;
  if (best) {
    const next = overrides
      .filter((o) => o.name === param.name && o.from > best!.from)
      .map((o) => o.from)
      .sort()[0];
    return {
      value: best.value,
      from: best.from,
      to: next ?? null,
      ...overrideSource(best.setBy, best.setAt.slice(0, 10), best.note),
    };
  }
  // Values are sorted by start; without an explicit end a value runs until the next one starts,
  // so the latest value started on or before the date is the one in force.
  const v: ParamValue | undefined = [...param.values].reverse().find((x) => x.from <= date && (x.to === null || date <= x.to));
  return v ? { value: v.value, from: v.from, to: v.to, source: v.source } : null;
}

/** Parameters as of a period: values on its last day (as ages are), with the version of each. */
export function paramsFor(cat: Catalogue, period: string, overrides: ParamOverride[]): ResolvedParams {
  const date = periodBounds(period).end;
  const values: Params = {};
  const used: Record<string, UsedParam> = {};
  const unset: string[] = [];
  for (const p of cat.parameters.values()) {
    const v = valueOn(p, overrides, date);
    values[p.name] = v?.value ?? null;
    if (v) used[p.name] = { label: p.label, type: p.type, ...v };
    if (v?.value === null || !v) unset.push(p.name);
  }
  return { date, values, used, unset };
}

/** Parameters that the items' rules and amounts actually need (a run refuses if any is unset). */
export function neededParams(cat: Catalogue): Set<string> {
  const out = new Set<string>(cat.population.params);
  for (const it of cat.items) {
    for (const e of [it.rule, it.benefit.amount, it.benefit.percent]) e?.params.forEach((p) => out.add(p));
    if (it.benefit.insurer) out.add(it.benefit.insurer);
  }
  return out;
}

/** 重阳节: the 9th day of the 9th lunar month of a year, as a civil date. */
export function chongyang(year: number): string {
  return Lunar.fromYmd(year, 9, 9).getSolar().toYmd();
}

export interface PeriodCalendar {
  period: string;
  chongyang: string;
  chongyangInPeriod: boolean;
}

export function calendarFor(period: string): PeriodCalendar {
  const day = chongyang(Number(period.slice(0, 4)));
  return { period, chongyang: day, chongyangInPeriod: day.slice(0, 7) === period };
}

/**
 * What a person receives in a period: item id → amount in fen (cash), percent (discount), 1
 * (otherwise). Never 0: an amount or percent that works out to 0 (or less) is no benefit, so the
 * item is left out. A null amount (a parameter nobody has set yet, only in the self-check) stays in.
 */
export type Outcome = Record<string, number>;

/**
 * Items that could not be decided for a person because a fact their rule reads is unknown: item id
 * → the unknown facts. Neither granted nor refused: listed "待核实" (to verify) for an officer.
 */
export type Verify = Record<string, string[]>;

/** A benefit value that gives nothing: 0 fen, 0 percent (or, by a bad standard, less). */
export function isZeroBenefit(value: unknown): boolean {
  return typeof value === 'number' && value <= 0;
}

function fires(it: Item, f: Facts, cal: PeriodCalendar): boolean {
  return it.when === 'monthly' || (it.when === 'birthday' ? f.birthdayInPeriod === true : cal.chongyangInPeriod);
}

/**
 * The fast path: one closure evaluating the whole catalogue for a person. An item whose benefit
 * works out to 0 is not granted, and so cannot displace another. Exclusive groups keep their
 * lowest-ranked granted item ("不重复享受").
 */
export function evaluator(cat: Catalogue, period: string, params: Params): (f: Facts, verify?: Verify) => Outcome {
  const cal = calendarFor(period);
  const pop = cat.population.fn;
  const items = cat.items.map((it) => ({
    it,
    id: it.id,
    rule: it.rule.fn,
    ast: it.rule.ast,
    value: it.benefit.amount?.fn ?? it.benefit.percent?.fn ?? (() => 1),
    group: it.exclusive?.group,
    rank: it.exclusive?.rank ?? 0,
  }));
  const hasGroups = items.some((i) => i.group);
  return (f, verify) => {
    const out: Outcome = {};
    if (pop(f, params) !== true) return out;
    let groups: Map<string, { id: string; rank: number }> | null = null;
    for (const i of items) {
      if (!fires(i.it, f, cal)) continue;
      const held = i.rule(f, params);
      if (held !== true) {
        // unknown: neither granted nor refused; it takes no part in an exclusive group
        if (held === null && verify) verify[i.id] = missingFacts(i.ast, cat.env, f);
        continue;
      }
      const value = i.value(f, params) as number;
      if (isZeroBenefit(value)) continue;
      if (i.group && hasGroups) {
        groups ??= new Map();
        const had = groups.get(i.group);
        if (had && had.rank <= i.rank) continue;
        if (had) delete out[had.id];
        groups.set(i.group, { id: i.id, rank: i.rank });
      }
      out[i.id] = value;
    }
    return out;
  };
}

/** Why a scheduled item does or does not fire this period, in words. */
export function scheduleNote(when: Item['when'], fires: boolean, cal: PeriodCalendar, locale: Locale = 'zh-CN'): string {
  if (locale === 'en') {
    if (when === 'monthly') return 'monthly';
    if (when === 'birthday') return fires ? 'birthday this month' : 'birthday not this month';
    return `Double Ninth Festival on ${cal.chongyang}${fires ? ', in this period' : ', not in this period'}`;
  }
  if (when === 'monthly') return '每月';
  if (when === 'birthday') return fires ? '生日在本月' : '生日不在本月';
  return `重阳节为 ${cal.chongyang}${fires ? '，在本期' : '，不在本期'}`;
}

export interface ItemExplanation {
  id: string;
  granted: boolean;
  value: number | null;
  schedule: { when: Item['when']; fires: boolean; note: string };
  rule: Trace;
  amount: Trace | null;
  /** granted by its rule but not given: an exclusive item of lower rank was granted instead */
  excludedBy: string | null;
  /** its rule held (and it was due) but its amount or percent works out to 0: no benefit, not granted */
  zero: boolean;
  /** due, but its rule cannot be decided: the facts it reads that are unknown (待核实); empty when decided */
  missing: string[];
  params: Record<string, UsedParam>;
}

export interface Explanation {
  period: string;
  catalogue: { jurisdiction: string; effective: string; sha256: string };
  population: Trace;
  facts: Facts;
  items: ItemExplanation[];
}

/**
 * The slow path, for one person: every condition of every item with its value, what held and
 * what failed, and the parameter versions used. It agrees with `evaluator` by construction
 * (tested), since both read the same compiled rules.
 */
export function explain(cat: Catalogue, period: string, params: ResolvedParams, f: Facts, locale: Locale = 'zh-CN'): Explanation {
  const cal = calendarFor(period);
  const verify: Verify = {};
  const outcome = evaluator(cat, period, params.values)(f, verify);
  const population = trace(cat.population.ast, cat.population.src, cat.env, f, params.values);
  const items = cat.items.map((it): ItemExplanation => {
    const rule = trace(it.rule.ast, it.rule.src, cat.env, f, params.values);
    const valueExpr = it.benefit.amount ?? it.benefit.percent;
    const amount = valueExpr ? trace(valueExpr.ast, valueExpr.src, cat.env, f, params.values) : null;
    const fire = fires(it, f, cal);
    const granted = it.id in outcome;
    const due = population.value === true && fire && rule.value === true;
    const zero = due && amount !== null && isZeroBenefit(amount.value);
    const wouldBe = due && !zero;
    const excludedBy =
      wouldBe && !granted && it.exclusive ? (cat.items.find((o) => o.exclusive?.group === it.exclusive!.group && o.id in outcome)?.id ?? null) : null;
    const used: Record<string, UsedParam> = {};
    for (const name of [...it.rule.params, ...(valueExpr?.params ?? []), ...(it.benefit.insurer ? [it.benefit.insurer] : [])]) {
      const u = params.used[name];
      if (u) used[name] = withSourceWords(u);
    }
    const note = scheduleNote(it.when, fire, cal, locale);
    return {
      id: it.id,
      granted,
      value: granted ? outcome[it.id]! : null,
      schedule: { when: it.when, fires: fire, note },
      rule,
      amount,
      excludedBy,
      zero,
      missing: verify[it.id] ?? [],
      params: used,
    };
  });
  return { period, catalogue: { jurisdiction: cat.jurisdiction, effective: cat.effective, sha256: cat.sha256 }, population, facts: f, items };
}
