import { defineModule } from '../types';
import { lazyPage } from '../shell/lazy-page';

// each page its own chunk, fetched when first opened (bundle split, issue 14)
const ProfilePage = lazyPage(() => import('./profile'), 'ProfilePage');
const RegisterPage = lazyPage(() => import('./register'), 'RegisterPage');

/** 老年人名册: search the register, open a person's profile. */
export const register = defineModule({
  id: 'register',
  messages: () => import('./messages'),
  routes: [
    { path: 'register', action: 'register.read', element: <RegisterPage /> },
    { path: 'register/:id', action: 'register.read', element: <ProfilePage /> },
  ],
  nav: [{ path: '/register', label: 'menu.register', action: 'register.read' }],
});
