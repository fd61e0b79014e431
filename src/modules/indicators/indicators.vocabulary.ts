/**
 * The indicators module's words in the audit log. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console.
 */
export const vocabulary = {
  actions: {
    'indicators.members_read': { zh: '查看指标明细名单', en: 'View the people or things behind an indicator' },
    'indicators.members_export': { zh: '导出指标明细名单', en: 'Export the people or things behind an indicator' },
    'indicators.refresh': { zh: '刷新指标计算', en: 'Refresh the indicators' },
  } as Record<string, { zh: string; en: string }>,
  entities: {
    indicator: { zh: '指标', en: 'Indicator' },
  } as Record<string, { zh: string; en: string }>,
};
