import { defineModule } from '../types';
import { en, zh } from './messages';
import { UsersPage } from './users';

/** 用户: the accounts of the viewer's region, and an administrator's password reset. */
export const users = defineModule({
  id: 'users',
  messages: { zh, en },
  routes: [{ path: 'users', action: 'users.read', element: <UsersPage /> }],
  nav: [{ path: '/users', label: 'menu.users', action: 'users.read' }],
});
