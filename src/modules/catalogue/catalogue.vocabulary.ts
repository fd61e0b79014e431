/**
 * The catalogue's words in the audit log: parameter changes. Pure data; src/modules/vocabulary.ts
 * merges every module's words for the console.
 */
export const vocabulary = {
  actions: {
    'catalogue.set_parameter': { zh: '调整参数', en: 'Set parameter' },
  },
  entities: {
    parameter: { zh: '参数', en: 'Parameter' },
  },
};
