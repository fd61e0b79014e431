import { defineModule } from '../types';
import { lazyPage } from '../shell/lazy-page';

// each page its own chunk, fetched when first opened (bundle split, issue 14)
const CataloguePage = lazyPage(() => import('./catalogue'), 'CataloguePage');

/** 服务清单: the catalogue's items and rules, its parameters and their history. */
export const catalogue = defineModule({
  id: 'catalogue',
  messages: () => import('./messages'),
  routes: [{ path: 'catalogue', action: 'catalogue.read', element: <CataloguePage /> }],
  nav: [{ path: '/catalogue', label: 'menu.catalogue', action: 'catalogue.read' }],
});
