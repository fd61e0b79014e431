import { defineDaily } from '../../platform/daily.js';
import { everywhere } from '../../platform/scope.js';
import { refreshQueues } from './applications.js';

/**
 * Every queue recomputed once a civil day (platform/daily.ts): the register's facts change (a new
 * 低保 decision, a capability assessment, a birthday at 80), and the places follow, each change
 * with its reason.
 */
export const admissionQueuesDaily = defineDaily({
  name: 'admission-queues',
  run: async (ctx) => {
    await refreshQueues(ctx, everywhere('daily'));
  },
});
