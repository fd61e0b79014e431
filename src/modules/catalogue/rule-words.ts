import type { Words } from '../../lib/rules/facts.js';
import { verbalise, verbaliseValue, type FactPhrase, type Lang, type Lexicon, type ParamPhrase } from '../../lib/rules/verbalise.js';
import { today } from '../../platform/time.js';
import type { Catalogue, Item, Parameter } from './catalogue.loader.js';
import { valueOn } from './engine.js';
import { DECLARATIONS } from './facts.js';

/**
 * The catalogue's rules in words (the catalogue page, the self-check): the rule language's
 * verbaliser (lib/rules/verbalise.ts) with the facts' declared labels, and the phrases a sentence
 * needs that a label is not — how a yes/no fact reads when it holds and when it does not ("为本地
 * 户籍" / "非本地户籍"), English value labels in running text. A fact declared later and not listed
 * here still reads, from its label ("非" + label), never as its name.
 */
const w = (zh: string, en: string): Words => ({ zh, en });

type Phrase = Partial<Omit<FactPhrase, 'type'>>;
const PHRASES: Record<string, Phrase> = {
  age: { noun: w('年龄', 'age'), age: true },
  active: { yes: w('在本期内在册', 'is on the register during the period'), no: w('本期不在册', 'is not on the register during the period') },
  birthdayInPeriod: { yes: w('生日在本月', 'has a birthday this month'), no: w('生日不在本月', 'has no birthday this month') },
  hukouLocal: { yes: w('为本地户籍', 'has local household registration'), no: w('非本地户籍', 'does not have local household registration') },
  urban: { yes: w('居住在城镇社区', 'lives in an urban community'), no: w('居住在农村', 'lives in a rural village') },
  medicalInsured: { yes: w('参加基本医疗保险', 'is in basic medical insurance'), no: w('未参加基本医疗保险', 'is not in basic medical insurance') },
  livingAlone: { yes: w('独居', 'lives alone'), no: w('非独居', 'does not live alone') },
  emptyNest: { yes: w('空巢', 'is an empty-nester'), no: w('非空巢', 'is not an empty-nester') },
  leftBehind: { yes: w('留守', 'is left behind'), no: w('非留守', 'is not left behind') },
  solitary: { yes: w('孤寡', 'is solitary (no family to rely on)'), no: w('非孤寡', 'is not solitary') },
  specialFamily: { yes: w('属于计生特殊家庭', 'is of a special family (family planning)'), no: w('不属于计生特殊家庭', 'is not of a special family') },
  longTermCare: { yes: w('需要长期照护', 'needs long-term care'), no: w('不需要长期照护', 'does not need long-term care') },
  activeServiceFamily: { yes: w('为现役军人家属', 'is family of a serving soldier'), no: w('非现役军人家属', 'is not family of a serving soldier') },
  specialContribution: {
    yes: w('有特殊贡献（见义勇为等）', 'made a special contribution (such as a brave deed)'),
    no: w('无特殊贡献', 'made no special contribution'),
  },
  vagrant: { yes: w('为流浪乞讨救助对象', 'is a vagrant under relief'), no: w('非流浪乞讨救助对象', 'is not a vagrant under relief') },
  sex: { is: { M: w('男性', 'a man'), F: w('女性', 'a woman') } },
  hardship: { noun: w('救助类别', 'hardship category') },
  ltcGrade: { noun: w('失能等级', 'long-term-care grade') },
  disabilityGrade: {
    noun: w('残疾等级', 'disability grade'),
    values: { 0: w('无残疾', 'none'), 1: w('一级', '1'), 2: w('二级', '2'), 3: w('三级', '3'), 4: w('四级', '4') },
  },
  status: { noun: w('户籍状态', 'register status') },
};

/** "年龄（周岁，按本期末日计）" → "年龄": a label's aside stays out of a sentence. */
const bare = (s: string) => s.replace(/[（(][^）)]*[）)]/g, '').trim();
/** English labels of values in running text: "Dibao (minimum living allowance)" → "dibao (…)". */
const lower = (s: string) => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

const FACT_PHRASES = new Map<string, FactPhrase>(
  DECLARATIONS.map((d) => {
    const p = PHRASES[d.name] ?? {};
    const noun = p.noun ?? w(bare(d.label.zh), bare(d.label.en));
    const values = p.values ?? (d.values ? Object.fromEntries(Object.entries(d.values).map(([k, v]) => [k, w(v.zh, lower(v.en))])) : undefined);
    const yesNo = d.type.t === 'bool' ? { yes: p.yes ?? noun, no: p.no ?? w(`非${noun.zh}`, `not ${noun.en}`) } : ({} as { yes?: Words; no?: Words });
    return [d.name, { type: d.type, noun, ...yesNo, ...(values ? { values } : {}), ...(p.is ? { is: p.is } : {}), ...(p.age ? { age: true } : {}) }];
  }),
);

export interface ParamInfo {
  label: string;
  type: Parameter['type'];
  unit: string | null;
  value: number | string | null;
}

/** The words of facts and of these parameters (their labels are Chinese only: the catalogue files name them so). */
export function lexicon(params: Map<string, ParamInfo>): Lexicon {
  return {
    fact: (name) => FACT_PHRASES.get(name),
    param: (name): ParamPhrase | undefined => {
      const p = params.get(name);
      return p ? { label: w(p.label, p.label), type: p.type, unit: p.unit, value: p.value } : undefined;
    },
  };
}

/** The catalogue's parameters with their values: `values` where it names one (a period's, the console's current), else the file's today. */
export function catalogueLexicon(cat: Catalogue, values: Record<string, number | string | null>): Lexicon {
  const on = today();
  const params = new Map<string, ParamInfo>();
  for (const p of cat.parameters.values()) {
    const value = p.name in values ? values[p.name]! : (valueOn(p, [], on)?.value ?? null);
    params.set(p.name, { label: p.label, type: p.type, unit: p.unit, value });
  }
  return lexicon(params);
}

const both = (say: (lang: Lang) => string): Words => ({ zh: say('zh'), en: say('en') });

/** Who an item is for, in words, in both languages. */
export function ruleWords(cat: Catalogue, item: Item, values: Record<string, number | string | null>): Words {
  const lex = catalogueLexicon(cat, values);
  return both((lang) => verbalise(item.rule.ast, lex, lang));
}

const PERCENT = (n: number, lang: Lang) => (n >= 100 ? (lang === 'zh' ? '免费' : 'free') : lang === 'zh' ? `减免${n}%` : `${n}% off`);

/** What a cash item pays or a discount takes off, in words; null for items without an amount. */
export function amountWords(cat: Catalogue, item: Item, values: Record<string, number | string | null>): Words | null {
  const e = item.benefit.amount ?? item.benefit.percent;
  if (!e) return null;
  const lex = catalogueLexicon(cat, values);
  const opts = item.benefit.percent ? { literal: PERCENT } : {};
  return both((lang) => verbaliseValue(e.ast, lex, lang, opts));
}
