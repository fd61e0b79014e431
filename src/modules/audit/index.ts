import { defineModule } from '../../platform/module.js';
import { auditRoutes } from './audit.routes.js';

/** The audit log's pages (the log itself is written by src/platform/audit.ts for every module). */
export const audit = defineModule({
  id: 'audit',
  routes: [auditRoutes],
  actions: {
    // the inspector (监管) reads who did what to whom: oversight of the bureau's own officers
    'audit.read': { roles: ['bureau_admin', 'inspector'], zh: '查看审计日志', en: 'View audit log' },
  },
});
