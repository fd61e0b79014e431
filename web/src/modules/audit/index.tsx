import { defineModule } from '../types';
import { lazyPage } from '../shell/lazy-page';

// each page its own chunk, fetched when first opened (bundle split, issue 14)
const AuditPage = lazyPage(() => import('./audit'), 'AuditPage');

/** 审计日志: the append-only, hash-chained log and its check. */
export const audit = defineModule({
  id: 'audit',
  messages: () => import('./messages'),
  routes: [{ path: 'audit', action: 'audit.read', element: <AuditPage /> }],
  nav: [{ path: '/audit', label: 'menu.audit', action: 'audit.read' }],
});
