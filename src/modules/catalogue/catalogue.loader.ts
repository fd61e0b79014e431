import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { catalogueFileSchema, type CatalogueFile, type CatalogueProblem, type ItemFile } from './catalogue.schema.js';
import { FACT_BY_NAME, FACTS } from './facts.js';
import { check, T, typeName, type Environment, type Type } from '../../lib/rules/check.js';
import { compile, type Compiled } from '../../lib/rules/compile.js';
import { parse, RuleError, type Node } from '../../lib/rules/syntax.js';
import { isCivilDate } from '../../platform/time.js';
import { AppError } from '../../platform/errors.js';

export interface Expr {
  src: string;
  ast: Node;
  fn: Compiled;
  facts: string[];
  params: string[];
}

export interface ParamValue {
  from: string;
  to: string | null;
  /** fen for money, a number for int, a string for text; null when not yet set */
  value: number | string | null;
  source: string;
}

export interface Parameter {
  name: string;
  label: string;
  type: 'money' | 'int' | 'text';
  unit: string | null;
  values: ParamValue[];
}

export interface Item extends Omit<ItemFile, 'rule' | 'benefit'> {
  rule: Expr;
  benefit: { kind: ItemFile['benefit']['kind']; amount?: Expr; percent?: Expr; quota?: string; insurer?: string };
}

export interface Catalogue extends Omit<CatalogueFile, 'population' | 'items' | 'parameters'> {
  file: string;
  sha256: string;
  text: string;
  population: Expr;
  parameters: Map<string, Parameter>;
  items: Item[];
  /** the facts any rule reads: what a decision stores as its inputs */
  facts: string[];
  env: Environment;
}

const PARAM_TYPES: Record<Parameter['type'], Type> = { money: T.money, int: T.int, text: T.text };

/** Yuan as written in a file ("100", 100, "12.5", "100元") → integer fen, or a reason. */
export function yuanToFen(v: number | string): number | string {
  const s = String(v).replace(/元$/, '').trim();
  if (!/^-?\d+(\.\d{1,2})?$/.test(s)) return `金额“${v}”应为元，最多两位小数`;
  const [int, frac = ''] = s.replace('-', '').split('.');
  const fen = Number(int) * 100 + Number(frac.padEnd(2, '0'));
  return s.startsWith('-') ? -fen : fen;
}

export function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Loads one catalogue file: YAML → schema → parameters (typed, dated, no overlap, no gap) →
 * every rule parsed and type-checked against the person facts. Any problem rejects the file with
 * all problems listed, each with its line and item; a catalogue is never half-loaded.
 */
export function loadCatalogue(file: string, text: string): Catalogue {
  const problems: CatalogueProblem[] = [];
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const where = (path: (string | number)[]): { line: number | null; column: number | null } => {
    for (let p = path; p.length >= 0; p = p.slice(0, -1)) {
      const node = p.length ? doc.getIn(p, true) : doc.contents;
      if (isNode(node) && node.range) {
        const pos = lines.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
      if (p.length === 0) break;
    }
    return { line: null, column: null };
  };
  const fail = (): never => {
    throw new AppError('CATALOGUE_INVALID', { file, count: problems.length, first: describe(problems[0]!) }, problems);
  };

  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    problems.push({ file, line: pos.line, column: pos.col, item: null, path: '', message: `YAML 语法错误：${e.message.split('\n')[0]}` });
  }
  if (problems.length) fail();

  const raw = doc.toJS() as unknown;
  // Catalogue authors read Chinese: schema messages in zh-CN, with the path and line beside them.
  const parsed = catalogueFileSchema.safeParse(raw, { error: z.locales.zhCN().localeError });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
      if (issue.code === 'unrecognized_keys' && issue.keys[0]) path.push(issue.keys[0]);
      problems.push({ file, ...where(path), item: itemLabel(raw, path), path: path.join('.'), message: issue.message });
    }
    fail();
  }
  const data = parsed.data!;

  const parameters = new Map<string, Parameter>();
  // parameters whose dated values overlap or leave a date without a value: every item using one is named too
  const missingFor = new Map<string, string>();
  data.parameters.forEach((p, pi) => {
    const at = (path: (string | number)[], message: string) =>
      problems.push({ file, ...where(['parameters', pi, ...path]), item: null, path: `parameters.${p.name}`, message });
    if (parameters.has(p.name)) at(['name'], `参数“${p.name}”重复定义`);
    if (FACT_BY_NAME.has(p.name)) at(['name'], `参数名“${p.name}”与人员字段重名`);
    const values: ParamValue[] = [];
    p.values.forEach((v, vi) => {
      let value: number | string | null = null;
      if (v.value !== null) {
        if (p.type === 'money') {
          const fen = yuanToFen(v.value);
          if (typeof fen === 'string') at(['values', vi, 'value'], fen);
          else value = fen;
        } else if (p.type === 'int') {
          if (typeof v.value !== 'number' || !Number.isInteger(v.value)) at(['values', vi, 'value'], `取值“${v.value}”应为整数`);
          else value = v.value;
        } else value = String(v.value);
      }
      for (const d of [v.from, v.to]) if (d && !isCivilDate(d)) at(['values', vi], `日期“${d}”无效`);
      if (v.to && v.to < v.from) at(['values', vi, 'to'], `结束日期 ${v.to} 早于开始日期 ${v.from}`);
      values.push({ from: v.from, to: v.to ?? null, value, source: v.source });
    });
    values.sort((a, b) => a.from.localeCompare(b.from));
    const gaps = periodProblems(values, data.effective);
    for (const problem of gaps) at(['values'], problem);
    if (gaps.length) missingFor.set(p.name, gaps[0]!);
    parameters.set(p.name, { name: p.name, label: p.label, type: p.type, unit: p.unit ?? null, values });
  });

  const env: Environment = {
    lookup(name) {
      const f = FACT_BY_NAME.get(name);
      if (f) return { kind: 'fact', type: f.type, unknown: f.unknown };
      const p = parameters.get(name);
      return p ? { kind: 'param', type: PARAM_TYPES[p.type] } : undefined;
    },
    names: () => [...FACTS.map((f) => f.name), ...parameters.keys()],
  };

  const expr = (src: string, want: Type, path: (string | number)[], item: string | null): Expr | null => {
    try {
      const ast = parse(src);
      const checked = check(ast, env);
      if (checked.type.t !== want.t) throw new RuleError(`结果应为${typeName(want)}，实际为${typeName(checked.type)}`, 0);
      return { src, ast, fn: compile(ast, env), facts: [...checked.facts], params: [...checked.params] };
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      const pos = where(path);
      // The rule text sits on the node's line when written inline; point into it by column.
      problems.push({
        file,
        line: pos.line,
        column: pos.column === null ? null : pos.column + ruleOffset(doc, path) + e.offset,
        item,
        path: path.join('.'),
        message: `${e.message}（规则第 ${e.offset + 1} 个字符：${src.slice(e.offset, e.offset + 12) || '末尾'}）`,
      });
      return null;
    }
  };

  const population = expr(data.population, T.bool, ['population'], null);
  const items: Item[] = [];
  const seen = new Set<string>();
  data.items.forEach((it, i) => {
    const label = `${it.no} ${it.name}（${it.id}）`;
    const at = (path: (string | number)[], message: string) =>
      problems.push({ file, ...where(['items', i, ...path]), item: label, path: `items.${i}.${path.join('.')}`, message });
    if (seen.has(it.id)) at(['id'], `事项编号“${it.id}”重复`);
    seen.add(it.id);
    const rule = expr(it.rule, T.bool, ['items', i, 'rule'], label);
    const b = it.benefit;
    const benefit: Item['benefit'] = { kind: b.kind, quota: b.quota };
    // A cash amount or a discount is its own standard: words beside it can say something else
    // (the parts of a standard are separate items, as nx-10/nx-10b are).
    if (b.quota !== undefined && b.kind !== 'service' && b.kind !== 'priority') {
      at(['benefit', 'quota'], `只有 service、priority 待遇可以有 quota（本项为 ${b.kind}，标准以金额或比例为准；标准分几部分的，拆为几项，序号相同）`);
    }
    if (b.kind === 'cash_monthly') {
      if (!b.amount) at(['benefit'], '现金类待遇（cash_monthly）需要 amount');
      else benefit.amount = expr(b.amount, T.money, ['items', i, 'benefit', 'amount'], label) ?? undefined;
    } else if (b.amount) at(['benefit', 'amount'], `只有 cash_monthly 待遇可以有 amount（本项为 ${b.kind}）`);
    if (b.kind === 'discount') {
      if (!b.percent) at(['benefit'], '优惠类待遇（discount）需要 percent');
      else benefit.percent = expr(b.percent, T.int, ['items', i, 'benefit', 'percent'], label) ?? undefined;
    }
    if (b.kind === 'insurance') {
      const p = b.insurer ? parameters.get(b.insurer) : undefined;
      if (!b.insurer) at(['benefit'], '保险类待遇（insurance）需要 insurer（承保机构参数）');
      else if (!p || p.type !== 'text') at(['benefit', 'insurer'], `承保机构参数“${b.insurer}”未定义或不是文本参数`);
      else benefit.insurer = b.insurer;
    }
    for (const e of [rule, benefit.amount, benefit.percent]) {
      for (const name of e?.params ?? []) {
        const gap = missingFor.get(name);
        if (gap) at(e === rule ? ['rule'] : ['benefit'], `使用的参数“${name}”的取值期间有误：${gap}`);
      }
    }
    if (rule) items.push({ ...it, rule, benefit });
  });

  const groups = new Map<string, number[]>();
  for (const it of data.items) if (it.exclusive) groups.set(it.exclusive.group, [...(groups.get(it.exclusive.group) ?? []), it.exclusive.rank]);
  for (const [g, ranks] of groups) {
    if (ranks.length < 2) problems.push({ file, line: null, column: null, item: null, path: 'items', message: `互斥组“${g}”只有一个事项` });
    if (new Set(ranks).size !== ranks.length)
      problems.push({ file, line: null, column: null, item: null, path: 'items', message: `互斥组“${g}”中有相同的 rank` });
  }

  if (problems.length || !population) fail();
  const facts = new Set<string>(population!.facts);
  for (const it of items) for (const e of [it.rule, it.benefit.amount, it.benefit.percent]) e?.facts.forEach((f) => facts.add(f));
  // The birthday schedule reads a fact too: a stored decision must carry it to be re-explained.
  if (items.some((it) => it.when === 'birthday')) facts.add('birthdayInPeriod');
  const { population: _p, items: _i, parameters: _ps, ...head } = data;
  return {
    ...head,
    file,
    text,
    sha256: createHash('sha256').update(text).digest('hex'),
    population: population!,
    parameters,
    items,
    env,
    facts: FACTS.map((f) => f.name).filter((n) => facts.has(n) || n === 'active' || n === 'status'),
  };
}

/** Overlaps and gaps in a parameter's dated values, from the catalogue's effective date on. */
export function periodProblems(values: ParamValue[], effective: string): string[] {
  const out: string[] = [];
  if (values.length === 0) return out;
  if (values[0]!.from > effective) out.push(`${effective} 至 ${values[0]!.from} 之前没有取值（缺少该期间的参数）`);
  for (let i = 1; i < values.length; i++) {
    const prev = values[i - 1]!;
    const cur = values[i]!;
    if (cur.from === prev.from) out.push(`有两个取值都从 ${cur.from} 开始`);
    else if (prev.to && prev.to >= cur.from) out.push(`取值期间重叠：${prev.from}~${prev.to} 与 ${cur.from} 起`);
    else if (prev.to && dayAfter(prev.to) < cur.from) out.push(`${dayAfter(prev.to)} 至 ${cur.from} 之前没有取值（期间有空档）`);
  }
  const last = values[values.length - 1]!;
  if (last.to) out.push(`${last.to} 之后没有取值：最后一个取值不能设结束日期`);
  return out;
}

function ruleOffset(doc: Document, path: (string | number)[]): number {
  // Quoted scalars start one character before their text.
  const node = doc.getIn(path, true) as { type?: string } | undefined;
  return node?.type === 'QUOTE_DOUBLE' || node?.type === 'QUOTE_SINGLE' ? 1 : 0;
}

function itemLabel(raw: unknown, path: (string | number)[]): string | null {
  if (path[0] !== 'items' || typeof path[1] !== 'number') return null;
  const it = (raw as { items?: Record<string, unknown>[] }).items?.[path[1]];
  return it ? `${String(it.no ?? '?')} ${String(it.name ?? '')}（${String(it.id ?? '')}）`.trim() : null;
}

export function describe(p: CatalogueProblem): string {
  return `${p.file}${p.line ? ` 第 ${p.line} 行` : ''}${p.item ? ` 事项 ${p.item}` : ''}${p.path ? `（${p.path}）` : ''}：${p.message}`;
}
