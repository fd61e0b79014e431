import { defineModule } from '../../platform/module.js';
import * as m001 from './migrations/001-organisation.js';
import * as m002 from './migrations/002-must-change-password.js';
import * as m007 from './migrations/007-login-guard.js';
import { authRoutes } from './users.routes.js';

/** Users, sessions and passwords. */
export const users = defineModule({
  id: 'users',
  routes: [authRoutes],
  tables: ['users', 'sessions', 'login_guard'],
  recordedMigrations: { '007-login-guard': m007 },
  migrations: { '001-organisation': m001, '002-must-change-password': m002 },
  actions: {
    'users.read': { roles: ['bureau_admin'], zh: '查看用户', en: 'View users' },
    /** create, edit, unlock, disable and enable users and reset their passwords, in the administrator's region */
    'users.manage': { roles: ['bureau_admin'], zh: '管理用户', en: 'Manage users' },
  },
});
