import { defineModule } from '../types';
import { lazyPage } from '../shell/lazy-page';

// each page its own chunk, fetched when first opened (bundle split, issue 14)
const ConflictsPage = lazyPage(() => import('./conflicts'), 'ConflictsPage');
const ImportHistoryPage = lazyPage(() => import('./import-history'), 'ImportHistoryPage');
const ImportsPage = lazyPage(() => import('./imports'), 'ImportsPage');

/** 数据导入: department files in, their history and error reports, conflicts between departments. */
export const imports = defineModule({
  id: 'imports',
  messages: () => import('./messages'),
  routes: [
    { path: 'imports', action: 'register.import', element: <ImportsPage /> },
    { path: 'imports/history', action: 'register.import', element: <ImportHistoryPage /> },
    { path: 'conflicts', action: 'register.resolve_conflict', element: <ConflictsPage /> },
  ],
  nav: [
    { path: '/imports', label: 'menu.imports', action: 'register.import' },
    { path: '/imports/history', label: 'menu.importHistory', action: 'register.import' },
    { path: '/conflicts', label: 'menu.conflicts', action: 'register.resolve_conflict' },
  ],
});
