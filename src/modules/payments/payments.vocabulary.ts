/**
 * Payments' words in the audit log: the bank's disbursement file, its return file and the reads of
 * failed payments. Pure data; src/modules/vocabulary.ts merges every module's words for the console.
 */
export const vocabulary = {
  actions: {
    'payments.export': { zh: '生成代发文件', en: 'Export disbursement file' },
    'payments.import_return': { zh: '导入银行回盘', en: 'Import bank return file' },
    'payments.read': { zh: '查看代发结果', en: 'View payment results' },
  },
  entities: {
    payment_batch: { zh: '代发批次', en: 'Disbursement batch' },
  },
};
