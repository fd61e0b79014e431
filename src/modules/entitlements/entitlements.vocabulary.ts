/**
 * Entitlements' words in the audit log: the runs, their change lists and rosters, and the payment
 * rolls (rolls.*). Pure data; src/modules/vocabulary.ts merges every module's words for the console.
 */
export const vocabulary = {
  actions: {
    'entitlements.run_start': { zh: '开始测算', en: 'Start run' },
    'entitlements.run_resume': { zh: '续算', en: 'Resume run' },
    'entitlements.run_finish': { zh: '测算完成', en: 'Run finished' },
    'entitlements.person_read': { zh: '查看待遇', en: 'View entitlements' },
    'entitlements.payments_read': { zh: '查看发放记录', en: 'View payment history' },
    'entitlements.changes_read': { zh: '查看变动清单', en: 'View change list' },
    'entitlements.handle_change': { zh: '跟进变动', en: 'Follow up change' },
    'entitlements.roster_read': { zh: '查看名单', en: 'View roster' },
    'entitlements.export_roster': { zh: '下载名单', en: 'Download roster' },
    'entitlements.changes_export': { zh: '导出变动清单', en: 'Export change list' },
    'entitlements.payments_export': { zh: '导出发放记录', en: 'Export payment history' },
    'rolls.read': { zh: '查看名册', en: 'View roll' },
    'rolls.edit_line': { zh: '暂停/恢复发放', en: 'Hold or restore a line' },
    'rolls.pause': { zh: '暂停人员发放', en: 'Pause payments' },
    'rolls.pause_lift': { zh: '解除暂停发放', en: 'Lift a payment pause' },
    'rolls.paused_read': { zh: '查看暂停发放名单', en: 'View paused entitlements' },
    'rolls.paused_export': { zh: '导出暂停发放名单', en: 'Export paused entitlements' },
    'rolls.submit': { zh: '提交名册', en: 'Submit roll' },
    'rolls.approve': { zh: '审核通过名册', en: 'Approve roll' },
    'rolls.return': { zh: '退回名册', en: 'Return roll' },
    'rolls.export': { zh: '下载名册', en: 'Download roll' },
  },
  entities: {
    run: { zh: '测算', en: 'Run' },
    roll: { zh: '发放名册', en: 'Payment roll' },
  },
};
