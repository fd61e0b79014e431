import { defineModule } from '../types';
import { lazyPage } from '../shell/lazy-page';

// each page its own chunk, fetched when first opened (bundle split, issue 14)
const SelfCheckPage = lazyPage(() => import('./self-check'), 'SelfCheckPage');

/** 养老顾问: the public self-check, open without a session (it stores nothing). */
export const selfCheck = defineModule({
  id: 'self-check',
  messages: () => import('./messages'),
  publicRoutes: [{ path: '/self-check', element: <SelfCheckPage /> }],
});
