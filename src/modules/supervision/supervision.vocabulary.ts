/**
 * The supervision module's words in the audit log. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console.
 */
export const vocabulary = {
  actions: {
    'supervision.conflict_add': { zh: '登记检查员回避关系', en: 'Record an inspector’s declared link' },
    'supervision.conflict_end': { zh: '撤销检查员回避关系', en: 'Withdraw an inspector’s declared link' },
    'supervision.round_announce': { zh: '公告双随机抽查轮次', en: 'Announce an inspection round' },
    'supervision.round_draw': { zh: '双随机抽取', en: 'Draw an inspection round' },
    'supervision.inspection_create': { zh: '安排专项检查', en: 'Create an ad-hoc inspection' },
    'supervision.inspection_submit': { zh: '提交检查记录', en: 'Submit an inspection' },
    'supervision.inspection_sign_off': { zh: '签发并公开检查结果', en: 'Sign off and publish an inspection' },
    'supervision.inspection_follow_up': { zh: '登记整改复查', en: 'Record a rectification follow-up' },
    'supervision.ratings_compute': { zh: '计算信用评价', en: 'Compute credit ratings' },
  } as Record<string, { zh: string; en: string }>,
  entities: {
    supervision_conflict: { zh: '回避关系', en: 'Declared link' },
    supervision_round: { zh: '抽查轮次', en: 'Inspection round' },
    supervision_inspection: { zh: '检查', en: 'Inspection' },
    supervision_rating: { zh: '信用评价', en: 'Credit rating' },
  } as Record<string, { zh: string; en: string }>,
};
