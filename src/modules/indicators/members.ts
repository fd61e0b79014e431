import ExcelJS from 'exceljs';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { reachedPersons, reachLimited, requireAction, type Scope } from '../../platform/scope.js';
import { prefixUpperBound } from '../../db/dialect.js';
import { ZONE } from '../../platform/time.js';
import { addSheet, EXPORT_MAX_ROWS, xlsxSheet } from '../../platform/xlsx.js';
import { memberOrder, type IndicatorDef, type Member, type Span } from './contract.js';
import { defaultRegistry, monthOf, personRules, sourceMapping, spanOf, type Registry } from './engine.js';
import type { MemberItem, MembersQuery, MembersReply, ValuesReply } from './indicators.schema.js';
import { definitionOf, ensureMonth, indicatorValues, regionFor, regionRef } from './reads.js';
import { readBlocks } from './facts.js';
import { lastRefresh } from './refresh.js';
import { figure } from './values.js';

/**
 * Drill-down (issue 20): the people or things behind a figure. A person indicator lists persons
 * from the month's facts by their bits in the region's code range — the numerator, the
 * denominator, or the gap (in the denominator, not the numerator: whom an officer acts on) — named
 * through the register's masked cards; an aggregate indicator asks its source. Every list is an
 * audited read naming the persons shown.
 */
type Part = MembersQuery['part'];

/** The bits a part selects: rows whose (bits & mask) equals want. */
function partMask(reg: Registry, keys: string[], def: IndicatorDef, part: Part): { mask: number; want: number; not?: number } {
  const rule = personRules(reg, keys).find((r) => r.key === def.key)!;
  if (part === 'numerator') return { mask: rule.num, want: rule.num };
  if (part === 'denominator') return { mask: rule.den, want: rule.den };
  return { mask: rule.den, want: rule.den, not: rule.num };
}

/** The position of `id` in an ascending array, or -1. */
function binarySearch(a: Int32Array, id: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < id) lo = mid + 1;
    else if (a[mid]! > id) hi = mid - 1;
    else return mid;
  }
  return -1;
}

interface Listing {
  total: number;
  items: MemberItem[];
  persons: number[];
}

/** The month's span and its facts' bit mapping (as the last refresh wrote them). */
async function monthState(ctx: AppContext, db: Executor, reg: Registry, month: string): Promise<{ span: Span; keys: string[] }> {
  const settings = await reg.settings(ctx, ctx.regions.top()?.code ?? '');
  const last = await lastRefresh(db, month);
  const span = spanOf(month, settings.planFrom, last?.as_of ?? month + '-01')!;
  const keys = last ? (JSON.parse(last.sources) as string[]) : sourceMapping(reg).keys;
  return { span, keys };
}

async function personListing(
  ctx: AppContext,
  trx: Executor,
  scope: Scope,
  reg: Registry,
  def: IndicatorDef,
  part: Part,
  prefix: string,
  month: string,
  page: { offset: number; limit: number },
): Promise<Listing> {
  const { span, keys } = await monthState(ctx, trx, reg, month);
  const m = partMask(reg, keys, def, part);
  const numMask = personRules(reg, keys).find((r) => r.key === def.key)!.num;
  // the blocks of the regions under the prefix; the persons whose bits match, in id order
  const blocks = await readBlocks(trx, month, prefix);
  const matches = (b: number) => (b & m.mask) === m.want && (m.not === undefined || (b & m.not) !== m.not);
  let n = 0;
  for (const b of blocks) for (let i = 0; i < b.bits.length; i++) if (matches(b.bits[i]!)) n++;
  let all = new Int32Array(n);
  n = 0;
  for (const b of blocks) for (let i = 0; i < b.bits.length; i++) if (matches(b.bits[i]!)) all[n++] = b.ids[i]!;
  if (blocks.length > 1) all.sort();
  if (reachLimited(scope)) {
    // an organisation's or assigned persons only: the reach is asked of every id, then paged
    const reached = await reachedPersons(trx, scope, Array.from(all));
    all = all.filter((id) => reached.has(id));
  }
  const total = all.length;
  const ids = Array.from(all.subarray(page.offset, page.offset + page.limit));
  const cards = new Map((await reg.personCards(trx, ids, span.asOf)).map((c) => [c.id, c]));
  const bits = new Map<number, number>();
  for (const id of ids) {
    for (const b of blocks) {
      const i = binarySearch(b.ids, id);
      if (i >= 0) {
        bits.set(id, b.bits[i]!);
        break;
      }
    }
  }
  const items = ids.flatMap((id): MemberItem[] => {
    const c = cards.get(id);
    if (!c) return [];
    const inNumerator = ((bits.get(id) ?? 0) & numMask) === numMask;
    return [
      {
        kind: 'person',
        id: c.id,
        name: c.name,
        region: { code: c.region, name: ctx.regions.get(c.region)?.name ?? c.region },
        detail: inNumerator ? def.numeratorText : { zh: `未计入：${def.numeratorText.zh}`, en: `Not counted: ${def.numeratorText.en}` },
        inNumerator,
        idMasked: c.idMasked,
        sex: c.sex,
        age: c.age,
      },
    ];
  });
  return { total, items, persons: items.map((i) => Number(i.id)) };
}

async function aggregateListing(
  ctx: AppContext,
  trx: Executor,
  reg: Registry,
  def: IndicatorDef,
  part: Part,
  prefix: string,
  month: string,
  page: { offset: number; limit: number },
): Promise<Listing> {
  const source = reg.aggregateSources.find((s) => s.key === def.aggregate)!;
  const { span } = await monthState(ctx, trx, reg, month);
  // the part asked for: what counts, everything in the denominator, or the gap (what does not count);
  // a count has one list, with the near misses a source names beside what it counts
  const all = (await source.members(ctx, trx, span, [prefix]))
    .filter((m) => def.unit === 'count' || part === 'denominator' || m.inNumerator === (part === 'numerator'))
    .sort(memberOrder);
  const items = all.slice(page.offset, page.offset + page.limit).map((m: Member): MemberItem => ({
    kind: m.kind,
    id: m.id,
    name: m.name,
    region: { code: m.region, name: ctx.regions.get(m.region)?.name ?? m.region },
    detail: m.detail,
    inNumerator: m.inNumerator,
    idMasked: null,
    sex: null,
    age: null,
  }));
  return { total: all.length, items, persons: items.filter((m) => m.kind === 'person').map((m) => Number(m.id)) };
}

async function listing(
  ctx: AppContext,
  scope: Scope,
  reg: Registry,
  key: string,
  q: { period?: string; region?: string; part: Part },
  page: { offset: number; limit: number },
  action: string,
) {
  requireAction(scope, 'indicators.read');
  const def = definitionOf(reg, key);
  const region = regionFor(ctx, scope, q.region);
  const month = q.period ?? monthOf();
  if (!spanOf(month, '0000-01-01')) throw new AppError('INDICATOR_PERIOD_FUTURE', { period: month });
  await ensureMonth(ctx, month, reg);
  const result = await auditedRead(
    ctx.db,
    scope,
    (trx) =>
      def.person
        ? personListing(ctx, trx, scope, reg, def, q.part, region.prefix, month, page)
        : aggregateListing(ctx, trx, reg, def, q.part, region.prefix, month, page),
    (r) => ({
      action,
      entityType: 'indicator',
      entityId: key,
      regionCode: region.code,
      detail: { period: month, part: q.part, total: r.total },
      persons: r.persons,
    }),
  );
  return { def, region, month, ...result };
}

/** GET /api/indicators/:key/members */
export async function indicatorMembers(ctx: AppContext, scope: Scope, key: string, q: MembersQuery, registry?: Registry): Promise<MembersReply> {
  const reg = registry ?? (await defaultRegistry());
  const r = await listing(ctx, scope, reg, key, q, { offset: (q.page - 1) * q.pageSize, limit: q.pageSize }, 'indicators.members_read');
  return { key, part: q.part, period: r.month, region: regionRef(r.region), items: r.items, total: r.total, page: q.page, pageSize: q.pageSize };
}

type Lang = 'zh' | 'en';

const SEX_WORDS: Record<string, { zh: string; en: string }> = { M: { zh: '男', en: 'Male' }, F: { zh: '女', en: 'Female' } };
/** The register's sex code (M/F) in words; anything else as it is. */
export const sexWord = (sex: string | null, lang: Lang) => (sex === null ? null : (SEX_WORDS[sex]?.[lang] ?? sex));

const shanghaiMinute = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
/** A UTC instant as the jurisdiction reads it: 'YYYY-MM-DD HH:mm' in Asia/Shanghai. */
export function localMinute(iso: string): string {
  const p = Object.fromEntries(shanghaiMinute.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
const PART_WORDS: Record<Part, { zh: string; en: string }> = {
  numerator: { zh: '计入分子', en: 'numerator' },
  denominator: { zh: '分母全体', en: 'denominator' },
  gap: { zh: '未达标（在分母、不在分子）', en: 'gap (in the denominator, not the numerator)' },
};
/** A list's part in its file name, as its tab reads (计入 / 全部 / 未达到): three files side by side, three names. */
const PART_FILE: Record<Part, { zh: string; en: string }> = {
  numerator: { zh: '计入', en: 'numerator' },
  denominator: { zh: '全部', en: 'all' },
  gap: { zh: '未达到', en: 'gap' },
};

/** GET /api/indicators/:key/members.xlsx: the whole list (up to the export cap), audited as an export. */
export async function indicatorMembersXlsx(
  ctx: AppContext,
  scope: Scope,
  key: string,
  q: Omit<MembersQuery, 'page' | 'pageSize'>,
  lang: Lang,
  registry?: Registry,
): Promise<{ file: Buffer; fileName: string }> {
  const reg = registry ?? (await defaultRegistry());
  const r = await listing(ctx, scope, reg, key, q, { offset: 0, limit: EXPORT_MAX_ROWS + 1 }, 'indicators.members_export');
  if (r.total > EXPORT_MAX_ROWS) throw new AppError('EXPORT_TOO_LARGE', { count: r.total, max: EXPORT_MAX_ROWS });
  const zh = lang === 'zh';
  const person = !!r.def.person;
  const file = await xlsxSheet({
    title: `${r.def.name[lang]} — ${r.region.name} ${r.month}`,
    note: zh
      ? `${PART_WORDS[q.part].zh}，共 ${r.total} 条；身份证号已脱敏；导出人 ${scope.username}`
      : `${PART_WORDS[q.part].en}, ${r.total} rows; ID numbers masked; exported by ${scope.username}`,
    sheetName: zh ? '名单' : 'Members',
    columns: [
      { header: person ? (zh ? '姓名' : 'Name') : zh ? '名称' : 'Name', width: 20, value: (m: MemberItem) => m.name },
      ...(person
        ? [
            { header: zh ? '身份证号（脱敏）' : 'ID (masked)', width: 22, value: (m: MemberItem) => m.idMasked },
            { header: zh ? '性别' : 'Sex', width: 6, value: (m: MemberItem) => sexWord(m.sex, lang) },
            { header: zh ? '年龄' : 'Age', width: 6, value: (m: MemberItem) => m.age },
          ]
        : []),
      { header: zh ? '地区' : 'Region', width: 18, value: (m: MemberItem) => m.region.name },
      { header: zh ? '是否计入分子' : 'In numerator', width: 10, value: (m: MemberItem) => (m.inNumerator ? (zh ? '是' : 'yes') : zh ? '否' : 'no') },
      { header: zh ? '说明' : 'Detail', width: 40, value: (m: MemberItem) => m.detail[lang] },
    ],
    rows: r.items,
  });
  const part = PART_FILE[q.part];
  return {
    file,
    fileName: zh
      ? `指标名单-${r.def.name.zh}-${part.zh}-${r.region.name}-${r.month}.xlsx`
      : `indicator-members-${key}-${part.en}-${r.region.code}-${r.month}.xlsx`,
  };
}

/**
 * GET /api/indicators/export.xlsx: the region's values for the month, then one sheet per level
 * below it (every region of that level within it, one column per indicator). Figures only.
 */
export async function indicatorsXlsx(
  ctx: AppContext,
  scope: Scope,
  q: { period?: string; region?: string },
  lang: Lang,
  registry?: Registry,
): Promise<{ file: Buffer; fileName: string }> {
  const reg = registry ?? (await defaultRegistry());
  const top: ValuesReply = await indicatorValues(ctx, scope, q, reg);
  const zh = lang === 'zh';
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Yiyang';
  const status = (s: string) =>
    (
      ({
        met: { zh: '达标', en: 'met' },
        not_met: { zh: '未达标', en: 'not met' },
        no_target: { zh: '无目标', en: 'no target' },
        no_data: { zh: '无数据', en: 'no data' },
      }) as Record<string, { zh: string; en: string }>
    )[s]![lang];
  addSheet(wb, {
    title: `${zh ? '养老服务指标' : 'Elderly-care indicators'} — ${top.region.name} ${top.period}`,
    note: zh
      ? `计算于 ${top.computedAt ? localMinute(top.computedAt) : '—'}；导出人 ${scope.username}`
      : `Computed at ${top.computedAt ? localMinute(top.computedAt) : '—'} (Beijing time); exported by ${scope.username}`,
    sheetName: top.region.name,
    columns: [
      { header: zh ? '序号' : 'Row', width: 6, value: (v) => v.seedRow },
      { header: zh ? '分类' : 'Category', width: 14, value: (v) => v.category[lang] },
      { header: zh ? '指标' : 'Indicator', width: 40, value: (v) => v.name[lang] },
      { header: zh ? '分子' : 'Numerator', width: 10, value: (v) => v.numerator },
      { header: zh ? '分母' : 'Denominator', width: 10, value: (v) => v.denominator },
      { header: zh ? '数值' : 'Value', width: 10, value: (v) => v.value },
      { header: zh ? '目标' : 'Target', width: 10, value: (v) => v.target?.value },
      { header: zh ? '状态' : 'Status', width: 10, value: (v) => status(v.status) },
      { header: zh ? '提示' : 'Flags', width: 50, value: (v) => v.flags.map((f) => f.message[lang]).join('；') },
    ],
    rows: top.items,
  });
  const region = regionFor(ctx, scope, top.region.code);
  const below = ctx.regions
    .all()
    .filter((r) => r.code !== region.code && r.code.startsWith(region.prefix))
    .sort((a, b) => a.code.localeCompare(b.code));
  const levels = [...new Set(below.map((r) => r.level))];
  const rows = await ctx.db
    .selectFrom('indicator_values')
    .select(['region_code', 'indicator_key', 'num', 'den'])
    .where('month', '=', top.period)
    .where('region_code', '>=', region.prefix)
    .where('region_code', '<', prefixUpperBound(region.prefix))
    .execute();
  const val = new Map(rows.map((r) => [`${r.region_code}|${r.indicator_key}`, { num: Number(r.num), den: Number(r.den) }]));
  const levelWords: Record<string, { zh: string; en: string }> = { town: { zh: '乡镇（街道）', en: 'Towns' }, village: { zh: '村（社区）', en: 'Villages' } };
  for (const level of levels) {
    addSheet(wb, {
      title: `${levelWords[level]?.[lang] ?? level} — ${top.period}`,
      sheetName: levelWords[level]?.[lang] ?? level,
      columns: [
        { header: zh ? '代码' : 'Code', width: 14, value: (r) => r.code },
        { header: zh ? '地区' : 'Region', width: 18, value: (r) => r.name },
        ...reg.definitions.map((d) => ({ header: d.name[lang], width: 14, value: (r: { code: string }) => figure(d.unit, val.get(`${r.code}|${d.key}`)) })),
      ],
      rows: below.filter((r) => r.level === level),
    });
  }
  const file = Buffer.from(await wb.xlsx.writeBuffer());
  return { file, fileName: zh ? `养老服务指标-${top.region.name}-${top.period}.xlsx` : `indicators-${top.region.code}-${top.period}.xlsx` };
}
