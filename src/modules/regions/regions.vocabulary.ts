/**
 * The regions module's words in the audit log. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console.
 */
export const vocabulary = {
  actions: {
    'regions.shapes_upload': { zh: '上传行政区划边界', en: 'Upload region outlines' },
  } as Record<string, { zh: string; en: string }>,
  entities: {
    region_shapes: { zh: '行政区划边界', en: 'Region outlines' },
  } as Record<string, { zh: string; en: string }>,
};
