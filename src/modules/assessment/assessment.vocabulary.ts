/**
 * The assessment module's words in the audit log. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console.
 */
export const vocabulary = {
  actions: {
    // each worker adds the audit actions it writes here
  } as Record<string, { zh: string; en: string }>,
  entities: {
    assessment: { zh: '能力评估', en: 'Capability assessment' },
  },
};
