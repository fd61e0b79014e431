import { defineModule } from '../types';
import { en, zh } from './messages';
import { ProfilePage } from './profile';
import { RegisterPage } from './register';

/** 老年人名册: search the register, open a person's profile. */
export const register = defineModule({
  id: 'register',
  messages: { zh, en },
  routes: [
    { path: 'register', action: 'register.read', element: <RegisterPage /> },
    { path: 'register/:id', action: 'register.read', element: <ProfilePage /> },
  ],
  nav: [{ path: '/register', label: 'menu.register', action: 'register.read' }],
});
