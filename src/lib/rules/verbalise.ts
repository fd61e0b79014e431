import type { Type } from './check.js';
import type { Words } from './facts.js';
import type { CmpOp, Node } from './syntax.js';

/**
 * A rule in words: the AST of a type-checked rule → one sentence in Chinese or English, made from
 * the facts' and parameters' labels ("年满80周岁且为本地户籍"), never from the rule's code. What a
 * rule may say is small (and/or/not, comparisons, in-lists, known(), parameters, arithmetic,
 * conditionals), so every rule has words; a name the lexicon does not know is an error, not a
 * fallback to the identifier.
 */
export type Lang = 'zh' | 'en';

export interface FactPhrase {
  type: Type;
  /** the fact as a noun: 救助类别 / hardship category */
  noun: Words;
  /** a yes/no fact: what holding it says ("为本地户籍" / "has local household registration") and not holding it */
  yes?: Words;
  no?: Words;
  /** labels of the values (enum values, numbered grades) */
  values?: Record<string, Words>;
  /** how "fact == value" reads when it is a phrase of its own (sex == 'M' → 男性) */
  is?: Record<string, Words>;
  /** whole years: comparisons read 年满 N 周岁 / aged N or over */
  age?: boolean;
}

export interface ParamPhrase {
  label: Words;
  type: 'money' | 'int' | 'text';
  unit: string | null;
  /** the value in force (fen for money); null: not set yet */
  value: number | string | null;
}

export interface Lexicon {
  fact(name: string): FactPhrase | undefined;
  param(name: string): ParamPhrase | undefined;
}

export class VerbaliseError extends Error {}

/** 6000 fen → "60", 1250 → "12.50": amounts as a notice prints them. */
export function yuanWords(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  const cents = a % 100;
  return `${sign}${Math.floor(a / 100)}${cents ? `.${String(cents).padStart(2, '0')}` : ''}`;
}

const OP_WORDS: Record<Lang, Record<CmpOp, string>> = {
  zh: { '==': '为', '!=': '不为', '<': '低于', '<=': '不高于', '>': '高于', '>=': '不低于' },
  en: { '==': ' is ', '!=': ' is not ', '<': ' is less than ', '<=': ' is at most ', '>': ' is more than ', '>=': ' is at least ' },
};
/** The value that means "none" (无, 0): a list of the others is better said as "not X". */
const isNone = (k: string) => k === 'none' || k === '0' || k === '';
const NEGATED: Record<CmpOp, CmpOp> = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };
const MIRRORED: Record<CmpOp, CmpOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function holds(op: CmpOp, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** "A、B或C" / "A, B or C". */
export function listWords(parts: string[], lang: Lang, conj: 'or' | 'and' = 'or'): string {
  if (parts.length <= 1) return parts[0] ?? '';
  const last = parts[parts.length - 1]!;
  const head = parts.slice(0, -1);
  if (lang === 'zh') return `${head.join('、')}${conj === 'or' ? '或' : '和'}${last}`;
  return `${head.join(', ')} ${conj} ${last}`;
}

export interface VerbaliseOptions {
  /** how an int literal in the result reads (a discount: 100 → 免费, 50 → 减免50%) */
  literal?: (n: number, lang: Lang) => string;
}

/** A boolean rule in words. */
export function verbalise(root: Node, lex: Lexicon, lang: Lang): string {
  return new Speaker(lex, lang, {}).cond(root);
}

/** An amount, percentage or other value in words (a conditional reads by cases). */
export function verbaliseValue(root: Node, lex: Lexicon, lang: Lang, opts: VerbaliseOptions = {}): string {
  return new Speaker(lex, lang, opts).val(root, true);
}

class Speaker {
  constructor(
    private lex: Lexicon,
    private lang: Lang,
    private opts: VerbaliseOptions,
  ) {}

  private w(words: Words): string {
    return words[this.lang];
  }
  private zh(): boolean {
    return this.lang === 'zh';
  }

  private fact(n: Node): FactPhrase | undefined {
    if (n.k !== 'name') return undefined;
    const f = this.lex.fact(n.name);
    if (!f && !this.lex.param(n.name)) throw new VerbaliseError(`no words for “${n.name}”`);
    return f;
  }

  private valueLabel(f: FactPhrase, v: string | number): string {
    const l = f.values?.[String(v)];
    return l ? this.w(l) : String(v);
  }

  /** Whether a phrase is a list or a clause of its own: an "or" around it is said with commas. */
  private complex(text: string): boolean {
    return this.zh() ? /[、或且，；]/.test(text) : /,| or | and |;/.test(text);
  }

  cond(n: Node): string {
    switch (n.k) {
      case 'bool':
        return n.value ? (this.zh() ? '所有人均符合' : 'everyone') : this.zh() ? '无人符合' : 'no one';
      case 'name': {
        const f = this.fact(n);
        if (f?.yes) return this.w(f.yes);
        return this.val(n);
      }
      case 'not':
        return this.negate(n.arg);
      case 'logic':
        return this.logic(n.op, n.args);
      case 'cmp':
        return this.cmp(n.op, n.left, n.right);
      case 'in':
        return this.inList(n.left, n.list, n.negated);
      case 'call':
        if (n.fn === 'known') return this.known(n.args[0]!, true);
        return this.val(n);
      case 'cond':
        return this.zh()
          ? `若${this.cond(n.test)}，则${this.cond(n.then)}，否则${this.cond(n.else)}`
          : `if ${this.cond(n.test)} then ${this.cond(n.then)}, otherwise ${this.cond(n.else)}`;
      default:
        return this.val(n);
    }
  }

  private negate(n: Node): string {
    switch (n.k) {
      case 'bool':
        return this.cond({ ...n, value: !n.value });
      case 'name': {
        const f = this.fact(n);
        if (f?.no) return this.w(f.no);
        break;
      }
      case 'not':
        return this.cond(n.arg);
      case 'cmp':
        return this.cmp(NEGATED[n.op], n.left, n.right);
      case 'in':
        return this.inList(n.left, n.list, !n.negated);
      case 'logic':
        // De Morgan: "not (A or B)" reads "not A and not B"
        return this.logic(
          n.op === 'and' ? 'or' : 'and',
          n.args.map((a) => ({ k: 'not', arg: a, at: a.at, end: a.end }) as Node),
        );
      case 'call':
        if (n.fn === 'known') return this.known(n.args[0]!, false);
        break;
      default:
        break;
    }
    return this.zh() ? `并非${this.cond(n)}` : `not (${this.cond(n)})`;
  }

  private known(arg: Node, yes: boolean): string {
    const f = this.fact(arg);
    if (f?.yes) return this.zh() ? `${yes ? '已知' : '未知'}是否${this.w(f.yes)}` : `it is ${yes ? '' : 'not '}known whether the person ${this.w(f.yes)}`;
    const what = this.val(arg);
    return this.zh() ? `${yes ? '已知' : '未知'}${what}` : `${what} is ${yes ? '' : 'not '}known`;
  }

  private logic(op: 'and' | 'or', args: Node[]): string {
    if (op === 'and') {
      // an "or" or a conditional inside an "and" is bracketed: 年满60周岁且（独居或空巢）
      const parts = args.map((a) => {
        const t = this.cond(a);
        const bracket = (a.k === 'logic' && a.op === 'or') || a.k === 'cond';
        return bracket ? (this.zh() ? `（${t}）` : `(${t})`) : t;
      });
      return parts.join(this.zh() ? '且' : ' and ');
    }
    const parts = args.map((a) => this.cond(a));
    if (parts.some((p) => this.complex(p))) return parts.join(this.zh() ? '，或' : '; or ');
    return listWords(parts, this.lang, 'or');
  }

  private cmp(op: CmpOp, left: Node, right: Node): string {
    // the fact on the left: 80 <= age reads as age >= 80
    if (!this.isFact(left) && this.isFact(right)) return this.cmp(MIRRORED[op], right, left);
    const f = this.fact(left);
    if (f && left.k === 'name') {
      if (f.age) return this.age(op, right);
      if (right.k === 'bool' && f.yes && f.no) {
        const yes = (op === '==') === right.value;
        return this.w(yes ? f.yes : f.no);
      }
      const lit = right.k === 'text' || right.k === 'int' ? right.value : undefined;
      if (lit !== undefined && f.values && (f.type.t === 'enum' || f.type.t === 'int')) {
        const keys = Object.keys(f.values);
        const chosen =
          f.type.t === 'int'
            ? keys.filter((k) => holds(op, Number(k), Number(lit)))
            : op === '=='
              ? keys.filter((k) => k === lit)
              : op === '!='
                ? keys.filter((k) => k !== lit)
                : null;
        // "not X" reads as itself when the rest would name "none" among the values (救助类别不为特困（集中供养）)
        if (f.type.t === 'enum' && op === '!=' && chosen?.some(isNone)) return this.isNoneOf(f, [String(lit)]);
        if (chosen && chosen.length > 0) return this.isOneOf(f, chosen);
      }
    }
    return `${this.val(left)}${OP_WORDS[this.lang][op]}${this.val(right)}`;
  }

  private isFact(n: Node): boolean {
    return n.k === 'name' && this.lex.fact(n.name) !== undefined;
  }

  /** "救助类别为低保或低保边缘"; a value with a phrase of its own reads as that phrase (男性). */
  private isOneOf(f: FactPhrase, keys: string[]): string {
    if (keys.length === 1 && f.is?.[keys[0]!]) return this.w(f.is[keys[0]!]!);
    const values = listWords(
      keys.map((k) => this.valueLabel(f, k)),
      this.lang,
    );
    return this.zh() ? `${this.w(f.noun)}为${values}` : `${this.w(f.noun)} is ${values}`;
  }

  /** "救助类别不为低保或低保边缘" / "hardship category is neither dibao nor near-dibao". */
  private isNoneOf(f: FactPhrase, keys: string[]): string {
    const labels = keys.map((k) => this.valueLabel(f, k));
    if (this.zh()) return `${this.w(f.noun)}不为${listWords(labels, 'zh')}`;
    if (labels.length === 1) return `${this.w(f.noun)} is not ${labels[0]}`;
    if (labels.length === 2) return `${this.w(f.noun)} is neither ${labels[0]} nor ${labels[1]}`;
    return `${this.w(f.noun)} is none of ${labels.join(', ')}`;
  }

  private age(op: CmpOp, right: Node): string {
    const n = this.val(right);
    if (this.zh()) {
      const zh: Record<CmpOp, string> = {
        '>=': `年满${n}周岁`,
        '>': `年龄超过${n}周岁`,
        '<': `未满${n}周岁`,
        '<=': `年龄不超过${n}周岁`,
        '==': `年龄为${n}周岁`,
        '!=': `年龄不是${n}周岁`,
      };
      return zh[op];
    }
    const en: Record<CmpOp, string> = {
      '>=': `aged ${n} or over`,
      '>': `older than ${n}`,
      '<': `under ${n}`,
      '<=': `aged ${n} or under`,
      '==': `aged ${n}`,
      '!=': `not aged ${n}`,
    };
    return en[op];
  }

  private inList(left: Node, list: Node, negated: boolean): string {
    const f = this.fact(left);
    const items = list.k === 'list' ? list.items : [];
    const literals = items.every((i) => i.k === 'text' || i.k === 'int');
    if (f && f.values && literals && items.length && list.k === 'list') {
      const keys = items.map((i) => String((i as { value: string | number }).value));
      if (!negated) return this.isOneOf(f, keys);
      const rest = Object.keys(f.values).filter((k) => !keys.includes(k));
      if (rest.length && !rest.some(isNone)) return this.isOneOf(f, rest);
      return this.isNoneOf(f, keys);
    }
    const what = this.val(left);
    const among =
      list.k === 'list'
        ? listWords(
            list.items.map((i) => this.val(i)),
            this.lang,
          )
        : this.val(list);
    if (this.zh()) return `${what}${negated ? '不是' : '是'}${among}${items.length > 1 ? '之一' : ''}`;
    return `${what} is ${negated ? 'not ' : ''}${items.length > 1 ? 'one of ' : ''}${among}`;
  }

  private param(p: ParamPhrase): string {
    const label = this.w(p.label);
    if (p.value === null) return this.zh() ? `${label}（标准待定）` : `${label} (not yet set)`;
    let v: string;
    if (p.type === 'money' && typeof p.value === 'number') {
      const unit = p.unit ?? '元';
      v = this.zh()
        ? `${yuanWords(p.value)}${unit.startsWith('元') ? unit : `元${unit}`}`
        : `${yuanWords(p.value)} ${unit === '元/月' ? 'yuan a month' : 'yuan'}`;
    } else v = `${p.value}${p.unit ?? ''}`;
    return this.zh() ? `${label}（现为${v}）` : `${label} (now ${v})`;
  }

  /** A value in words; `result`: the value an expression gives (an amount), where a literal reads by `opts.literal`. */
  val(n: Node, result = false): string {
    switch (n.k) {
      case 'int':
        return result && this.opts.literal ? this.opts.literal(n.value, this.lang) : String(n.value);
      case 'text':
        return this.zh() ? `“${n.value}”` : `"${n.value}"`;
      case 'bool':
        return this.cond(n);
      case 'name': {
        const f = this.lex.fact(n.name);
        if (f) return this.w(f.noun);
        const p = this.lex.param(n.name);
        if (p) return this.param(p);
        throw new VerbaliseError(`no words for “${n.name}”`);
      }
      case 'list':
        return listWords(
          n.items.map((i) => this.val(i)),
          this.lang,
        );
      case 'neg':
        return this.zh() ? `负${this.val(n.arg)}` : `minus ${this.val(n.arg)}`;
      case 'arith': {
        const zh = { '+': '加', '-': '减', '*': '乘以' } as const;
        const en = { '+': ' plus ', '-': ' minus ', '*': ' times ' } as const;
        return `${this.val(n.left)}${(this.zh() ? zh : en)[n.op]}${this.val(n.right)}`;
      }
      case 'call':
        return this.call(n);
      case 'cond': {
        if (!result) return this.cond(n);
        // by cases: 年满100周岁的，A；年满90周岁的，B；其余，C
        const cases: [Node, Node][] = [];
        let at: Node = n;
        while (at.k === 'cond') {
          cases.push([at.test, at.then]);
          at = at.else;
        }
        if (this.zh()) return [...cases.map(([t, v]) => `${this.cond(t)}的，${this.val(v, true)}`), `其余，${this.val(at, true)}`].join('；');
        return [...cases.map(([t, v]) => `${this.val(v, true)} if ${this.cond(t)}`), `otherwise ${this.val(at, true)}`].join('; ');
      }
      default:
        return this.cond(n);
    }
  }

  private call(n: Extract<Node, { k: 'call' }>): string {
    const args = n.args.map((a) => this.val(a));
    switch (n.fn) {
      case 'known':
        return this.known(n.args[0]!, true);
      case 'percent': {
        // a base by cases is bracketed: （城镇的，A；其余，B）的20%
        const base = n.args[0]!;
        const b = base.k === 'cond' ? (this.zh() ? `（${this.val(base, true)}）` : `(${this.val(base, true)})`) : args[0]!;
        const pct = n.args[1]!;
        if (pct.k === 'int') return this.zh() ? `${b}的${pct.value}%` : `${pct.value}% of ${b}`;
        // a percentage parameter prints its own unit: 城市低保标准乘以增发比例（现为20%）
        return this.zh() ? `${b}乘以${args[1]}` : `${b} times ${args[1]}`;
      }
      case 'min':
        return this.zh() ? `${listWords(args, 'zh', 'and')}中较低者` : `the lower of ${listWords(args, 'en', 'and')}`;
      case 'max':
        return this.zh() ? `${listWords(args, 'zh', 'and')}中较高者` : `the higher of ${listWords(args, 'en', 'and')}`;
      case 'yuan':
        return this.zh() ? `${args[0]}元` : `${args[0]} yuan`;
      default:
        throw new VerbaliseError(`no words for the function “${n.fn}”`);
    }
  }
}
