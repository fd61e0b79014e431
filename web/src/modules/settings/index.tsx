import { defineModule } from '../types';
import { lazyPage } from '../shell/lazy-page';

// each page its own chunk, fetched when first opened (bundle split, issue 14)
const SettingsPage = lazyPage(() => import('./settings'), 'SettingsPage');

/** 系统设置: the jurisdiction's settings, who set them and why. */
export const settings = defineModule({
  id: 'settings',
  messages: () => import('./messages'),
  routes: [{ path: 'settings', action: 'settings.manage', element: <SettingsPage /> }],
  nav: [{ path: '/settings', label: 'menu.settings', action: 'settings.manage' }],
});
