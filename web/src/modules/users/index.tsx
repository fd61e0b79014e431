import { defineModule } from '../types';
import { lazyPage } from '../shell/lazy-page';

// each page its own chunk, fetched when first opened (bundle split, issue 14)
const UsersPage = lazyPage(() => import('./users'), 'UsersPage');

/** 用户: the accounts of the viewer's region, and an administrator's password reset. */
export const users = defineModule({
  id: 'users',
  messages: () => import('./messages'),
  routes: [{ path: 'users', action: 'users.read', element: <UsersPage /> }],
  nav: [{ path: '/users', label: 'menu.users', action: 'users.read' }],
});
