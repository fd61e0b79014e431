import type { ServerModule } from '../platform/module.js';
import { admission } from './admission/index.js';
import { alarms } from './alarms/index.js';
import { assessment } from './assessment/index.js';
import { audit } from './audit/index.js';
import { careEvents } from './care-events/index.js';
import { catalogue } from './catalogue/index.js';
import { complaints } from './complaints/index.js';
import { entitlements } from './entitlements/index.js';
import { facilities } from './facilities/index.js';
import { indicators } from './indicators/index.js';
import { payments } from './payments/index.js';
import { publicPages } from './public/index.js';
import { regions } from './regions/index.js';
import { register } from './register/index.js';
import { services } from './services/index.js';
import { settings } from './settings/index.js';
import { supervision } from './supervision/index.js';
import { timebank } from './timebank/index.js';
import { users } from './users/index.js';
import { visits } from './visits/index.js';
import { workbench } from './workbench/index.js';

/**
 * The capabilities, in the order of the data path (ARCHITECTURE.md: a module uses only those to its
 * left). The app registers their routes, the migrator runs their migrations, the policy table takes
 * their actions and start-up runs their hooks, all from this one list.
 */
export const serverModules = [
  users,
  regions,
  register,
  assessment,
  audit,
  catalogue,
  entitlements,
  payments,
  careEvents,
  visits,
  timebank,
  services,
  alarms,
  facilities,
  admission,
  complaints,
  supervision,
  publicPages,
  indicators,
  settings,
  workbench,
] as const;

type ActionsOf<M> = M extends ServerModule<infer A> ? A : never;
/** Every action some module declares. */
export type DeclaredAction = ActionsOf<(typeof serverModules)[number]>;

declare module '../platform/policy.js' {
  // the declared actions are the Action type (an interface, so that it merges with the platform's)
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ActionRegistry extends Record<DeclaredAction, true> {}
}
