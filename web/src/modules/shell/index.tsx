import { defineModule } from '../types';
import { en, zh } from './messages';
import { HomePage } from './home';
import { LoginPage } from './login';

/** The frame: login, the workbench for roles whose modules come later, the words every page shares. */
export const shell = defineModule({
  id: 'shell',
  messages: { zh, en },
  publicRoutes: [{ path: '/login', element: <LoginPage /> }],
  routes: [{ path: 'home', element: <HomePage /> }],
});
