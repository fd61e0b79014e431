/**
 * The admission module's words in the audit log. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console.
 */
export const vocabulary = {
  actions: {
    'admission.apply': { zh: '受理公办养老机构入住申请', en: 'Take an application to a public institution' },
    'admission.withdraw': { zh: '撤回入住申请', en: 'Withdraw an admission application' },
    'admission.offer': { zh: '向轮候首位提供床位', en: 'Offer a bed to the first in the queue' },
    'admission.accept': { zh: '记录接受床位并入住', en: 'Record a bed accepted (admitted)' },
    'admission.decline': { zh: '记录放弃床位', en: 'Record a bed declined' },
    'admission.reorder': { zh: '轮候排序变化', en: 'Queue reordered' },
    'admission.queue_read': { zh: '查看轮候名单', en: 'View an admission queue' },
    'admission.application_read': { zh: '查看入住申请', en: 'View an admission application' },
    'admission.track': { zh: '公开查询轮候进度', en: 'Public queue look-up' },
  } as Record<string, { zh: string; en: string }>,
  entities: {
    admission_application: { zh: '入住申请', en: 'Admission application' },
    admission_queue: { zh: '轮候队列', en: 'Admission queue' },
  } as Record<string, { zh: string; en: string }>,
};
