import { defineModule } from '../types';
import { en, zh } from './messages';
import { SettingsPage } from './settings';

/** 系统设置: the jurisdiction's settings, who set them and why. */
export const settings = defineModule({
  id: 'settings',
  messages: { zh, en },
  routes: [{ path: 'settings', action: 'settings.manage', element: <SettingsPage /> }],
  nav: [{ path: '/settings', label: 'menu.settings', action: 'settings.manage' }],
});
