import { z } from 'zod';

/**
 * The shape of a catalogue file (catalogues/<jurisdiction>/<effective-date>.yaml). Each item is
 * the seed table's row (target group, name, content, type, department, "*" mark, number) plus a
 * rule and a benefit. Amounts are parameters with dated values, never literals in rules.
 */
const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
// YAML reads 2023-10-31 as a string only when quoted; accept a Date too and normalise.
const dateLike = z.union([civilDate, z.date().transform((d) => d.toISOString().slice(0, 10))]);
const ident = z.string().regex(/^[a-z][a-z0-9_]*$/, '名称只能由小写字母、数字和下划线组成，且以字母开头');

export const SERVICE_TYPES = ['物质帮助', '照护服务', '关爱服务'] as const;
export const BENEFIT_KINDS = ['cash_monthly', 'discount', 'service', 'insurance', 'priority'] as const;
export const SCHEDULES = ['monthly', 'birthday', 'chongyang'] as const;

export const parameterValueSchema = z
  .object({
    from: dateLike,
    to: dateLike.nullish(),
    /** null: the seed leaves the figure open and an administrator must set it */
    value: z.union([z.number(), z.string(), z.null()]),
    source: z.string().min(1, '每个取值都应注明出处'),
  })
  .strict();

export const parameterSchema = z
  .object({
    name: ident,
    label: z.string().min(1),
    type: z.enum(['money', 'int', 'text']),
    unit: z.string().optional(),
    values: z.array(parameterValueSchema).min(1, '至少需要一个取值'),
  })
  .strict();

export const benefitSchema = z
  .object({
    kind: z.enum(BENEFIT_KINDS),
    /** cash_monthly: amount in fen, an expression of money type */
    amount: z.string().optional(),
    /** discount: percentage off (100 = free), an expression of int type */
    percent: z.string().optional(),
    /** service, priority: what is provided, in words ("每年1次") */
    quota: z.string().optional(),
    /** insurance: the text parameter naming the insurer */
    insurer: ident.optional(),
  })
  .strict();

export const itemSchema = z
  .object({
    id: z.string().regex(/^[a-z]+-[0-9]+[a-z]?$/, '编号形如 nx-10 或 nx-10b'),
    no: z.union([z.string(), z.number()]).transform(String),
    local: z.boolean().default(false),
    target: z.string().min(1),
    name: z.string().min(1),
    content: z.string().min(1),
    types: z.array(z.enum(SERVICE_TYPES)).min(1),
    department: z.string().nullish(),
    when: z.enum(SCHEDULES).default('monthly'),
    rule: z.string().min(1),
    benefit: benefitSchema,
    /** mutually exclusive items ("不重复享受"): of those granted in a group, the lowest rank wins */
    exclusive: z.object({ group: ident, rank: z.number().int() }).strict().optional(),
    source: z.string().min(1),
    note: z.string().optional(),
  })
  .strict();

export const catalogueFileSchema = z
  .object({
    jurisdiction: ident,
    title: z.string().min(1),
    effective: dateLike,
    source: z.string().min(1),
    /** who the catalogue considers at all, e.g. "active" (on the register during the period) */
    population: z.string().min(1),
    notes: z.array(z.string()).default([]),
    /**
     * The document defines only some of the jurisdiction's items (it names a catalogue without
     * listing it): what it lists, and no more. Said beside the catalogue's title wherever it is shown.
     */
    partial: z.boolean().default(false),
    parameters: z.array(parameterSchema).default([]),
    items: z.array(itemSchema).min(1),
  })
  .strict();

export type CatalogueFile = z.infer<typeof catalogueFileSchema>;
export type ItemFile = z.infer<typeof itemSchema>;
export type ParameterFile = z.infer<typeof parameterSchema>;

/** A problem found when loading a catalogue: where (file, line, item) and why. */
export interface CatalogueProblem {
  file: string;
  line: number | null;
  column: number | null;
  item: string | null;
  path: string;
  message: string;
}

/** A person as a case file or the self-check states it (catalogue/profile.ts, from the fact declarations). */
export { profileSchema, type Profile } from './profile.js';
import { profileSchema } from './profile.js';

/* ---- the catalogue's HTTP API: what the console reads and sends (its types are the console's) ---- */

export const jurisdictionParams = z.object({ jurisdiction: ident });
export const catalogueQuery = z.object({ effective: z.string().optional() });
/** A jurisdiction's region code (default: the viewer's own jurisdiction). */
export const jurisdictionQuery = z.object({
  jurisdiction: z
    .string()
    .regex(/^\d{2,12}$/)
    .optional(),
});
export const inForceQuery = jurisdictionQuery;
export const parameterParams = jurisdictionParams.extend({ name: ident });
export const setParameterBody = z.object({ from: z.string(), value: z.union([z.string().max(200), z.number()]), note: z.string().max(500) });
export const setParameterReply = z.object({ name: z.string(), from: z.string(), value: z.union([z.number(), z.string()]) });

/** A sentence in both console languages. */
export const words = z.object({ zh: z.string(), en: z.string() });

/** A parameter's value over a span of dates, with its source (money in fen). */
export const usedParam = z.object({
  value: z.union([z.number(), z.string(), z.null()]),
  from: z.string(),
  to: z.string().nullable(),
  source: z.string(),
  sourceEn: z.string().optional(),
});
export const catalogueView = z.object({
  jurisdiction: z.string(),
  title: z.string(),
  effective: z.string(),
  source: z.string(),
  notes: z.array(z.string()),
  file: z.string(),
  sha256: z.string(),
  population: z.string(),
  partial: z.boolean(),
  active: z.boolean(),
  versions: z.array(z.string()),
  /** every catalogue on disk: its title, whether partial, whether in force where the viewer works */
  jurisdictions: z.array(z.object({ jurisdiction: z.string(), title: z.string(), partial: z.boolean(), inUse: z.boolean() })),
  /** the jurisdictions, among the viewer's, that run this catalogue now */
  inForceIn: z.array(z.object({ code: z.string(), name: z.string() })),
  /** whether the viewer may change its parameters (a jurisdiction running it is within their region) */
  mayChange: z.boolean(),
  items: z.array(
    z.object({
      id: z.string(),
      no: z.string(),
      local: z.boolean(),
      target: z.string(),
      name: z.string(),
      content: z.string(),
      types: z.array(z.string()),
      department: z.string().nullable(),
      when: z.enum(SCHEDULES),
      /** the rule's code, for the bureau's catalogue page; the public pages show `sentence` only */
      rule: z.string(),
      /** who the item is for, in words made from the rule ("年满80周岁且为本地户籍") */
      sentence: words,
      /** what a cash item pays or a discount takes off, in words, with the parameters' current values; null for other kinds */
      amountSentence: words.nullable(),
      source: z.string(),
      note: z.string().nullable(),
      exclusive: z.object({ group: z.string(), rank: z.number() }).nullable(),
      benefit: z.object({
        kind: z.enum(BENEFIT_KINDS),
        amount: z.string().nullable(),
        percent: z.string().nullable(),
        quota: z.string().nullable(),
        insurer: z.string().nullable(),
      }),
      params: z.array(z.string()),
    }),
  ),
  parameters: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      type: z.enum(['money', 'int', 'text']),
      unit: z.string().nullable(),
      current: usedParam.nullable(),
      values: z.array(usedParam),
      overrides: z.array(
        z.object({ from: z.string(), value: z.union([z.number(), z.string(), z.null()]), note: z.string(), setBy: z.string(), setAt: z.string() }),
      ),
    }),
  ),
  /** the person facts rules read, with their labels and value labels */
  facts: z.array(z.object({ name: z.string(), label: z.string(), labelEn: z.string(), type: z.string(), values: z.record(z.string(), z.string()).nullable() })),
});

export type ParamType = CatalogueView['parameters'][number]['type'];
export type BenefitKind = (typeof BENEFIT_KINDS)[number];
export type Schedule = (typeof SCHEDULES)[number];
export type UsedParam = z.infer<typeof usedParam>;
export type CatalogueView = z.infer<typeof catalogueView>;
export type CatalogueItem = CatalogueView['items'][number];
export type CatalogueParameter = CatalogueView['parameters'][number];
export type ParameterOverride = CatalogueParameter['overrides'][number];
export type FactInfo = CatalogueView['facts'][number];
export type SetParameterBody = z.infer<typeof setParameterBody>;
/** The public self-check form as it is sent (defaults filled by the server). */
export type SelfCheckProfile = z.input<typeof profileSchema>;
