import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

// each page its own chunk, fetched when first opened
const QueuePage = lazyPage(() => import('./queue'), 'QueuePage');
const TrackPage = lazyPage(() => import('./track'), 'TrackPage');

/**
 * 入住轮候 (issue 19): a public institution's queue per bed type, ranked by rule, with applications,
 * offers of free beds and the reasons for every change of place; the public look-up by the receipt's
 * code (/admission/track, no login).
 */
export const admission = defineModule({
  id: 'admission',
  messages: () => import('./messages'),
  routes: [{ path: 'admission', action: 'admission.read', element: <QueuePage /> }],
  publicRoutes: [{ path: '/admission/track', element: <TrackPage /> }],
  nav: [{ path: '/admission', label: 'menu.admission', action: 'admission.read' }],
});
