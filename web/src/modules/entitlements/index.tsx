import { defineModule } from '../types';
import { en, zh } from './messages';
import { RollDetailPage } from './roll-detail';
import { RollsPage } from './rolls';
import { RunDetailPage } from './run-detail';
import { RunsPage } from './runs';

/** 待遇测算 and 发放名册: entitlement runs with their change lists and duties, payment rolls. */
export const entitlements = defineModule({
  id: 'entitlements',
  messages: { zh, en },
  routes: [
    { path: 'runs', action: 'entitlements.read', element: <RunsPage /> },
    { path: 'runs/:id', action: 'entitlements.read', element: <RunDetailPage /> },
    { path: 'rolls', action: 'rolls.read', element: <RollsPage /> },
    { path: 'rolls/:id', action: 'rolls.read', element: <RollDetailPage /> },
  ],
  nav: [
    { path: '/runs', label: 'menu.runs', action: 'entitlements.read' },
    { path: '/rolls', label: 'menu.rolls', action: 'rolls.read' },
  ],
});
