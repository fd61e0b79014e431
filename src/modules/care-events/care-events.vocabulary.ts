/**
 * The care-events module's words in the audit log. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console.
 */
export const vocabulary = {
  actions: {
    'care_event.record': { zh: '登记服务记录', en: 'Record verified event' },
    'care_event.photo': { zh: '添加服务记录照片', en: 'Add photo to verified event' },
    'care_event.confirm': { zh: '确认服务记录', en: 'Confirm verified event' },
    'care_event.void': { zh: '作废服务记录', en: 'Void verified event' },
    'care_event.read': { zh: '查看服务记录', en: 'View verified event' },
    'care_event.list': { zh: '查看服务记录列表', en: 'View verified events list' },
    'care_event.photo_read': { zh: '查看服务记录照片', en: 'View verified event photo' },
    // (each part of issue 16 adds its own lines between its markers)
  } as Record<string, { zh: string; en: string }>,
  entities: {
    care_event: { zh: '服务记录', en: 'Verified event' },
  } as Record<string, { zh: string; en: string }>,
};
