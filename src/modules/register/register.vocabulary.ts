/**
 * The register's words in the audit log: reading and revealing profiles, searches, imports and
 * conflicts, and the objects they touch. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console.
 */
export const vocabulary = {
  actions: {
    'person.read': { zh: '查看档案', en: 'View profile' },
    'person.reveal': { zh: '显示完整号码', en: 'Reveal full number' },
    'register.search': { zh: '查询名册', en: 'Search register' },
    'register.import': { zh: '导入数据', en: 'Import' },
    'register.import_rejected': { zh: '导入被拒绝', en: 'Import rejected' },
    'register.error_report': { zh: '下载错误报告', en: 'Download error report' },
    'register.conflicts_read': { zh: '查看数据冲突', en: 'View conflicts' },
    'register.resolve_conflict': { zh: '处理数据冲突', en: 'Resolve conflict' },
    'register.export': { zh: '导出名册查询结果', en: 'Export register search' },
    'register.conflicts_export': { zh: '导出数据冲突', en: 'Export conflicts' },
  },
  entities: {
    person: { zh: '人员', en: 'Person' },
    import: { zh: '导入', en: 'Import' },
    // entries written before conflicts were logged against their person
    conflict: { zh: '冲突', en: 'Conflict' },
  },
};
