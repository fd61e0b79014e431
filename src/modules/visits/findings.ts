/**
 * The visit checklist (issue 16: "findings from a checklist (health, safety, living conditions,
 * needs)"): each finding a code the event stores (care_events.findings), its words, and the
 * follow-up it suggests (the worker may raise another or none). Pure data: the phone imports it.
 * 'ok' codes record that the worker looked and found nothing; they raise nothing.
 */
export type FindingGroup = 'health' | 'safety' | 'living' | 'needs';
// issue 18 (alarms-rules): 'welfare_check' — a monitoring device offline (or another timed alarm
// rule's action): the grid worker of the person's village goes to see them; raised by the platform
export type FollowupKind = 'home_service' | 'hotline' | 'subsidy_review' | 'reassessment' | 'welfare_check';

export interface Finding {
  code: string;
  group: FindingGroup;
  zh: string;
  en: string;
  /** the follow-up this finding suggests; null: none (issue 18 (alarms-rules): never a welfare check) */
  suggests: Exclude<FollowupKind, 'welfare_check'> | null;
}

export const FINDING_GROUPS: Record<FindingGroup, { zh: string; en: string }> = {
  health: { zh: '身体状况', en: 'Health' },
  safety: { zh: '安全隐患', en: 'Safety' },
  living: { zh: '居住与生活', en: 'Living conditions' },
  needs: { zh: '服务需求', en: 'Needs' },
};

export const FINDINGS: readonly Finding[] = [
  { code: 'health.ok', group: 'health', zh: '身体状况良好', en: 'In good health', suggests: null },
  { code: 'health.worse', group: 'health', zh: '身体状况明显变差', en: 'Health clearly worse', suggests: 'reassessment' },
  { code: 'health.fall', group: 'health', zh: '近期跌倒', en: 'A recent fall', suggests: 'reassessment' },
  { code: 'health.ill', group: 'health', zh: '生病未就医', en: 'Ill and not seen by a doctor', suggests: 'hotline' },
  { code: 'health.medication', group: 'health', zh: '不能按时服药', en: 'Not taking medicine as prescribed', suggests: 'home_service' },
  { code: 'health.memory', group: 'health', zh: '记忆力或认知明显下降', en: 'Memory or cognition clearly worse', suggests: 'reassessment' },
  { code: 'health.mood', group: 'health', zh: '情绪低落、孤独', en: 'Low mood, lonely', suggests: 'hotline' },
  { code: 'safety.ok', group: 'safety', zh: '未发现安全隐患', en: 'No safety hazard found', suggests: null },
  { code: 'safety.gas', group: 'safety', zh: '燃气或用电隐患', en: 'Gas or electrical hazard', suggests: 'hotline' },
  { code: 'safety.fire', group: 'safety', zh: '消防隐患', en: 'Fire hazard', suggests: 'hotline' },
  { code: 'safety.housing', group: 'safety', zh: '房屋破损或危房', en: 'Damaged or unsafe housing', suggests: 'subsidy_review' },
  { code: 'safety.fraud', group: 'safety', zh: '疑似诈骗或侵害', en: 'Suspected fraud or abuse', suggests: 'hotline' },
  { code: 'living.ok', group: 'living', zh: '生活正常', en: 'Living normally', suggests: null },
  { code: 'living.food', group: 'living', zh: '饮食无保障', en: 'Not eating properly', suggests: 'home_service' },
  { code: 'living.hygiene', group: 'living', zh: '个人或居家卫生差', en: 'Poor personal or home hygiene', suggests: 'home_service' },
  { code: 'living.heating', group: 'living', zh: '取暖或降温条件差', en: 'Cannot keep warm or cool', suggests: 'subsidy_review' },
  { code: 'living.nocarer', group: 'living', zh: '无人照料', en: 'Nobody to look after them', suggests: 'home_service' },
  { code: 'living.income', group: 'living', zh: '经济困难加重', en: 'Money troubles worse', suggests: 'subsidy_review' },
  { code: 'needs.none', group: 'needs', zh: '暂无服务需求', en: 'No needs now', suggests: null },
  { code: 'needs.meal', group: 'needs', zh: '需要助餐', en: 'Needs meal aid', suggests: 'home_service' },
  { code: 'needs.cleaning', group: 'needs', zh: '需要助洁', en: 'Needs help with cleaning', suggests: 'home_service' },
  { code: 'needs.bathing', group: 'needs', zh: '需要助浴', en: 'Needs help with bathing', suggests: 'home_service' },
  { code: 'needs.medical', group: 'needs', zh: '需要助医（陪同就医、送药）', en: 'Needs medical help (escort, medicine)', suggests: 'home_service' },
  { code: 'needs.device', group: 'needs', zh: '需要安装紧急呼叫设备', en: 'Needs an emergency call device', suggests: 'hotline' },
  { code: 'needs.subsidy', group: 'needs', zh: '可能符合补贴条件未享受', en: 'May qualify for an allowance not received', suggests: 'subsidy_review' },
  { code: 'needs.assessment', group: 'needs', zh: '申请能力评估', en: 'Asks for a capability assessment', suggests: 'reassessment' },
];

export const FINDING_BY_CODE: ReadonlyMap<string, Finding> = new Map(FINDINGS.map((f) => [f.code, f]));

export const FOLLOWUP_KINDS: Record<FollowupKind, { zh: string; en: string }> = {
  home_service: { zh: '上门服务需求', en: 'Home-service request' },
  hotline: { zh: '热线工单', en: 'Hotline ticket' },
  subsidy_review: { zh: '补贴复核', en: 'Subsidy review' },
  reassessment: { zh: '重新评估（状况变化）', en: 'Reassessment (change of condition)' },
  // issue 18 (alarms-rules)
  welfare_check: { zh: '上门查看（监测设备告警）', en: 'Welfare check (monitoring alarm)' },
  // end alarms-rules
};
