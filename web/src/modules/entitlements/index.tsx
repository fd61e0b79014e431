import { defineModule } from '../types';
import { lazyPage } from '../shell/lazy-page';

// each page its own chunk, fetched when first opened (bundle split, issue 14)
const RollDetailPage = lazyPage(() => import('./roll-detail'), 'RollDetailPage');
const RollsPage = lazyPage(() => import('./rolls'), 'RollsPage');
const RunDetailPage = lazyPage(() => import('./run-detail'), 'RunDetailPage');
const ChangesPage = lazyPage(() => import('./run-changes'), 'ChangesPage');
const RunsPage = lazyPage(() => import('./runs'), 'RunsPage');
const PausedPage = lazyPage(() => import('./paused'), 'PausedPage');

/** 待遇测算 and 发放名册: entitlement runs with their change lists and duties, payment rolls. */
export const entitlements = defineModule({
  id: 'entitlements',
  messages: () => import('./messages'),
  routes: [
    { path: 'changes', action: 'entitlements.handle_change', element: <ChangesPage /> },
    { path: 'runs', action: 'entitlements.read', element: <RunsPage /> },
    { path: 'runs/:id', action: 'entitlements.read', element: <RunDetailPage /> },
    { path: 'rolls', action: 'rolls.read', element: <RollsPage /> },
    { path: 'rolls/:id', action: 'rolls.read', element: <RollDetailPage /> },
    { path: 'paused', action: 'rolls.read', element: <PausedPage /> },
  ],
  nav: [
    // the work queue, named as what it is; a grid worker follows changes up and runs nothing, so
    // their menu has this entry and not 待遇测算
    { path: '/changes', label: 'menu.changes', action: 'entitlements.handle_change' },
    { path: '/runs', label: 'menu.runs', action: 'entitlements.read', hiddenFor: ['grid_worker'] },
    { path: '/rolls', label: 'menu.rolls', action: 'rolls.read' },
    // the eligible-but-paused list: an officer's work queue
    { path: '/paused', label: 'menu.paused', action: 'rolls.read' },
  ],
});
