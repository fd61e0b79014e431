/**
 * Settings' words in the audit log (the platform's settings store writes settings.set). Pure data;
 * src/modules/vocabulary.ts merges every module's words for the console.
 */
export const vocabulary = {
  actions: {
    'settings.set': { zh: '调整设置', en: 'Change setting' },
  },
  entities: {
    setting: { zh: '设置', en: 'Setting' },
  },
};
