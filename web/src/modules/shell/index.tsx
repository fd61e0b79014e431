import { defineModule } from '../types';
import { lazyPage } from './lazy-page';
import { en, zh } from './messages';
import { LoginPage } from './login';

// each page its own chunk, fetched when first opened (bundle split, issue 14)
const HomePage = lazyPage(() => import('./home'), 'HomePage');

/** The frame: login, the workbench for roles whose modules come later, the words every page shares. */
export const shell = defineModule({
  id: 'shell',
  messages: { zh, en },
  publicRoutes: [{ path: '/login', element: <LoginPage /> }],
  routes: [{ path: 'home', element: <HomePage /> }],
});
