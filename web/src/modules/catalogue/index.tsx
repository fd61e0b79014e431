import { defineModule } from '../types';
import { en, zh } from './messages';
import { CataloguePage } from './catalogue';

/** 服务清单: the catalogue's items and rules, its parameters and their history. */
export const catalogue = defineModule({
  id: 'catalogue',
  messages: { zh, en },
  routes: [{ path: 'catalogue', action: 'catalogue.read', element: <CataloguePage /> }],
  nav: [{ path: '/catalogue', label: 'menu.catalogue', action: 'catalogue.read' }],
});
