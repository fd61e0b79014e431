import { defineModule } from '../types';
import { en, zh } from './messages';
import { ConflictsPage } from './conflicts';
import { ImportHistoryPage } from './import-history';
import { ImportsPage } from './imports';

/** 数据导入: department files in, their history and error reports, conflicts between departments. */
export const imports = defineModule({
  id: 'imports',
  messages: { zh, en },
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
