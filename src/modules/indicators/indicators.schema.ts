import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';

/** Requests and answers of the indicators module: values, breakdowns, series, drill-down, report. */

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应为 YYYY-MM');
const regionCode = z.string().regex(/^\d{2,12}$/, '地区代码应为 2-12 位数字');
const text = z.object({ zh: z.string(), en: z.string() });

export const indicatorUnit = z.enum(['percent', 'per10k', 'per100', 'count']);
export const indicatorPeriod = z.enum(['month', 'quarter', 'year']);
export const indicatorStatus = z.enum(['met', 'not_met', 'no_target', 'no_data']);
export const memberKind = z.enum(['person', 'facility', 'provider', 'region', 'complaint', 'alarm', 'staff', 'bed', 'household']);
export const flagKind = z.enum(['outlier_siblings', 'outlier_series', 'does_not_add_up']);

export const regionRef = z.object({ code: z.string(), name: z.string(), level: z.string(), kind: z.string() });
export type RegionRef = z.infer<typeof regionRef>;

export const indicatorTarget = z.object({
  value: z.number(),
  comparator: z.enum(['atLeast', 'atMost']),
  /** 约束性 / 预期性 as the seed prints it */
  attribute: text,
  source: text,
});
export type IndicatorTarget = z.infer<typeof indicatorTarget>;

export const indicatorFlag = z.object({ kind: flagKind, message: text });
export type IndicatorFlag = z.infer<typeof indicatorFlag>;

/** One indicator's figure for one region and month. `value` is null when the denominator is 0. */
export const indicatorValue = z.object({
  key: z.string(),
  seedRow: z.number().int().nullable(),
  category: text,
  name: text,
  unit: indicatorUnit,
  period: indicatorPeriod,
  numerator: z.number(),
  /** null for a count indicator */
  denominator: z.number().nullable(),
  value: z.number().nullable(),
  target: indicatorTarget.nullable(),
  status: indicatorStatus,
  drill: memberKind,
  reading: text,
  flags: z.array(indicatorFlag),
});
export type IndicatorValue = z.infer<typeof indicatorValue>;

export const valuesQuery = z.object({ period: month.optional(), region: regionCode.optional() }).strict();
export type ValuesQuery = z.infer<typeof valuesQuery>;
/** GET /api/indicators: every indicator for a region (default: the viewer's own) and month (default: this one). */
export const valuesReply = z.object({
  period: month,
  region: regionRef,
  /** the region's path from the viewer's top region down, for a breadcrumb */
  path: z.array(regionRef),
  children: z.array(regionRef),
  computedAt: z.string().nullable(),
  items: z.array(indicatorValue),
});
export type ValuesReply = z.infer<typeof valuesReply>;

export const keyParam = z.object({ key: z.string().regex(/^[a-zA-Z0-9]{1,40}$/) });

export const breakdownItem = z.object({
  region: regionRef,
  numerator: z.number(),
  denominator: z.number().nullable(),
  value: z.number().nullable(),
  status: indicatorStatus,
  flags: z.array(indicatorFlag),
});
export type BreakdownItem = z.infer<typeof breakdownItem>;
/** GET /api/indicators/:key/regions: the region's figure and its children's, and what no child holds. */
export const breakdownReply = z.object({
  period: month,
  indicator: indicatorValue,
  region: regionRef,
  items: z.array(breakdownItem),
  /**
   * the region's figure less its children's sum: what is registered at the region itself (本级直属 / "at this level
   * itself"; facilities and staff usually, persons only by a register error, flagged); null when they add up
   */
  unallocated: z.object({ numerator: z.number(), denominator: z.number().nullable() }).nullable(),
});
export type BreakdownReply = z.infer<typeof breakdownReply>;

export const seriesQuery = z
  .object({ region: regionCode.optional(), to: month.optional(), months: z.coerce.number().int().min(2).max(60).default(12) })
  .strict();
export type SeriesQuery = z.infer<typeof seriesQuery>;
export const seriesPoint = z.object({
  period: month,
  numerator: z.number(),
  denominator: z.number().nullable(),
  value: z.number().nullable(),
  status: indicatorStatus,
});
export type SeriesPoint = z.infer<typeof seriesPoint>;
/** GET /api/indicators/:key/series: the months computed, oldest first (a month never computed is absent). */
export const seriesReply = z.object({ key: z.string(), region: regionRef, points: z.array(seriesPoint) });
export type SeriesReply = z.infer<typeof seriesReply>;

export const memberPart = z.enum(['numerator', 'denominator', 'gap']);
export const membersQuery = z.object({ period: month.optional(), region: regionCode.optional(), part: memberPart.default('numerator'), ...paging }).strict();
export type MembersQuery = z.infer<typeof membersQuery>;
export const memberItem = z.object({
  kind: memberKind,
  id: z.union([z.number(), z.string()]),
  name: z.string(),
  region: z.object({ code: z.string(), name: z.string() }),
  detail: text,
  inNumerator: z.boolean(),
  /** a person's masked ID number, sex and age (person drill-downs only) */
  idMasked: z.string().nullable(),
  sex: z.string().nullable(),
  age: z.number().int().nullable(),
});
export type MemberItem = z.infer<typeof memberItem>;
/** GET /api/indicators/:key/members: the people or things behind a figure, audited. */
export const membersReply = pageOf(memberItem).extend({ key: z.string(), part: memberPart, period: month, region: regionRef });
export type MembersReply = z.infer<typeof membersReply>;

/** GET /api/indicators/definitions: how each indicator is computed, and the seed rows that are not. */
export const definitionItem = z.object({
  key: z.string(),
  seedRow: z.number().int().nullable(),
  category: text,
  name: text,
  unit: indicatorUnit,
  period: indicatorPeriod,
  numerator: text,
  denominator: text,
  target: indicatorTarget.nullable(),
  reading: text,
  sources: z.array(z.string()),
});
export type DefinitionItem = z.infer<typeof definitionItem>;
export const unsupportedRow = z.object({ seedRow: z.number().int(), category: text, name: text, target: z.string(), attribute: text, reason: text });
export type UnsupportedRow = z.infer<typeof unsupportedRow>;
export const definitionsReply = z.object({ items: z.array(definitionItem), unsupported: z.array(unsupportedRow) });
export type DefinitionsReply = z.infer<typeof definitionsReply>;

export const reportQuery = z.object({ quarter: z.string().regex(/^\d{4}Q[1-4]$/, '季度应为 YYYYQn'), region: regionCode.optional() }).strict();
export type ReportQuery = z.infer<typeof reportQuery>;
/** A row of the quarterly report, in seed 001's layout: supported rows carry the figure, the others the reason. */
export const reportRow = z.object({
  seedRow: z.number().int().nullable(),
  key: z.string().nullable(),
  category: text,
  name: text,
  target: z.string(),
  attribute: text,
  unit: indicatorUnit.nullable(),
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  status: indicatorStatus,
  reason: text.nullable(),
});
export type ReportRow = z.infer<typeof reportRow>;
/**
 * GET /api/indicators/report: the quarter's figures for the printable report. Flow indicators
 * (cases handled in time, visits made) are summed over `months`; the others are as of `period`,
 * the last of them.
 */
export const reportReply = z.object({
  quarter: z.string(),
  period: month,
  /** the months read, oldest first: the quarter's three, or those so far while it runs */
  months: z.array(month),
  /** the quarter has not ended: its figures are so far, stock ones as of today */
  running: z.boolean(),
  region: regionRef,
  computedAt: z.string().nullable(),
  /** seed 001's 19 rows in order */
  rows: z.array(reportRow),
  /** the indicators the other seeds name, not in 001's table */
  others: z.array(reportRow),
});
export type ReportReply = z.infer<typeof reportReply>;

export const refreshBody = z.object({ full: z.boolean().optional(), period: month.optional() }).strict();
export type RefreshBody = z.infer<typeof refreshBody>;
export const refreshReply = z.object({
  mode: z.enum(['full', 'incremental']),
  periods: z.array(month),
  /** persons whose facts were recomputed */
  persons: z.number().int(),
  ms: z.number(),
  computedAt: z.string(),
});
export type RefreshReply = z.infer<typeof refreshReply>;

/** GET /api/indicators/:key/members.xlsx: the members list as a file (no paging; the export cap applies). */
export const membersExportQuery = z
  .object({ period: month.optional(), region: regionCode.optional(), part: memberPart.default('numerator'), lang: z.enum(['zh', 'en']).optional() })
  .strict();
export type MembersExportQuery = z.infer<typeof membersExportQuery>;
/** GET /api/indicators/export.xlsx: the values of a region and month, one sheet per level below. */
export const exportQuery = valuesQuery.extend({ lang: z.enum(['zh', 'en']).optional() }).strict();
export type ExportQuery = z.infer<typeof exportQuery>;
