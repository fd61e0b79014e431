import { defineModule } from '../../platform/module.js';
import { workbenchRoutes } from './workbench.routes.js';

/**
 * 工作台: the viewer's to-dos, recent activity and their region's figures, gathered from the
 * modules to its left through their public query functions (<m>/workbench.queries.ts). It owns no
 * table and declares no action (`never`, so the Action type stays the union of the declared names):
 * every signed-in role has a workbench.
 */
export const workbench = defineModule<never>({
  id: 'workbench',
  routes: [workbenchRoutes],
});
