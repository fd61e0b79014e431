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
] as const;
export type Action = (typeof actions)[number];

const table: Record<Role, readonly Action[]> = {
  bureau_admin: ['register.read', 'register.reveal', 'register.import', 'register.resolve_conflict', 'regions.read', 'audit.read', 'users.read'],
  town_officer: ['register.read', 'register.reveal', 'register.resolve_conflict', 'regions.read'],
  grid_worker: ['register.read', 'register.reveal', 'regions.read'],
  // Assessors see people in their region until assessment assignments exist (assessment issue).
  assessor: ['register.read', 'regions.read'],
  // The hotline must see who is calling and call back: read and reveal across the jurisdiction.
  hotline_operator: ['register.read', 'register.reveal', 'regions.read'],
  provider: ['regions.read'],
  institution_staff: ['regions.read'],
  inspector: ['regions.read'],
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
