/**
 * The assessment module's words in the audit log. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console.
 */
export const vocabulary = {
  actions: {
    // records
    'assessment.read': { zh: '查看能力评估', en: 'View capability assessment' },
    'assessment.create': { zh: '新建能力评估', en: 'Create capability assessment' },
    'assessment.update': { zh: '修改能力评估', en: 'Edit capability assessment' },
    'assessment.conflict': { zh: '能力评估编辑冲突', en: 'Capability assessment edit conflict' },
    'assessment.resolve_conflict': { zh: '处理能力评估编辑冲突', en: 'Resolve capability assessment conflict' },
    'assessment.submit': { zh: '提交能力评估', en: 'Submit capability assessment' },
    'assessment.cosign': { zh: '会签能力评估', en: 'Co-sign capability assessment' },
    'assessment.approve': { zh: '审核通过能力评估', en: 'Approve capability assessment' },
    'assessment.return': { zh: '退回能力评估', en: 'Return capability assessment' },
    'assessment.take_over': { zh: '接收历史评估', en: 'Take over earlier assessments' },
    'assessment.verify': { zh: '核验评估报告', en: 'Verify assessment report' },
    'assessment.list': { zh: '查看能力评估列表', en: 'View capability assessment list' },
    'assessment.capability_read': { zh: '查看老人能力等级', en: 'View person capability level' },
    // schedule
    'assessment.due_read': { zh: '查看待评估名单', en: 'View assessments due' },
    'assessment.assign': { zh: '分派评估', en: 'Assign assessment' },
    'assessment.unassign': { zh: '撤回评估分派', en: 'Withdraw assessment assignment' },
    'assessment.request': { zh: '提出评估申请', en: 'Ask for an assessment' },
    'assessment.coverage_read': { zh: '查看评估覆盖率', en: 'View assessment coverage' },
    'assessment.quality_draw': { zh: '抽取质量复评样本', en: 'Draw quality re-assessment sample' },
    'assessment.export': { zh: '导出评估名单', en: 'Export assessment list' },
    'assessment.assignments_read': { zh: '查看评估分派记录', en: 'View assessment assignments' },
    'assessment.requests_read': { zh: '查看评估申请', en: 'View assessment requests' },
    'assessment.quality_read': { zh: '查看质量抽检样本', en: 'View quality draw sample' },
    'assessment.quality_assign': { zh: '指派复评评估员', en: 'Assign re-assessor' },
    'assessment.schedule_recompute': { zh: '按新评估周期重算到期日', en: 'Recompute due dates for a new schedule' },
    // each worker adds any further audit action it writes here
  } as Record<string, { zh: string; en: string }>,
  entities: {
    assessment: { zh: '能力评估', en: 'Capability assessment' },
    assessment_conflict: { zh: '评估编辑冲突', en: 'Assessment edit conflict' },
    assessment_assignment: { zh: '评估分派', en: 'Assessment assignment' },
    assessment_request: { zh: '评估申请', en: 'Assessment request' },
    assessment_quality_draw: { zh: '质量抽检', en: 'Quality draw' },
  },
};
