/** Strings of user accounts. `en` is typed against `zh`, so a key missing in English fails the typecheck. */
export const zh = {
  'menu.users': '用户',
  'users.username': '用户名',
  'users.displayName': '姓名',
  'users.role': '角色',
  'users.region': '区域',
  'users.active': '启用',
  'users.lockedUntil': '锁定至',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'menu.users': 'Users',
  'users.username': 'Username',
  'users.displayName': 'Name',
  'users.role': 'Role',
  'users.region': 'Region',
  'users.active': 'Active',
  'users.lockedUntil': 'Locked until',
};
