/**
 * The complaints module's words in the audit log. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console.
 */
export const vocabulary = {
  actions: {
    'complaints.file': { zh: '提交投诉举报', en: 'File a complaint' },
    'complaints.track': { zh: '查询投诉办理进度', en: 'Track a complaint' },
    'complaints.list_read': { zh: '查看投诉举报列表', en: 'View complaints' },
    'complaints.detail_read': { zh: '查看投诉举报详情', en: 'View a complaint' },
    'complaints.assign': { zh: '交办投诉举报', en: 'Assign a complaint' },
    'complaints.investigate': { zh: '开始调查投诉举报', en: 'Start investigating a complaint' },
    'complaints.note': { zh: '记录投诉办理备注', en: 'Note on a complaint' },
    'complaints.classify': { zh: '更正投诉对象或类别', en: 'Correct a complaint’s target or category' },
    'complaints.contact_reveal': { zh: '查看投诉人完整联系方式', en: 'Reveal the complainant’s contact' },
    'complaints.reply': { zh: '答复投诉人', en: 'Reply to the complainant' },
    'complaints.close': { zh: '办结投诉举报', en: 'Close a complaint' },
    'complaints.escalate': { zh: '投诉逾期上报', en: 'Raise an overdue complaint' },
    'complaints.survey_draw': { zh: '抽取满意度回访样本', en: 'Draw the satisfaction survey sample' },
    'complaints.surveys_read': { zh: '查看满意度回访', en: 'View satisfaction survey calls' },
    'complaints.survey_answer': { zh: '记录满意度回访结果', en: 'Record a satisfaction survey answer' },
    'complaints.survey_results_read': { zh: '查看满意度调查结果', en: 'View satisfaction results' },
  } as Record<string, { zh: string; en: string }>,
  entities: {
    complaint: { zh: '投诉举报', en: 'Complaint' },
    survey_draw: { zh: '满意度回访抽样', en: 'Survey draw' },
    survey_call: { zh: '满意度回访', en: 'Survey call' },
  } as Record<string, { zh: string; en: string }>,
};
