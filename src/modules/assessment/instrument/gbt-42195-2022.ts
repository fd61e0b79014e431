import type { InstrumentData } from './types.js';

/**
 * GB/T 42195-2022 老年人能力评估规范 as data (effective 2023-05-01; it replaced MZ/T 039-2013, whose
 * four indicators, Barthel 0-100 and four levels 0-3 must not be mixed in).
 *
 * Every number carries its clause: items and their options are Annex B's tables (B.1 自理能力, B.2
 * 基础运动能力, B.3 精神状态, B.4 感知觉与社会参与), each item by its code; the level bands are
 * Annex C's C.3 (初步等级), the adjustments C.4 (能力等级变更依据), the final level C.5. The scores
 * and maxima were checked by hand against ../shared/reference/gbt-42195-2022.md, which was settled
 * from the standard's own text; the option wording of the common scale and of 进食, 小便控制,
 * 大便控制, 平地行走, 上下楼梯, 攻击行为, 抑郁症状 and 意识水平 is that file's. The wording of the
 * other options (B.3.1-B.3.6, B.4.1-B.4.5) was transcribed from the standard's Annex B and is worth a
 * proof-reading against a printed copy; their scores are the reference's.
 *
 * A revision of the standard is a new file beside this one with its own `version`, listed in
 * ./index.ts; an assessment records the version it was taken under and is always re-scored with it.
 */

/** 4 独立 … 0 完全依赖: the scale of B.1.2-B.1.5, B.1.8, B.2.1 and B.2.2 (Annex B, Tables B.1 and B.2). */
const COMMON = [
  { score: 4, zh: '独立完成，不需要协助', en: 'Does it alone, no help needed' },
  { score: 3, zh: '在他人指导或提示下完成', en: 'Does it with guidance or prompting' },
  { score: 2, zh: '需要他人协助，但以自身完成为主', en: 'Needs help but does most of it' },
  { score: 1, zh: '主要依靠他人协助，自身能给予配合', en: 'Mostly relies on help, can cooperate' },
  { score: 0, zh: '完全依赖他人协助，且不能给予配合', en: 'Fully dependent, cannot cooperate' },
];

export const GBT_42195_2022: InstrumentData = {
  id: 'GB/T 42195-2022',
  version: '2022',
  title: { zh: '老年人能力评估规范（GB/T 42195-2022）', en: 'Specification for assessing older adults’ capabilities (GB/T 42195-2022)' },
  total: { max: 90, clause: 'Annex B: 32 + 15 + 28 + 15' },
  indicators: [
    {
      code: 'B.1',
      zh: '自理能力',
      en: 'Self-care',
      max: 32,
      clause: 'Annex B, Table B.1',
      items: [
        {
          code: 'B.1.1',
          zh: '进食',
          en: 'Eating',
          clause: 'Table B.1, B.1.1',
          options: [
            { score: 4, zh: '独立使用器具进食并咽下，没有呛咳', en: 'Eats and swallows with utensils alone, no choking' },
            { score: 3, zh: '在他人指导或提示下完成，或独立使用辅具，没有呛咳', en: 'With guidance or prompting, or alone with aids, no choking' },
            { score: 2, zh: '进食中需要少量接触式协助，偶尔（每月一次及以上）呛咳', en: 'Some hands-on help; chokes occasionally (monthly or more)' },
            { score: 1, zh: '需要大量接触式协助，经常（每周一次及以上）呛咳', en: 'Much hands-on help; chokes often (weekly or more)' },
            { score: 0, zh: '完全依赖他人协助进食，或吞咽困难，或留置营养管', en: 'Fully fed by others, or cannot swallow, or has a feeding tube' },
          ],
        },
        { code: 'B.1.2', zh: '修饰', en: 'Grooming', clause: 'Table B.1, B.1.2', options: COMMON },
        { code: 'B.1.3', zh: '洗澡', en: 'Bathing', clause: 'Table B.1, B.1.3', options: COMMON },
        { code: 'B.1.4', zh: '穿/脱上衣', en: 'Dressing the upper body', clause: 'Table B.1, B.1.4', options: COMMON },
        { code: 'B.1.5', zh: '穿/脱裤子和鞋袜', en: 'Trousers, shoes and socks', clause: 'Table B.1, B.1.5', options: COMMON },
        {
          code: 'B.1.6',
          zh: '小便控制',
          en: 'Bladder control',
          clause: 'Table B.1, B.1.6',
          options: [
            { score: 4, zh: '可自行控制排尿', en: 'Controls urination' },
            { score: 3, zh: '白天可自行控制，夜间次数增多、控制较差，或自行使用尿布尿垫', en: 'Controls by day; worse at night, or uses pads alone' },
            {
              score: 2,
              zh: '白天大部分时间可控制，偶有失禁（每天<1次，但每周>1次），夜间较差，或他人少量协助使用尿布',
              en: 'Mostly controls by day, occasional incontinence (<1 a day, >1 a week), worse at night, or a little help with pads',
            },
            {
              score: 1,
              zh: '白天大部分时间不能控制（每天≥1次，尚非完全失控），夜间失禁，或他人大量协助',
              en: 'Mostly no control by day (≥1 a day, not total), incontinent at night, or much help',
            },
            { score: 0, zh: '完全失禁或留置导尿管', en: 'Totally incontinent or catheterised' },
          ],
        },
        {
          code: 'B.1.7',
          zh: '大便控制',
          en: 'Bowel control',
          clause: 'Table B.1, B.1.7',
          options: [
            { score: 4, zh: '可正常自行控制', en: 'Normal control' },
            { score: 3, zh: '有时（每天<1次）便秘或失禁，或自行使用开塞露尿垫', en: 'Sometimes (<1 a day) constipated or incontinent, or uses aids alone' },
            {
              score: 2,
              zh: '经常（每天<1次，但每周>1次）便秘或失禁，或他人少量协助',
              en: 'Often (<1 a day, >1 a week) constipated or incontinent, or a little help',
            },
            {
              score: 1,
              zh: '大部分时间（每天≥1次）便秘或失禁，尚非完全失控，或他人大量协助',
              en: 'Most of the time (≥1 a day) constipated or incontinent, not total, or much help',
            },
            { score: 0, zh: '严重便秘或完全失禁，需依赖他人协助排便或清洁皮肤', en: 'Severe constipation or total incontinence; needs others to help' },
          ],
        },
        { code: 'B.1.8', zh: '如厕', en: 'Toileting', clause: 'Table B.1, B.1.8', options: COMMON },
      ],
    },
    {
      code: 'B.2',
      zh: '基础运动能力',
      en: 'Basic mobility',
      max: 15,
      clause: 'Annex B, Table B.2',
      items: [
        { code: 'B.2.1', zh: '床上体位转移', en: 'Turning in bed', clause: 'Table B.2, B.2.1', options: COMMON },
        { code: 'B.2.2', zh: '床椅转移', en: 'Bed to chair', clause: 'Table B.2, B.2.2', options: COMMON },
        {
          code: 'B.2.3',
          zh: '平地行走',
          en: 'Walking on the level',
          clause: 'Table B.2, B.2.3',
          options: [
            { score: 4, zh: '独立平地行走50 m左右，无摔倒风险', en: 'Walks about 50 m alone, no risk of falling' },
            {
              score: 3,
              zh: '能行走50 m左右，存在跌倒风险，需监护指导或使用拐杖助行器',
              en: 'Walks about 50 m with a risk of falling; needs supervision or a stick or walker',
            },
            { score: 2, zh: '需他人少量扶持', en: 'Needs a little support' },
            { score: 1, zh: '需他人大量扶持', en: 'Needs much support' },
            { score: 0, zh: '完全不能步行', en: 'Cannot walk' },
          ],
        },
        {
          code: 'B.2.4',
          zh: '上下楼梯',
          en: 'Stairs',
          clause: 'Table B.2, B.2.4 (0-3)',
          options: [
            { score: 3, zh: '可独立上下楼梯（连续10~15个台阶）', en: 'Goes up and down stairs alone (10-15 steps)' },
            { score: 2, zh: '在他人指导或提示下完成', en: 'With guidance or prompting' },
            { score: 1, zh: '需要他人协助，但以自身完成为主', en: 'Needs help but does most of it' },
            { score: 0, zh: '主要依靠他人协助，或完全依赖他人', en: 'Mostly or fully relies on others' },
          ],
        },
      ],
    },
    {
      code: 'B.3',
      zh: '精神状态',
      en: 'Mental state',
      max: 28,
      clause: 'Annex B, Table B.3',
      items: [
        {
          code: 'B.3.1',
          zh: '时间定向',
          en: 'Orientation in time',
          clause: 'Table B.3, B.3.1',
          options: [
            { score: 4, zh: '时间观念（年、月）清楚，日期（或星期几）可相差一天', en: 'Knows the year and month; the date (or weekday) may be a day off' },
            {
              score: 3,
              zh: '时间观念有些下降，年、月、日（或星期几）不能全部分清（相差两天或以上）',
              en: 'Somewhat weaker: cannot tell all of year, month and day (two days or more off)',
            },
            {
              score: 2,
              zh: '时间观念较差，年、月、日不清楚，可知上半年或下半年或季节',
              en: 'Poor: not the year, month or day, but knows the half-year or season',
            },
            { score: 1, zh: '时间观念很差，年、月、日不清楚，可知上午、下午或白天、夜间', en: 'Very poor: knows only morning or afternoon, day or night' },
            { score: 0, zh: '无时间观念', en: 'No sense of time' },
          ],
        },
        {
          code: 'B.3.2',
          zh: '空间定向',
          en: 'Orientation in space',
          clause: 'Table B.3, B.3.2',
          options: [
            {
              score: 4,
              zh: '能在日常生活范围内单独外出，如在日常居住小区内独自外出购物等',
              en: 'Goes out alone within daily range, e.g. shopping in the neighbourhood',
            },
            {
              score: 3,
              zh: '不能单独外出，但能准确知道自己日常生活所在地的地址信息',
              en: 'Cannot go out alone, but knows the address where they live exactly',
            },
            { score: 2, zh: '不能单独外出，但知道较多有关自己日常生活的地址信息', en: 'Cannot go out alone, knows much of their address' },
            { score: 1, zh: '不能单独外出，但知道较少自己居住或生活所在地的地址信息', en: 'Cannot go out alone, knows little of their address' },
            { score: 0, zh: '不能单独外出，无空间观念', en: 'Cannot go out alone, no sense of place' },
          ],
        },
        {
          code: 'B.3.3',
          zh: '人物定向',
          en: 'Orientation to people',
          clause: 'Table B.3, B.3.3',
          options: [
            { score: 4, zh: '认识长期共同一起生活的人，能称呼并知道关系', en: 'Knows the people they live with, their names and relation' },
            { score: 3, zh: '能认识大部分共同生活居住的人，能称呼或知道关系', en: 'Knows most people they live with, by name or relation' },
            { score: 2, zh: '能认识部分日常同住的亲人或照护者等，能称呼或知道关系等', en: 'Knows some relatives or carers they live with' },
            { score: 1, zh: '只认识自己或极少数日常同住的亲人或照护者等', en: 'Knows only themselves or very few relatives or carers' },
            { score: 0, zh: '不认识任何人（包括自己）', en: 'Knows nobody, not even themselves' },
          ],
        },
        {
          code: 'B.3.4',
          zh: '记忆',
          en: 'Memory',
          clause: 'Table B.3, B.3.4',
          options: [
            { score: 4, zh: '总是能保持与社会、年龄所适应的记忆能力，能完整的回忆', en: 'Memory fitting their age; recalls fully' },
            {
              score: 3,
              zh: '出现轻度的记忆紊乱或回忆不能（不能回忆即时信息，3个词语经过5分钟后仅能回忆0~1个）',
              en: 'Mild disorder (recalls 0-1 of 3 words after 5 minutes)',
            },
            { score: 2, zh: '出现中度的记忆紊乱或回忆不能（不能回忆近期记忆，不记得上一顿饭吃了什么）', en: 'Moderate disorder (cannot recall the last meal)' },
            { score: 1, zh: '出现重度的记忆紊乱或回忆不能（不能回忆远期记忆，不记得自己的老朋友）', en: 'Severe disorder (does not remember old friends)' },
            { score: 0, zh: '记忆完全紊乱或者完全不能对既往事物进行正确的回忆', en: 'Memory entirely disordered; cannot recall the past' },
          ],
        },
        {
          code: 'B.3.5',
          zh: '理解能力',
          en: 'Understanding',
          clause: 'Table B.3, B.3.5',
          options: [
            { score: 4, zh: '能正常理解他人的话', en: 'Understands others normally' },
            { score: 3, zh: '能理解他人的话，但需要增加时间', en: 'Understands, but needs more time' },
            { score: 2, zh: '理解有困难，需频繁重复或简化口头表达', en: 'Has difficulty; needs repetition or simpler words' },
            { score: 1, zh: '理解有严重困难，需要大量他人帮助', en: 'Great difficulty; needs much help' },
            { score: 0, zh: '完全不能理解他人的话', en: 'Cannot understand others at all' },
          ],
        },
        {
          code: 'B.3.6',
          zh: '表达能力',
          en: 'Expression',
          clause: 'Table B.3, B.3.6',
          options: [
            { score: 4, zh: '能正常表达自己的想法', en: 'Expresses their thoughts normally' },
            { score: 3, zh: '能表达自己的需要，但需要增加时间', en: 'Expresses needs, but needs more time' },
            { score: 2, zh: '表达需要有困难，需频繁重复或简化口头表达', en: 'Has difficulty; needs repetition or simpler words' },
            { score: 1, zh: '表达有严重困难，需要大量他人帮助', en: 'Great difficulty; needs much help' },
            { score: 0, zh: '完全不能表达需要', en: 'Cannot express needs at all' },
          ],
        },
        {
          code: 'B.3.7',
          zh: '攻击行为',
          en: 'Aggressive behaviour',
          clause: 'Table B.3, B.3.7 (0-1)',
          options: [
            { score: 1, zh: '未出现', en: 'None' },
            { score: 0, zh: '近一个月内出现过攻击行为', en: 'Aggressive behaviour in the past month' },
          ],
        },
        {
          code: 'B.3.8',
          zh: '抑郁症状',
          en: 'Depressive symptoms',
          clause: 'Table B.3, B.3.8 (0-1)',
          options: [
            { score: 1, zh: '未出现', en: 'None' },
            { score: 0, zh: '近一个月内出现过负性情绪', en: 'Negative mood in the past month' },
          ],
        },
        {
          code: 'B.3.9',
          zh: '意识水平',
          en: 'Level of consciousness',
          clause: 'Table B.3, B.3.9 (0-2)',
          options: [
            { score: 2, zh: '神志清醒，对周围环境能做出正确反应', en: 'Alert, responds correctly to surroundings' },
            { score: 1, zh: '嗜睡或意识模糊', en: 'Drowsy or confused' },
            { score: 0, zh: '昏睡或昏迷', en: 'Stuporous or comatose' },
          ],
        },
      ],
    },
    {
      code: 'B.4',
      zh: '感知觉与社会参与',
      en: 'Perception and social participation',
      max: 15,
      clause: 'Annex B, Table B.4',
      items: [
        {
          code: 'B.4.1',
          zh: '视力',
          en: 'Vision',
          clause: 'Table B.4, B.4.1 (0-2)',
          options: [
            { score: 2, zh: '视力正常', en: 'Normal' },
            {
              score: 1,
              zh: '能看清楚大字体，但看不清书报上的标准字体；视力有限，看不清报纸大标题，但能辨认物体',
              en: 'Reads large print but not standard print; or cannot read headlines but recognises objects',
            },
            { score: 0, zh: '只能看到光、颜色和形状；完全失明', en: 'Sees only light, colour and shape; or blind' },
          ],
        },
        {
          code: 'B.4.2',
          zh: '听力',
          en: 'Hearing',
          clause: 'Table B.4, B.4.2 (0-2)',
          options: [
            { score: 2, zh: '听力正常', en: 'Normal' },
            {
              score: 1,
              zh: '在轻声说话或说话距离超过2米时听不清；需在安静环境或大声说话才能听到',
              en: 'Misses soft speech or speech beyond 2 m; needs quiet or a loud voice',
            },
            { score: 0, zh: '讲话者大声说话或说话很慢，才能部分听见；完全失聪', en: 'Hears only part of loud, slow speech; or deaf' },
          ],
        },
        {
          code: 'B.4.3',
          zh: '执行日常事务',
          en: 'Managing daily affairs',
          clause: 'Table B.4, B.4.3',
          options: [
            { score: 4, zh: '能完全独立计划、安排和完成日常事务，无需协助', en: 'Plans and completes daily affairs alone' },
            { score: 3, zh: '在计划、安排和完成日常事务时需要他人监护或指导', en: 'Needs supervision or guidance' },
            { score: 2, zh: '在计划、安排和完成日常事务时需要少量协助', en: 'Needs a little help' },
            { score: 1, zh: '在计划、安排和完成日常事务时需要大量协助', en: 'Needs much help' },
            { score: 0, zh: '完全依赖他人进行日常事务', en: 'Fully dependent on others' },
          ],
        },
        {
          code: 'B.4.4',
          zh: '使用交通工具外出',
          en: 'Going out by transport',
          clause: 'Table B.4, B.4.4 (0-3)',
          options: [
            { score: 3, zh: '能自己骑车或搭乘公共交通工具外出', en: 'Rides a bicycle or takes public transport alone' },
            { score: 2, zh: '能自己搭乘出租车，但不会搭乘其他公共交通工具外出', en: 'Takes a taxi alone, not other public transport' },
            { score: 1, zh: '当有人协助或陪伴，可搭乘公共交通工具外出', en: 'Takes public transport with help or company' },
            {
              score: 0,
              zh: '只能在他人协助下搭乘出租车或私家车外出；完全不能出门，或者外出完全需要协助',
              en: 'Only by taxi or car with help; or cannot go out',
            },
          ],
        },
        {
          code: 'B.4.5',
          zh: '社会交往能力',
          en: 'Social interaction',
          clause: 'Table B.4, B.4.5',
          options: [
            { score: 4, zh: '参与社会，在社会环境有一定的适应能力，待人接物恰当', en: 'Takes part in society, adapts, behaves appropriately' },
            {
              score: 3,
              zh: '能适应单纯环境，主动接触他人，初见面时难让人发现智力问题，不能理解隐喻语',
              en: 'Copes with simple settings, approaches others; misses metaphors',
            },
            { score: 2, zh: '脱离社会，可被动接触，不会主动待人，谈话中很多不适词句，容易上当受骗', en: 'Withdrawn, passive contact, easily deceived' },
            { score: 1, zh: '勉强可与他人接触，谈吐内容不清楚，表情不恰当', en: 'Barely makes contact; unclear speech, inappropriate expression' },
            { score: 0, zh: '不能与人交往', en: 'Cannot interact with others' },
          ],
        },
      ],
    },
  ],
  // C.3 初步等级: the total's bands, highest first; each band includes both ends
  levels: [
    { code: 'intact', zh: '能力完好', en: 'Intact', min: 90, max: 90, clause: 'Annex C, C.3: 总分 90' },
    { code: 'mild', zh: '轻度失能', en: 'Mildly impaired', min: 66, max: 89, clause: 'Annex C, C.3: 66-89' },
    { code: 'moderate', zh: '中度失能', en: 'Moderately impaired', min: 46, max: 65, clause: 'Annex C, C.3: 46-65' },
    { code: 'severe', zh: '重度失能', en: 'Severely impaired', min: 30, max: 45, clause: 'Annex C, C.3: 30-45' },
    { code: 'complete', zh: '完全失能', en: 'Completely impaired', min: 0, max: 29, clause: 'Annex C, C.3: 0-29' },
  ],
  adjustments: {
    // C.4 a) 处于昏迷状态者，直接评定为完全失能. The 2022 text; copies of Annex B that say 重度失能 carry
    // MZ/T 039-2013's wording, where 重度 was the top of four levels. B.3.9 = 0 covers 昏睡 as well as
    // 昏迷, so coma is recorded as its own fact (A.5 健康相关问题), never inferred from the score.
    coma: { to: 'complete', clause: 'Annex C, C.4 a)' },
    // C.4 b) 确诊为痴呆（F00-F03）或精神科专科医生诊断的其他精神和行为障碍疾病（F04-F99）
    mental: { raise: 1, clause: 'Annex C, C.4 b)' },
    // C.4 c) 近30天内发生过2次及以上照护风险事件（跌倒、噎食、自杀、自伤、走失等）. Counted as the total of
    // events of all kinds in the 30 days before the assessment date (A.2.14): implementations differ,
    // this is the reading that follows the words "2次及以上照护风险事件" without a "同一类" qualifier.
    riskEvents: { atLeast: 2, days: 30, raise: 1, clause: 'Annex C, C.4 c)' },
    // b) and c) together raise the level one step, not two: C.4 lists them as conditions each
    // "在原有能力级别上提高一个等级", the published forms say "若有以下情况之一". Never above 完全失能.
    combined: 'once',
  },
};
