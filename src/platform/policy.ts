/**
 * Who may do what: a readable table of role → actions. Region is handled by Scope; this table
 * answers only "may this role ever do this". Later capabilities add their actions here.
 */
export const roles = [
  'bureau_admin',
  'town_officer',
  'grid_worker',
  'assessor',
  'provider',
  'institution_staff',
  'hotline_operator',
  'inspector',
] as const;
export type Role = (typeof roles)[number];

export const actions = [
  'register.read',
  'register.reveal',
  'register.import',
  'register.resolve_conflict',
  'regions.read',
  'audit.read',
  'users.read',
  /** set another user's password (reset), in the administrator's region */
  'users.manage',
  'catalogue.read',
  'catalogue.set_parameter',
  'entitlements.read',
  'entitlements.run',
  'entitlements.handle_change',
  'rolls.read',
  'rolls.prepare',
  'rolls.approve',
  /** the jurisdiction's settings (which catalogue it runs, figures that differ by jurisdiction) */
  'settings.manage',
] as const;
export type Action = (typeof actions)[number];

const table: Record<Role, readonly Action[]> = {
  bureau_admin: [
    'register.read', 'register.reveal', 'register.import', 'register.resolve_conflict', 'regions.read', 'audit.read', 'users.read', 'users.manage',
    'catalogue.read', 'catalogue.set_parameter', 'entitlements.read', 'entitlements.run', 'entitlements.handle_change',
    'rolls.read', 'rolls.prepare', 'rolls.approve', 'settings.manage',
  ],
  // A town prepares its own payment rolls (maker); the bureau checks and approves them (checker).
  town_officer: [
    'register.read', 'register.reveal', 'register.resolve_conflict', 'regions.read',
    'catalogue.read', 'entitlements.read', 'entitlements.handle_change', 'rolls.read', 'rolls.prepare',
  ],
  // Grid workers follow up the change lists of their villages (newly eligible, no longer eligible).
  grid_worker: ['register.read', 'register.reveal', 'regions.read', 'catalogue.read', 'entitlements.read', 'entitlements.handle_change'],
  // Assessors see people in their region until assessment assignments exist (assessment issue).
  assessor: ['register.read', 'regions.read', 'catalogue.read'],
  // The hotline must see who is calling and call back: read and reveal across the jurisdiction,
  // and answer "what am I entitled to" from the person's decisions.
  hotline_operator: ['register.read', 'register.reveal', 'regions.read', 'catalogue.read', 'entitlements.read'],
  provider: ['regions.read', 'catalogue.read'],
  institution_staff: ['regions.read', 'catalogue.read'],
  inspector: ['regions.read', 'catalogue.read'],
};

export function can(role: Role, action: Action): boolean {
  return table[role].includes(action);
}

export function allowedActions(role: Role): Action[] {
  return [...table[role]];
}

export function isRole(s: string): s is Role {
  return (roles as readonly string[]).includes(s);
}
