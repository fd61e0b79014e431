import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

// each page its own chunk, fetched when first opened
const BedsPage = lazyPage(() => import('./beds'), 'BedsPage');
const MealsPage = lazyPage(() => import('./meals'), 'MealsPage');

/**
 * 家庭养老床位与助餐 (issue 17): family care beds with their provider, home adaptation and devices,
 * counted against the county's target; meal points, meals recorded with the price by the rules shown
 * before saving, daily counts and the urban / rural coverage of communities against the targets.
 * The menu has no groups: the two entries follow the other 居家服务 entries (the module is listed
 * after services in modules/index.ts).
 */
export const mealsBeds = defineModule({
  id: 'meals-beds',
  messages: () => import('./messages'),
  routes: [
    { path: 'services/beds', action: 'services.read', element: <BedsPage /> },
    { path: 'services/meals', action: 'services.read', element: <MealsPage /> },
  ],
  nav: [
    { path: '/services/beds', label: 'menu.mbBeds', action: 'services.read' },
    { path: '/services/meals', label: 'menu.mbMeals', action: 'services.read' },
  ],
});
