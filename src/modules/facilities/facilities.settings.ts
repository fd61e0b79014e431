import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';

/**
 * Which catalogue items an institution stay pauses (entitlements' pause reason 'institution').
 * Chosen from catalogues/nanxun/2023-10-31.yaml and catalogues/daye/2023-06-30.yaml: the monthly
 * cash items that pay for care AT HOME, which the institution now gives:
 * - nx-15 养老服务补贴 (Nanxun; the catalogue's own note: "集中供养特困人员由供养机构照料，不另发居家
 *   养老服务补贴") and nx-19 护理补贴 (a care subsidy for the disabled elder cared for at home);
 * - dy-17 养老服务补贴 and dy-18 养老护理补贴 (Daye, the same two).
 * Not paused: the high-age allowance (nx-10, nx-10b, dy-3: paid for age, wherever one lives), the
 * disability living and nursing subsidies (nx-29, nx-29b, dy-19, dy-20: the disability federation's
 * 两项补贴, which the seeds do not tie to living at home), 低保 (dy-16). Ids of both catalogues are
 * listed: an id a jurisdiction's catalogue does not have pauses nothing.
 */
export const institutionPause = z
  .object({
    items: z.array(z.string().regex(/^[a-z]{1,6}-[0-9a-z]{1,8}$/)).max(100),
  })
  .strict();
export type InstitutionPause = z.infer<typeof institutionPause>;
export const DEFAULT_INSTITUTION_PAUSE: InstitutionPause = { items: ['nx-15', 'nx-19', 'dy-17', 'dy-18'] };

export const institutionPauseSetting = defineSetting<InstitutionPause>({
  name: 'facilities.institution_pause',
  label: { zh: '入住机构期间暂停的居家待遇', en: 'Home-based items paused during an institution stay' },
  description: {
    zh: '老人入住养老机构期间暂停发放的清单事项（居家养老服务补贴、护理补贴等在家照护的现金补贴），出院或身故后恢复，入住期间的月份不补发。默认：南浔 nx-15、nx-19，大冶 dy-17、dy-18（南浔清单第15项注：集中供养特困人员由供养机构照料，不另发居家养老服务补贴）。高龄津贴、残疾人两项补贴不暂停。',
    en: 'Catalogue items not paid while the person lives in an institution (cash for care at home: the service subsidy, the care subsidy); resumed on discharge or death, months in the institution not paid back. Default: Nanxun nx-15, nx-19; Daye dy-17, dy-18. The high-age allowance and the two disability subsidies are not paused.',
  },
  schema: institutionPause,
  initial: () => DEFAULT_INSTITUTION_PAUSE,
});

const words = z.object({ zh: z.string().min(1).max(40), en: z.string().min(1).max(60) }).strict();
const LEVEL = z.enum(['none', 'mild', 'moderate', 'severe', 'complete']);

/** One tier of a staffing rule: residents at these disablement levels need one caregiver per `perCaregiver`. */
export const staffingTier = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/),
    label: words,
    levels: z.array(LEVEL).min(1),
    perCaregiver: z.number().int().min(1).max(100),
  })
  .strict();
export type StaffingTier = z.infer<typeof staffingTier>;

export const facilityStandards = z
  .object({
    /**
     * Nursing-type beds (护理型床位) as a share of an institution's beds, at least (percent).
     * 000 §5 (Qidong) and 001 target table item 6 (Rugao, 约束性): 75 %; 004 §8 (Changzhou): 80 %.
     * Default 75: two seeds agree on it; Changzhou sets 80 as its own value.
     */
    nursingBedShareMinPct: z.number().int().min(0).max(100),
    /** Dementia-care beds (认知症照护床位) count as nursing-type: they are beds for long-term care of the disabled (000 §5 puts them in the same task). */
    dementiaCountsAsNursing: z.boolean(),
    /**
     * The staffing rule's tiers, by the residents' assessed disablement (person fact `disablement`:
     * the GB/T 42195 level in force, else the LTC grade). Default 002 §14 (Nanxun, 特困供养机构):
     * 完全失能 1:3; 部分失能 1:6 — read as 轻度, 中度 and 重度失能 (impaired but not wholly); 自理 1:15 —
     * 能力完好. Rugao (001 专栏5, rural 敬老院): 生活不能自理 1:4 (中度, 重度, 完全失能) and 其他 1:10.
     */
    staffingTiers: z.array(staffingTier).min(1).max(6),
    /**
     * How the required caregivers are rounded: 'sum' adds each tier's residents ÷ ratio and rounds
     * the total up once (a caregiver serves residents of several tiers on one floor; default);
     * 'per_tier' rounds each tier up on its own (stricter for small homes).
     */
    rounding: z.enum(['sum', 'per_tier']),
    /** Staff roles that count as 护理人员: caregivers only by default (nurses and doctors have their own duties; the seeds name 护理人员). */
    caregiverRoles: z.array(z.enum(['caregiver', 'nurse', 'doctor', 'social_worker', 'manager', 'other'])).min(1),
    /** Part-time staff count by their FTE fraction (true, default) or as whole heads. */
    partTimeByFte: z.boolean(),
    /** Which facilities the staffing rule applies to: 'hardship_homes' (特困供养机构/敬老院, as both seeds say; default) or every institution. */
    staffingAppliesTo: z.enum(['hardship_homes', 'institutions']),
    /** In a 特困供养机构, whether every resident counts ('all'; default: 001 says 入住对象, everyone living there) or only 特困 persons. */
    residentsCounted: z.enum(['all', 'tekun_only']),
    /** Private (and 公建民营, run privately) institutions doing government-purchased work must be of at least this grade (000 §17, 004 §15: 二级以上). */
    governmentWorkMinGrade: z.number().int().min(1).max(5),
    /** The ownerships the grade rule applies to: 民办 by the seeds; 公建民营 is run by a private operator too (default both). */
    governmentWorkOwnerships: z.array(z.enum(['public', 'public_private', 'private'])).min(1),
    /** Social workers per 100 institution beds, at least (001 target table item 16: 1); counted by FTE. */
    socialWorkersPer100Beds: z.number().min(0).max(20),
  })
  .strict();
export type FacilityStandards = z.infer<typeof facilityStandards>;

export const NANXUN_TIERS: StaffingTier[] = [
  { key: 'complete', label: { zh: '完全失能', en: 'Fully disabled' }, levels: ['complete'], perCaregiver: 3 },
  { key: 'partial', label: { zh: '部分失能', en: 'Partly disabled' }, levels: ['mild', 'moderate', 'severe'], perCaregiver: 6 },
  { key: 'self', label: { zh: '自理', en: 'Self-caring' }, levels: ['none'], perCaregiver: 15 },
];
export const RUGAO_TIERS: StaffingTier[] = [
  { key: 'dependent', label: { zh: '生活不能自理', en: 'Cannot care for themselves' }, levels: ['moderate', 'severe', 'complete'], perCaregiver: 4 },
  { key: 'other', label: { zh: '其他入住对象', en: 'Other residents' }, levels: ['none', 'mild'], perCaregiver: 10 },
];

export const DEFAULT_STANDARDS: FacilityStandards = {
  nursingBedShareMinPct: 75,
  dementiaCountsAsNursing: true,
  staffingTiers: NANXUN_TIERS,
  rounding: 'sum',
  caregiverRoles: ['caregiver'],
  partTimeByFte: true,
  staffingAppliesTo: 'hardship_homes',
  residentsCounted: 'all',
  governmentWorkMinGrade: 2,
  governmentWorkOwnerships: ['private', 'public_private'],
  socialWorkersPer100Beds: 1,
};

export const standardsSetting = defineSetting<FacilityStandards>({
  name: 'facilities.standards',
  label: { zh: '养老机构检查标准', en: 'Facility standards checked' },
  description: {
    zh: '护理型床位占比下限（启东第5条、如皋规划指标6：75%；常州第8条：80%；默认75%）；特困供养机构护理人员配比，按入住老人经评估的失能程度分档（南浔第14条：完全失能1:3、部分失能1:6、自理1:15，默认；如皋专栏5：生活不能自理1:4、其他1:10），按各档相加后向上取整；护理员按折算全职人数计；承担政府基本养老服务的民办（含公建民营）机构须达二级以上（启东第17条、常州第15条）；每百张床位社会工作者不少于1人（如皋规划指标16）。',
    en: 'Nursing-bed share at least 75 % (Qidong §5, Rugao target 6; Changzhou §8: 80 %); caregivers in hardship homes by the residents’ assessed disablement (Nanxun §14: 1:3 / 1:6 / 1:15, default; Rugao plan, box 5: 1:4 / 1:10), tiers summed then rounded up, part-timers by FTE; private and publicly-built privately-run institutions doing government work at grade 2 or above (Qidong §17, Changzhou §15); 1 social worker per 100 beds (Rugao target 16).',
  },
  schema: facilityStandards,
  initial: () => DEFAULT_STANDARDS,
  check(value) {
    const keys = new Set(value.staffingTiers.map((t) => t.key));
    if (keys.size !== value.staffingTiers.length) return { zh: '配比分档代码重复', en: 'A staffing tier key appears twice' };
    const levels = value.staffingTiers.flatMap((t) => t.levels);
    if (new Set(levels).size !== levels.length) return { zh: '同一失能等级出现在两个配比分档中', en: 'A disablement level is in two staffing tiers' };
    if (levels.length !== 5) return { zh: '五个失能等级都须归入某一配比分档', en: 'Each of the five disablement levels must be in a staffing tier' };
    return null;
  },
});

/** The standards in force where a region is (its county's, else its city's or province's, else the national ones). */
export const standardsOf = (ctx: AppContext, regionCode: string): FacilityStandards => ctx.settings.get(standardsSetting, regionCode);
export const institutionPauseOf = (ctx: AppContext, regionCode: string): InstitutionPause => ctx.settings.get(institutionPauseSetting, regionCode);
