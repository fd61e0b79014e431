import { defineModule } from '../../platform/module.js';
import { settingsRoutes } from './settings.routes.js';

/** The jurisdiction's settings page (the store is src/platform/settings.ts, which every module reads). */
export const settings = defineModule({
  id: 'settings',
  routes: [settingsRoutes],
  actions: {
    /** the jurisdiction's settings (which catalogue it runs, figures that differ by jurisdiction) */
    'settings.manage': { roles: ['bureau_admin'], zh: '管理设置', en: 'Manage settings' },
  },
});
