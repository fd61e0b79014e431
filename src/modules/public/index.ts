import { defineModule } from '../../platform/module.js';
import './public.settings.js';
import { publicRoutes } from './public.routes.js';

/**
 * The public pages (R12): an elder and her family on a phone, no login. The portal (whom to call,
 * how to apply, where to go), the catalogue in plain words, a facility's page with its published
 * inspections and credit grade. Reads only through the public functions of the modules to its
 * left; owns no table and stores nothing.
 */
export const publicPages = defineModule({
  id: 'public',
  routes: [publicRoutes],
});
