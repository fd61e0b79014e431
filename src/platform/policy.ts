/**
 * Who may do what: the roles here, the actions in the modules' manifests. Region is handled by
 * Scope; the table answers only "may this role ever do this".
 */
export const roles = [
  'bureau_admin',
  'town_officer',
  'grid_worker',
  'assessor',
  'provider',
  // a provider's caregiver: its own visits only (issue 17)
  'caregiver',
  'institution_staff',
  'hotline_operator',
  // the hotline's shift supervisor (值班长): an operator who also sees the operators and the queue and takes escalations (issue 18)
  'hotline_supervisor',
  'inspector',
  'village_head',
  'volunteer',
] as const;
export type Role = (typeof roles)[number];

/**
 * The actions: declared by the modules that own them, in their manifests (src/modules/<m>/index.ts,
 * `actions`), and collected by src/modules/index.ts, which makes each declared name a key of this
 * interface (so `Action` is the union of every module's actions, checked by the compiler).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ActionRegistry {}
export type Action = keyof ActionRegistry & string;

/** One action as the manifests declare it: who may do it, and its name in words. */
export interface ActionInfo {
  roles: readonly Role[];
  zh: string;
  en: string;
}

let table: Record<Role, Set<string>> | null = null;
let named = new Map<string, ActionInfo>();

/**
 * Builds the role → actions table from the modules' declarations (at start, src/bootstrap.ts).
 * An action two modules both declare is a mistake, refused here.
 */
export function installPolicy(declared: readonly { id: string; actions?: Record<string, ActionInfo> }[]): void {
  const next = Object.fromEntries(roles.map((r) => [r, new Set<string>()])) as Record<Role, Set<string>>;
  const names = new Map<string, ActionInfo>();
  for (const m of declared) {
    for (const [action, info] of Object.entries(m.actions ?? {})) {
      if (names.has(action)) throw new Error(`action ${action} is declared twice (module ${m.id})`);
      names.set(action, info);
      for (const role of info.roles) next[role].add(action);
    }
  }
  table = next;
  named = names;
}

function installed(): Record<Role, Set<string>> {
  if (!table) throw new Error('The policy table is empty: open a context (src/bootstrap.ts) before checking access');
  return table;
}

/** Every declared action with its roles and name, in declaration order. */
export function declaredActions(): [Action, ActionInfo][] {
  installed();
  return [...named.entries()] as [Action, ActionInfo][];
}

export function can(role: Role, action: Action): boolean {
  return installed()[role].has(action);
}

export function allowedActions(role: Role): Action[] {
  return [...installed()[role]] as Action[];
}

export function isRole(s: string): s is Role {
  return (roles as readonly string[]).includes(s);
}
