/**
 * Users' words in the audit log: the sign-in and password actions (written by the platform's auth
 * and by the users service) and the user as an object. Pure data; src/modules/vocabulary.ts merges
 * every module's words for the console.
 */
export const vocabulary = {
  actions: {
    'auth.login': { zh: '登录', en: 'Log in' },
    'auth.login_failed': { zh: '登录失败', en: 'Failed login' },
    'auth.locked': { zh: '登录失败并被锁定', en: 'Failed login, locked out' },
    'auth.login_locked_out': { zh: '锁定期间尝试登录', en: 'Login tried while locked out' },
    'auth.logout': { zh: '退出登录', en: 'Log out' },
    'auth.login_disabled': { zh: '已停用账号尝试登录', en: 'Login tried on a disabled account' },
    'users.create': { zh: '创建用户', en: 'Create user' },
    'users.password_changed': { zh: '修改密码', en: 'Change password' },
    'users.password_change_refused': { zh: '修改密码被拒绝', en: 'Password change refused' },
    'users.password_reset': { zh: '重置密码', en: 'Reset password' },
    'users.update': { zh: '修改用户（角色、区域、机构）', en: 'Edit user (role, region, organisation)' },
    'users.unlock': { zh: '解除登录锁定', en: 'Unlock login' },
    'users.disable': { zh: '停用用户', en: 'Disable user' },
    'users.enable': { zh: '启用用户', en: 'Enable user' },
  },
  entities: {
    user: { zh: '用户', en: 'User' },
  },
};
