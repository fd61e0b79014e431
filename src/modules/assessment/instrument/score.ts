import { INSTRUMENTS } from './index.js';
import { LEVELS, type Adjustment, type InstrumentData, type Level } from './types.js';

/**
 * The one scorer: the same function scores on the tablet (running sub-totals), on the server (what
 * is stored) and when an old assessment is shown again (with the version it was taken under).
 */

/** What the scorer reads: the answers by item code, and the three facts C.4 adjusts by. */
export interface ScoreInput {
  answers: Readonly<Record<string, number>>;
  /** 昏迷 (A.5), recorded as its own fact */
  coma: boolean;
  /** 痴呆 (F00-F03) or another mental and behavioural disorder diagnosed by a psychiatrist (F04-F99) */
  mentalDisorder: boolean;
  /** care-risk events of all kinds (falls, choking, suicide, self-harm, wandering off, ...) in the 30 days before the assessment date */
  riskEvents30d: number;
}

export interface AnswerIssue {
  item: string;
  /** 'missing': no answer; 'invalid': not one of the item's scores; 'unknown': no such item */
  problem: 'missing' | 'invalid' | 'unknown';
  value?: unknown;
}

export interface ScoreResult {
  instrument: string;
  version: string;
  /** sub-totals by indicator code, of the items answered */
  subtotals: Record<string, number>;
  total: number;
  /** answered items / all items */
  answered: number;
  items: number;
  /** null until every item is answered validly */
  preliminary: Level | null;
  final: Level | null;
  /** the C.4 adjustments that changed (or confirmed) the level, in the standard's order */
  adjustments: Adjustment[];
  issues: AnswerIssue[];
}

export function instrumentData(version: string): InstrumentData {
  const d = INSTRUMENTS[version];
  if (!d) throw new Error(`no capability instrument of version ${version}`);
  return d;
}

/** The C.3 band a total falls in. */
export function levelOfTotal(data: InstrumentData, total: number): Level {
  const band = data.levels.find((b) => total >= b.min && total <= b.max);
  if (!band) throw new Error(`total ${total} is outside the instrument's bands`);
  return band.code;
}

/** Each answer checked against the instrument: missing items, scores no option has, items it does not have. */
export function answerIssues(data: InstrumentData, answers: Readonly<Record<string, unknown>>): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const known = new Set<string>();
  for (const ind of data.indicators)
    for (const item of ind.items) {
      known.add(item.code);
      const v = answers[item.code];
      if (v === undefined || v === null) issues.push({ item: item.code, problem: 'missing' });
      else if (typeof v !== 'number' || !item.options.some((o) => o.score === v)) issues.push({ item: item.code, problem: 'invalid', value: v });
    }
  for (const k of Object.keys(answers)) if (!known.has(k)) issues.push({ item: k, problem: 'unknown', value: answers[k] });
  return issues;
}

/**
 * Scores an assessment. Sub-totals and the total count the valid answers given so far; the levels
 * are given only when every item has a valid answer. C.4: coma sets 完全失能 whatever the total; a
 * mental disorder, or enough care-risk events, raises the preliminary level one step (both together
 * still one step when the data says `once`); never above 完全失能.
 */
export function score(version: string, input: ScoreInput): ScoreResult {
  const data = instrumentData(version);
  const issues = answerIssues(data, input.answers);
  const bad = new Set(issues.map((i) => i.item));
  const subtotals: Record<string, number> = {};
  let total = 0;
  let answered = 0;
  let items = 0;
  for (const ind of data.indicators) {
    let sub = 0;
    for (const item of ind.items) {
      items++;
      if (bad.has(item.code)) continue;
      sub += input.answers[item.code]!;
      answered++;
    }
    subtotals[ind.code] = sub;
    total += sub;
  }
  const complete = issues.length === 0;
  const preliminary = complete ? levelOfTotal(data, total) : null;
  const adjustments: Adjustment[] = [];
  let final: Level | null = preliminary;
  if (preliminary) {
    const a = data.adjustments;
    const raises: number[] = [];
    if (input.mentalDisorder) {
      adjustments.push('mental');
      raises.push(a.mental.raise);
    }
    if (input.riskEvents30d >= a.riskEvents.atLeast) {
      adjustments.push('riskEvents');
      raises.push(a.riskEvents.raise);
    }
    const raise = raises.length === 0 ? 0 : a.combined === 'once' ? Math.max(...raises) : raises.reduce((x, y) => x + y, 0);
    final = LEVELS[Math.min(LEVELS.length - 1, LEVELS.indexOf(preliminary) + raise)]!;
    if (input.coma) {
      adjustments.unshift('coma');
      final = a.coma.to;
    }
  }
  return { instrument: data.id, version: data.version, subtotals, total, answered, items, preliminary, final, adjustments, issues };
}

/** The highest score an item can take. */
export function itemMax(data: InstrumentData, code: string): number {
  for (const ind of data.indicators) for (const item of ind.items) if (item.code === code) return Math.max(...item.options.map((o) => o.score));
  throw new Error(`no item ${code}`);
}
