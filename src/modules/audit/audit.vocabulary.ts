/**
 * The audit log's own words (the chain's checks and keying, written by the route and the
 * platform). Pure data; src/modules/vocabulary.ts merges every module's words for the console.
 */
export const vocabulary = {
  actions: {
    'audit.verify': { zh: '校验审计链', en: 'Verify audit chain' },
    'audit.rekey': { zh: '审计链启用密钥', en: 'Audit chain keyed' },
    'audit.export': { zh: '导出审计日志', en: 'Export audit log' },
  },
  entities: {},
};
