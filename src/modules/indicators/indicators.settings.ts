import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';
import { isCivilDate, type CivilDate } from '../../platform/time.js';
import type { Text } from './contract.js';

/**
 * The indicators' figures a jurisdiction sets (issue 20, R11): the first day of the plan period
 * ('new since' counts start there), each indicator's target with its attribute (约束性 / 预期性 as
 * the seed prints it), the paragraph it comes from and the reading of what the seeds leave open,
 * and the thresholds of the automatic outlier flags.
 *
 * Defaults follow seed 001 (如皋"十四五"规划, table at 三、主要发展指标) and, for the indicators
 * its table does not hold, 000 (启东 实施方案) and 002 (南浔). Every figure names its paragraph; the
 * demo jurisdictions (Nanxun, Daye) share these defaults — where another seed prints a different
 * figure the reading says so, for the bureau that runs under it to set.
 */

/**
 * The least distance from the siblings' median a figure must also have to be flagged, whatever its
 * z-score: where the siblings are close together (towns at 65.6-69.6 %) the MAD is tiny and a town
 * 2 points off scores a high z, which is noise to a bureau. 10 percentage points for a percentage;
 * a quarter of the median for a rate per 10,000 or per 100, and for a count. The indicators setting
 * carries them (outliers.minGapPoints / minGapShare); these are its defaults (values.ts's farEnough).
 */
export const SIBLING_MIN_GAP_POINTS = 10;
export const SIBLING_MIN_GAP_SHARE = 0.25;

const text = z.object({ zh: z.string().min(1).max(600), en: z.string().min(1).max(900) }).strict();

export const indicatorTargetSetting = z
  .object({
    /** null: the seeds set no target (status 'no_target') */
    value: z.number().min(0).max(1_000_000).nullable(),
    comparator: z.enum(['atLeast', 'atMost']),
    attribute: text,
    source: text,
    reading: text,
  })
  .strict();

export const indicatorSettingsSchema = z
  .object({
    planFrom: z.string().refine(isCivilDate, { message: '日期应为 YYYY-MM-DD' }),
    targets: z.record(z.string().regex(/^[a-zA-Z0-9]{1,40}$/), indicatorTargetSetting),
    outliers: z
      .object({
        /** a region's value this many standard deviations from its siblings' mean is flagged */
        siblingZ: z.number().min(1).max(10),
        /** a month's value this many standard deviations from the region's own previous months */
        seriesZ: z.number().min(1).max(10),
        /** regions with a smaller denominator are not compared (a village of 3 elders swings 33 points) */
        minDenominator: z.number().int().min(0).max(100_000),
        /** months of history needed before the series check applies */
        minSeries: z.number().int().min(2).max(60),
        /** a percentage also at least this many points from the siblings' median (absent: 10) */
        minGapPoints: z.number().min(0).max(100).optional(),
        /** a rate or count also at least this share of the siblings' median away from it (absent: 0.25) */
        minGapShare: z.number().min(0).max(10).optional(),
      })
      .strict(),
  })
  .strict();

export type IndicatorSettings = {
  planFrom: CivilDate;
  targets: Record<string, { value: number | null; comparator: 'atLeast' | 'atMost'; attribute: Text; source: Text; reading: Text }>;
  outliers: { siblingZ: number; seriesZ: number; minDenominator: number; minSeries: number; minGapPoints?: number; minGapShare?: number };
};

const BINDING: Text = { zh: '约束性', en: 'Binding' };
const EXPECTED: Text = { zh: '预期性', en: 'Expected' };
const PLAN_TEXT: Text = { zh: '规划正文（指标表外）', en: 'Plan text (not in the table)' };
const NO_ATTRIBUTE: Text = { zh: '未定', en: 'None given' };

/** "以上 / 不低于 / 达到" targets: a value exactly at the target meets it (every atLeast target reads so). */
const AT_TARGET: Text = {
  zh: '恰好等于目标值视为达标（“以上”“不低于”“达到”均含本数）。',
  en: 'A value exactly at the target meets it ("or more", "not below" and "reach" include the figure itself).',
};
const join = (a: Text, b: Text): Text => ({ zh: `${a.zh}${b.zh}`, en: `${a.en} ${b.en}` });

const row = (n: number): Text => ({ zh: `001 主要发展指标表第${n}项`, en: `001, indicator table row ${n}` });

export const DEFAULT_INDICATORS: IndicatorSettings = {
  planFrom: '2021-01-01',
  targets: {
    homeService: {
      value: 18,
      comparator: 'atLeast',
      attribute: BINDING,
      source: {
        zh: `${row(1).zh}（18%）；000 第11条“接受上门服务的居家老人数占比不低于18%”`,
        en: `${row(1).en} (18 %); 000 §11 "home-dwelling elders receiving home services at least 18 %"`,
      },
      reading: join(
        {
          zh: '分母为名册上60岁及以上、当日未入住养老机构的居家老年人（000 明言“居家老人”；名册即户籍及登记常住老年人，统计口径以名册为准）；分子为其中自当年1月1日至统计日至少接受过一次已核验（未作废）上门服务的人数；按年累计，逐月计算。',
          en: 'Denominator: registered elders aged 60+ not living in an institution on the date (000 says "home-dwelling elders"; the register — hukou and registered residents — is the count). Numerator: those given at least one verified (not voided) home service from 1 January to the date; year to date, computed every month.',
        },
        AT_TARGET,
      ),
    },
    homeModifications: {
      value: 1000,
      comparator: 'atLeast',
      attribute: EXPECTED,
      source: {
        zh: `${row(2).zh}（1000户，含社会老年人家庭）；专栏1“全市再完成居家适老化改造家庭800户”`,
        en: `${row(2).en} (1,000 households incl. other elders' families); box 1 "a further 800 households"`,
      },
      reading: join(
        {
          zh: '指标表与专栏1不一致：取指标表的1000户（考核以指标表为准，且含社会老年人家庭），专栏1的800户理解为其中政府实施的特殊困难家庭改造；自规划期起（2021年1月1日）累计完成户数；系统中改造完成的记录只有家庭照护床位的适老化改造清单，其他渠道完成的改造须录入后方能计入。大冶（003）为500户以上，由该地区另行设定。',
          en: 'The table and box 1 disagree: the table’s 1,000 is taken (the review checks the table, and it includes other elders’ families); box 1’s 800 is read as the government-funded part for special-difficulty families. Households completed since the plan began (1 January 2021); the only record of a finished adaptation is a family care bed’s adaptation list, so adaptations done otherwise count once recorded there. Daye (003) sets 500+, for that jurisdiction to set.',
        },
        AT_TARGET,
      ),
    },
    streetCentres: {
      value: 100,
      comparator: 'atLeast',
      attribute: BINDING,
      source: {
        zh: `${row(3).zh}；第6条“城市街道……至少各建成一所……综合性养老服务中心”`,
        en: `${row(3).en}; §6 "each urban street … at least one comprehensive centre"`,
      },
      reading: join(
        {
          zh: '街道中至少有一所在运营的区域性（综合性）养老服务中心的街道占比。',
          en: 'The share of streets with at least one regional (comprehensive) elder-care centre in service.',
        },
        AT_TARGET,
      ),
    },
    assessed80: {
      value: 100,
      comparator: 'atLeast',
      attribute: BINDING,
      source: {
        zh: `${row(4).zh}；000 第2条、004 第2条（80周岁以上老年人能力评估全覆盖）`,
        en: `${row(4).en}; 000 §2, 004 §2 (every elder aged 80+ assessed)`,
      },
      reading: join(
        {
          zh: '“已评估”指统计日持有有效评估（评估基准日在统计日或之前、且评估结论仍在有效期内），与评估模块“80岁以上评估覆盖率”同一口径；做过但已过期的评估不计（名册另记“曾评估”供对照）。',
          en: '"Assessed" means holding a valid assessment on the date (reference date on or before it, the level still counting), the same count as the assessment module’s 80+ coverage; a lapsed assessment does not count (the register’s "ever assessed" is kept beside it).',
        },
        AT_TARGET,
      ),
    },
    nursingBedShare: {
      value: 75,
      comparator: 'atLeast',
      attribute: BINDING,
      source: { zh: `${row(6).zh}（75%）；000 第5条“不低于75%”`, en: `${row(6).en} (75 %); 000 §5 "at least 75 %"` },
      reading: join(
        {
          zh: '养老机构在用床位中护理型床位的占比。常州（004 第8条）为不低于80%，由该地区另行设定。',
          en: 'Nursing beds among institutions’ beds in service. Changzhou (004 §8) sets at least 80 %, for that jurisdiction to set.',
        },
        AT_TARGET,
      ),
    },
    ratedInstitutions: {
      value: 80,
      comparator: 'atLeast',
      attribute: EXPECTED,
      source: { zh: `${row(8).zh}；004 第15条“等级评定覆盖率达到80%以上”`, en: `${row(8).en}; 004 §15 "grading coverage at least 80 %"` },
      reading: join(
        {
          zh: '“等级”指养老机构当前持有的一级至五级等级评定（机构现行等级；系统不保存等级历史）；分母为在运营的养老机构。',
          en: '"Graded" means an institution’s current grade 1–5 (its grade now; no history of grades is kept); the denominator is institutions in service.',
        },
        AT_TARGET,
      ),
    },
    dementiaBeds: {
      value: 300,
      comparator: 'atLeast',
      attribute: EXPECTED,
      source: { zh: `${row(9).zh}；专栏4“新建或改建认知症照护床位300张”`, en: `${row(9).en}; box 4 "300 dementia-care beds built or converted"` },
      reading: join(
        {
          zh: '自规划期起新建或改建、统计日在用的认知症照护床位数。',
          en: 'Dementia-care beds built or converted since the plan began and in service on the date.',
        },
        AT_TARGET,
      ),
    },
    newNursingBeds: {
      value: 1000,
      comparator: 'atLeast',
      attribute: EXPECTED,
      source: { zh: `${row(10).zh}（原表无单位，属性印作“预期新”）`, en: `${row(10).en} (no unit printed; attribute printed "预期新")` },
      reading: join(
        {
          zh: '原表未注单位，按“张”计（与第9项同为床位数）；属性“预期新”视为“预期性”的排印错误。自规划期起新增、统计日在用的护理型床位数。',
          en: 'No unit is printed: read as beds (like row 9); the attribute printed "预期新" (expected-new) is read as a misprint of "预期性" (expected). Nursing beds added since the plan began and in service on the date.',
        },
        AT_TARGET,
      ),
    },
    ruralNursingShare: {
      value: 60,
      comparator: 'atLeast',
      attribute: BINDING,
      source: row(11),
      reading: join(
        {
          zh: '农村特困人员供养服务机构（敬老院）在用床位中护理型床位的占比。',
          en: 'Nursing beds among the beds in service of rural homes for the destitute (the former township homes).',
        },
        AT_TARGET,
      ),
    },
    ruralCentres: {
      value: 2,
      comparator: 'atLeast',
      attribute: BINDING,
      source: {
        zh: `${row(12).zh}；第9条“每年实施1-2家农村区域性养老服务中心改造转型”`,
        en: `${row(12).en}; §9 "1-2 rural regional centres converted a year"`,
      },
      reading: join({ zh: '在运营的标准化农村区域性养老服务中心数。', en: 'Standardised rural regional elder-care centres in service.' }, AT_TARGET),
    },
    tekunCareInstitutions: {
      value: 3,
      comparator: 'atLeast',
      attribute: BINDING,
      source: row(13),
      reading: join(
        {
          zh: '在运营且设有在用护理型床位的特困人员供养服务机构数（“功能”指具备护理型床位，不论本月是否收住失能特困人员）。',
          en: 'Hardship homes in service with nursing beds in service (the "function" is the nursing beds, whether or not a disabled destitute person lives there this month).',
        },
        AT_TARGET,
      ),
    },
    newCertifiedCaregivers: {
      value: 800,
      comparator: 'atLeast',
      attribute: BINDING,
      source: row(15),
      reading: join(
        {
          zh: '自规划期起新增、持养老护理员职业技能等级证书的护理员人数。',
          en: 'Caregivers holding a skills-level certificate who joined since the plan began.',
        },
        AT_TARGET,
      ),
    },
    socialWorkersPer100Beds: {
      value: 1,
      comparator: 'atLeast',
      attribute: BINDING,
      source: {
        zh: `${row(16).zh}；第14条“每百张养老机构床位配备1名专业社会工作人才”`,
        en: `${row(16).en}; §14 "one professional social worker per 100 institution beds"`,
      },
      reading: join(
        {
          zh: '按全辖区口径（规划原文为“全市”，县级平台即全县）：养老机构在岗社会工作者（折合全时）÷ 养老机构在用床位 × 100；“社会工作者”与正文“专业社会工作人才”视为同一（在机构名册登记为社会工作者者）。每家机构自身的配备另见机构页的人员配比检查。',
          en: 'Across the whole jurisdiction (the plan says citywide; on a county’s platform, the county): social workers on institutions’ rosters (full-time equivalents) ÷ institution beds in service × 100; the table’s "social workers" and the text’s "professional social-work talent" are read as the same (those on a roster as social workers). Each institution’s own ratio is the staffing check on its page.',
        },
        AT_TARGET,
      ),
    },
    newJobs: {
      value: 400,
      comparator: 'atLeast',
      attribute: EXPECTED,
      source: row(17),
      reading: join(
        {
          zh: '自规划期起养老机构和居家服务机构新登记的从业人员人数（人头数）。',
          en: 'People who started work in institutions and home-service providers since the plan began (heads).',
        },
        AT_TARGET,
      ),
    },
    visitRate: {
      value: 100,
      comparator: 'atLeast',
      attribute: PLAN_TEXT,
      source: {
        zh: '001 第6条、专栏2“全市特殊困难老年人月探访率达到100%”；003 第3条同',
        en: '001 §6, box 2 "monthly visits to special-difficulty elders 100 %"; 003 §3 the same',
      },
      reading: join(
        {
          zh: '与工作台、探访页的月探访率为同一口径，按人次计：分母为本月应探访人次（探访窗口在本月结束，且截至统计日已到期或已完成；已取消的不计），分子为其中在窗口内按计划方式完成的人次。每周探访的老人每周计一次。下钻列出有应探访任务的老人及各自的应探访、已探访次数。',
          en: "The same figure as the workbench and the visits page, counted in visits due: denominator, the visits due this month (a window ending in the month, closed by the date or already met; cancelled ones never); numerator, those made inside their window as the plan requires. An elder visited weekly counts once a week. The drill-down lists the elders with visits due and each one's visits due and made.",
        },
        AT_TARGET,
      ),
    },
    familyCareBeds: {
      value: 580,
      comparator: 'atLeast',
      attribute: NO_ATTRIBUTE,
      source: { zh: '000 第5条“全市设置家庭养老照护床位不少于580张”', en: '000 §5 "at least 580 family care beds"' },
      reading: join({ zh: '统计日在用的家庭养老照护床位数。', en: 'Family care beds in service on the date.' }, AT_TARGET),
    },
    mealAidCommunities: {
      value: 80,
      comparator: 'atLeast',
      attribute: NO_ATTRIBUTE,
      source: { zh: '000 第15条“城市社区老年助餐服务覆盖率不低于80%”', en: '000 §15 "meal aid covers at least 80 % of urban communities"' },
      reading: join(
        {
          zh: '“覆盖”指有一处统计日在运营的老年助餐点登记服务该社区（助餐点所在社区必在其服务范围内，邻近社区可登记在内）。',
          en: 'A community is covered when a meal point in service on the date is registered as serving it (a point always serves its own community, and may list neighbouring ones).',
        },
        AT_TARGET,
      ),
    },
    mealAidVillages: {
      value: 50,
      comparator: 'atLeast',
      attribute: NO_ATTRIBUTE,
      source: { zh: '000 第15条“农村社区不低于50%”', en: '000 §15 "rural communities at least 50 %"' },
      reading: join({ zh: '行政村的覆盖口径同城市社区。', en: 'A village is covered as an urban community is.' }, AT_TARGET),
    },
    caregiversPer10k: {
      value: 27,
      comparator: 'atLeast',
      attribute: NO_ATTRIBUTE,
      source: { zh: '002 “每万名老年人拥有持证养老护理员达到27人以上”', en: '002 "at least 27 certified caregivers per 10,000 elders"' },
      reading: join(
        {
          zh: '统计日持有效养老护理员证书的在岗护理员（机构与居家服务机构）÷ 名册上60岁及以上老年人 × 10000。各份文件中仅南浔（002）给出数值，其他地区沿用。',
          en: 'Caregivers working on the date with a valid certificate (institutions and home-service providers) ÷ registered elders aged 60+ × 10,000. Only Nanxun (002) gives a figure; the others share it.',
        },
        AT_TARGET,
      ),
    },
    creditRated: {
      value: null,
      comparator: 'atLeast',
      attribute: NO_ATTRIBUTE,
      source: { zh: '000 第17条“建立养老服务机构信用评价体系”（未给数值）', en: '000 §17 "a credit-rating system for care organisations" (no figure)' },
      reading: {
        zh: '“已评价”指统计日持有当前信用评价（评价周期内作出的最近一次），过期评价不计。文件未给目标值；004 第15条的80%是等级评定（见等级养老机构占比），不是信用评价。',
        en: '"Rated" means holding a current credit rating on the date (the latest, made within the rating window); an old one does not count. No target is given; 004 §15’s 80 % is institutions’ grading (see graded institutions), not credit rating.',
      },
    },
    alarmAckWithinTarget: {
      value: 97.5,
      comparator: 'atLeast',
      attribute: NO_ATTRIBUTE,
      source: {
        zh: '呼叫中心响应目标设置（60秒内确认的比例97.5%）；001 专栏7“24小时为老服务热线”',
        en: 'The hotline’s response target setting (97.5 % acknowledged within 60 s); 001 box 7 "24-hour hotline"',
      },
      reading: join(
        {
          zh: '本月发出的告警中在呼叫中心目标时间内被确认的比例（与告警报表同一口径）。文件未给数值，目标取呼叫中心设置的默认值，修改热线目标时请一并修改此处。',
          en: 'Alarms raised in the month acknowledged within the hotline’s target time (as the alarm report counts). The seeds give no figure; the target is the hotline setting’s default — change both together.',
        },
        AT_TARGET,
      ),
    },
    complaintsClosedInTime: {
      value: 100,
      comparator: 'atLeast',
      attribute: NO_ATTRIBUTE,
      source: {
        zh: '《信访工作条例》第三十二条（15日内答复）；001 第26条“建立养老服务投诉举报受理平台”',
        en: 'Regulation on Letters and Visits art. 32 (answered within 15 days); 001 §26 "a complaints platform"',
      },
      reading: join(
        {
          zh: '本月到期的投诉中在答复期限内办结的比例。条例要求每一件按期答复，故目标为100%。',
          en: 'Complaints due in the month closed within the reply deadline. The regulation requires every one answered in time, so the target is 100 %.',
        },
        AT_TARGET,
      ),
    },
  },
  outliers: {
    siblingZ: 3,
    seriesZ: 3,
    minDenominator: 30,
    minSeries: 6,
    minGapPoints: SIBLING_MIN_GAP_POINTS,
    minGapShare: SIBLING_MIN_GAP_SHARE,
  },
};

export const indicatorsSetting = defineSetting<IndicatorSettings>({
  name: 'indicators',
  label: { zh: '养老服务指标', en: 'Elder-care indicators' },
  description: {
    zh: '规划期起始日（“新增”类指标自该日累计）；每项指标的目标值、达标方向、属性（约束性/预期性）、出处及口径说明；异常值自动标记的阈值（与同级地区相比、与本地区历史相比的标准差倍数，参与比较的最小分母和最少月数，以及与同级中位数至少相差的百分点（百分比类）或比例（比率、数量类））。',
    en: 'The plan period’s first day ("new since" indicators count from it); each indicator’s target, direction, attribute (binding / expected), source paragraph and reading; the thresholds of the automatic outlier flags (standard deviations from sibling regions and from the region’s own months, the smallest denominator compared, the fewest months, and how far from the siblings’ median a figure must also be: percentage points for a percentage, a share of the median for a rate or count).',
  },
  schema: indicatorSettingsSchema as z.ZodType<IndicatorSettings>,
  initial: () => DEFAULT_INDICATORS,
  check(value) {
    const missing = Object.keys(DEFAULT_INDICATORS.targets).filter((k) => !(k in value.targets));
    if (missing.length) return { zh: `缺少指标的目标设置：${missing.join('、')}`, en: `Targets missing for: ${missing.join(', ')}` };
    const unknown = Object.keys(value.targets).filter((k) => !(k in DEFAULT_INDICATORS.targets));
    if (unknown.length) return { zh: `未知的指标：${unknown.join('、')}`, en: `Unknown indicators: ${unknown.join(', ')}` };
    return null;
  },
});

/** The indicators' settings in force for the platform's jurisdiction. */
export async function indicatorSettings(ctx: AppContext, regionCode: string): Promise<IndicatorSettings> {
  return Promise.resolve(ctx.settings.get(indicatorsSetting, regionCode));
}
