import { defineModule } from '../types';
import { en, zh } from './messages';
import { SelfCheckPage } from './self-check';

/** 养老顾问: the public self-check, open without a session (it stores nothing). */
export const selfCheck = defineModule({
  id: 'self-check',
  messages: { zh, en },
  publicRoutes: [{ path: '/self-check', element: <SelfCheckPage /> }],
});
