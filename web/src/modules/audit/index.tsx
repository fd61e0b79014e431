import { defineModule } from '../types';
import { en, zh } from './messages';
import { AuditPage } from './audit';

/** 审计日志: the append-only, hash-chained log and its check. */
export const audit = defineModule({
  id: 'audit',
  messages: { zh, en },
  routes: [{ path: 'audit', action: 'audit.read', element: <AuditPage /> }],
  nav: [{ path: '/audit', label: 'menu.audit', action: 'audit.read' }],
});
