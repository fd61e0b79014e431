import type { MessageKey } from './i18n';

/** The console's menu: an item shows when the user's role allows its action. */
export interface NavItem {
  path: string;
  label: MessageKey;
  action: string;
}

export const navItems: NavItem[] = [
  { path: '/register', label: 'menu.register', action: 'register.read' },
  { path: '/imports', label: 'menu.imports', action: 'register.import' },
  { path: '/imports/history', label: 'menu.importHistory', action: 'register.import' },
  { path: '/conflicts', label: 'menu.conflicts', action: 'register.resolve_conflict' },
  { path: '/catalogue', label: 'menu.catalogue', action: 'catalogue.read' },
  { path: '/runs', label: 'menu.runs', action: 'entitlements.read' },
  { path: '/rolls', label: 'menu.rolls', action: 'rolls.read' },
  { path: '/audit', label: 'menu.audit', action: 'audit.read' },
  { path: '/users', label: 'menu.users', action: 'users.read' },
  { path: '/settings', label: 'menu.settings', action: 'settings.manage' },
];

export function allowedNav(actions: string[]): NavItem[] {
  return navItems.filter((n) => actions.includes(n.action));
}

/** The menu item a path belongs to: the longest matching prefix (/imports/history before /imports). */
export function selectedNav(pathname: string, items: NavItem[]): string | undefined {
  return items
    .filter((n) => pathname === n.path || pathname.startsWith(`${n.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;
}
