import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { checkCurrentPassword, clearLoginGuard, hashPassword, lockouts, replacePassword, verifyPassword } from '../../platform/auth.js';
import { AppError, notFound } from '../../platform/errors.js';
import { checkPassword } from '../../platform/password.js';
import { isRole } from '../../platform/policy.js';
import { inRegion, regionInScope, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import type { UserRow } from '../../db/tables.js';

/** Accounts: the list, changing one's own password, an administrator's reset, creating one. */

export async function listUsers(ctx: AppContext, scope: Scope) {
  requireAction(scope, 'users.read');
  const rows = await ctx.db.selectFrom('users').selectAll().where(inRegion(scope, 'users.region_code')).orderBy('id').execute();
  const locked = await lockouts(ctx.db);
  return rows.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    regionCode: u.region_code,
    regionName: ctx.regions.get(u.region_code)?.name ?? u.region_code,
    active: u.active === 1,
    lockedUntil: locked.get(u.username) ?? null,
  }));
}

/**
 * The signed-in user changes their password: the current one is checked, the new one must meet
 * the policy and differ from it, and every session of the user ends, the current one included.
 */
export async function changePassword(ctx: AppContext, scope: Scope, user: UserRow, current: string, next: string): Promise<void> {
  await checkCurrentPassword(ctx.db, ctx.config, user, scope, current);
  checkPassword(next, user.username);
  if (await verifyPassword(user.password_hash, next)) throw new AppError('PASSWORD_REUSED');
  await ctx.db.transaction().execute(async (trx) => {
    await replacePassword(trx, user, next);
    await clearLoginGuard(trx, user.username);
    await recordAudit(trx, scope, { action: 'users.password_changed', entityType: 'user', entityId: user.id, regionCode: user.region_code });
  });
}

/**
 * A bureau administrator sets a new password for a user in their region: the policy applies,
 * the user's sessions end and their lockouts are cleared. Not for one's own account (that is a
 * change, with the current password). A user outside the region is answered as not found.
 */
export async function resetPassword(ctx: AppContext, scope: Scope, userId: number, password: string): Promise<void> {
  requireAction(scope, 'users.manage');
  const target = await ctx.db.selectFrom('users').selectAll().where('id', '=', userId).where(inRegion(scope, 'users.region_code')).executeTakeFirst();
  if (!target || !regionInScope(scope, target.region_code)) throw notFound('user');
  if (target.id === scope.userId) throw new AppError('PASSWORD_RESET_SELF');
  checkPassword(password, target.username);
  await ctx.db.transaction().execute(async (trx) => {
    await replacePassword(trx, target, password);
    await clearLoginGuard(trx, target.username);
    await recordAudit(trx, scope, {
      action: 'users.password_reset',
      entityType: 'user',
      entityId: target.id,
      regionCode: target.region_code,
      detail: { username: target.username },
    });
  });
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: string;
  regionCode: string;
}

/** Creates an account (the command line's create-user), audited as users.create. */
export async function createUser(ctx: AppContext, scope: Scope, u: NewUser): Promise<number> {
  if (!/^[\w.-]{2,64}$/.test(u.username)) throw new AppError('USERNAME_FORMAT', { username: u.username });
  if (!isRole(u.role)) throw new AppError('ROLE_UNKNOWN', { role: u.role });
  const region = ctx.regions.get(u.regionCode);
  if (!region) throw new AppError('REGION_UNKNOWN', { region: u.regionCode });
  if (!regionInScope(scope, region.code)) throw new AppError('FORBIDDEN');
  checkPassword(u.password, u.username);
  const passwordHash = await hashPassword(u.password);
  return ctx.db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('users').select('id').where('username', '=', u.username).executeTakeFirst();
    if (taken) throw new AppError('USERNAME_TAKEN', { username: u.username });
    const row = await trx
      .insertInto('users')
      .values({
        username: u.username,
        display_name: u.displayName,
        password_hash: passwordHash,
        role: u.role,
        region_code: region.code,
        active: 1,
        created_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'users.create',
      entityType: 'user',
      entityId: row.id,
      regionCode: region.code,
      detail: { username: u.username, role: u.role },
    });
    return row.id;
  });
}
