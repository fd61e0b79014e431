/**
 * The visits module's words in the audit log. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console.
 */
export const vocabulary = {
  actions: {
    // plans (visits-plans)
    'visits.plans_refresh': { zh: '按规则更新探访计划', en: 'Refresh visit plans by rule' },
    'visits.members_read': { zh: '查看探访对象名单', en: 'View visit plan members' },
    'visits.person_plan_read': { zh: '查看老人的探访计划', en: "View a person's visit plan" },
    // end plans
    // work (visits-work)
    'visits.assign': { zh: '分派探访人员', en: 'Assigned visitors' },
    'visits.assign_village': { zh: '整村改派探访人员', en: 'Reassigned a village’s visits' },
    'visits.unassign': { zh: '取消探访分派', en: 'Ended a visit assignment' },
    'visits.assignments_read': { zh: '查看探访分派记录', en: 'Viewed visit assignment history' },
    'visits.assignments_list': { zh: '查看探访对象与分派', en: 'Viewed visit members and assignments' },
    'visits.overdue_read': { zh: '查看逾期未探访名单', en: 'Viewed overdue visits' },
    'visits.escalate': { zh: '连续漏访升级', en: 'Escalated missed visits' },
    'visits.escalations_read': { zh: '查看逾期升级', en: 'Viewed escalations' },
    'visits.escalation_acknowledge': { zh: '确认逾期升级', en: 'Acknowledged an escalation' },
    'visits.escalation_close': { zh: '办结逾期升级', en: 'Closed an escalation' },
    'visits.followup_raise': { zh: '提出跟进事项', en: 'Raised a follow-up' },
    'visits.followup_take': { zh: '接办跟进事项', en: 'Took a follow-up' },
    'visits.followup_close': { zh: '办结跟进事项', en: 'Closed a follow-up' },
    'visits.followups_read': { zh: '查看跟进事项', en: 'Viewed follow-ups' },
    // end work
    // record (visits-record)
    'visit.record': { zh: '记录探访', en: 'Record visit' },
    'visit.today': { zh: '查看今日探访名单', en: 'View today’s visit list' },
    'visit.person_visits': { zh: '查看老人的探访记录', en: 'View a person’s visits' },
    // end record
    // followups-closure: a voided visit undone, follow-ups closed by what they asked for
    'visits.due_reopen': { zh: '探访记录作废，重新打开应访记录', en: 'Reopened a visit due (its visit was voided)' },
    // end followups-closure
  } as Record<string, { zh: string; en: string }>,
  entities: {
    // plans (visits-plans)
    visit_refresh: { zh: '探访计划更新', en: 'Visit plan refresh' },
    // end plans
    // work (visits-work)
    visit_assignment: { zh: '探访分派', en: 'Visit assignment' },
    visit_due: { zh: '探访应访记录', en: 'Visit due' },
    visit_escalation: { zh: '逾期升级', en: 'Escalation' },
    visit_followup: { zh: '跟进事项', en: 'Follow-up' },
    // end work
    // record (visits-record)
    // end record
  } as Record<string, { zh: string; en: string }>,
};
