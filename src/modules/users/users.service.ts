import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { checkCurrentPassword, clearLoginGuard, hashPassword, lockouts, replacePassword, verifyPassword } from '../../platform/auth.js';
import { AppError, notFound } from '../../platform/errors.js';
import { checkPassword } from '../../platform/password.js';
import { isRole, type Role } from '../../platform/policy.js';
import { inRegion, regionInScope, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import type { Executor } from '../../db/database.js';
import type { UserRow } from '../../db/tables.js';

/**
 * Accounts: the list, changing one's own password, and what a bureau administrator does to the
 * accounts of their region (create, edit, reset, unlock, disable, enable), each audited.
 */

/** A user of the administrator's region, or not found (one outside is not told apart from none). */
async function managedUser(ctx: AppContext, scope: Scope, userId: number): Promise<UserRow> {
  requireAction(scope, 'users.manage');
  const target = await ctx.db.selectFrom('users').selectAll().where('id', '=', userId).where(inRegion(scope, 'users.region_code')).executeTakeFirst();
  if (!target || !regionInScope(scope, target.region_code)) throw notFound('user');
  return target;
}

/** The roles whose users are an organisation's staff (they see only what it reaches). */
const ORGANISATION_ROLES: readonly Role[] = ['provider', 'caregiver', 'institution_staff'];

function checkOrganisation(role: Role, organisationId: number | null): void {
  const needs = ORGANISATION_ROLES.includes(role);
  if (needs && organisationId === null) throw new AppError('ORGANISATION_REQUIRED');
  if (!needs && organisationId !== null) throw new AppError('ORGANISATION_NOT_ALLOWED');
}

function checkRole(role: string): Role {
  if (!isRole(role)) throw new AppError('ROLE_UNKNOWN', { role });
  return role;
}

/** A region the administrator may put a user in: known, and inside their own. */
function checkRegion(ctx: AppContext, scope: Scope, code: string) {
  const region = ctx.regions.get(code);
  if (!region) throw new AppError('REGION_UNKNOWN', { region: code });
  if (!regionInScope(scope, region.code)) throw new AppError('REGION_OUT_OF_SCOPE', { region: region.name });
  return region;
}

const endSessions = (db: Executor, userId: number) => db.deleteFrom('sessions').where('user_id', '=', userId).execute();

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
    organisationId: u.organisation_id,
    active: u.active === 1,
    lockedUntil: locked.get(u.username) ?? null,
    mustChangePassword: u.must_change_password === 1,
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
    await replacePassword(trx, user, next, { mustChange: false });
    await clearLoginGuard(trx, user.username);
    await recordAudit(trx, scope, { action: 'users.password_changed', entityType: 'user', entityId: user.id, regionCode: user.region_code });
  });
}

/**
 * A bureau administrator sets a new password for a user in their region: the policy applies,
 * the user's sessions end, their lockouts are cleared, and they must change it at their next login. Not for one's own account (that is a
 * change, with the current password). A user outside the region is answered as not found.
 */
export async function resetPassword(ctx: AppContext, scope: Scope, userId: number, password: string): Promise<void> {
  const target = await managedUser(ctx, scope, userId);
  if (target.id === scope.userId) throw new AppError('PASSWORD_RESET_SELF');
  checkPassword(password, target.username);
  await ctx.db.transaction().execute(async (trx) => {
    await replacePassword(trx, target, password, { mustChange: true });
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
  /** for provider and institution staff: the organisation they work for (no organisations table yet) */
  organisationId?: number | null;
  /** the password was chosen by someone other than the user: they must change it at first login */
  mustChangePassword?: boolean;
}

/**
 * Creates an account, audited as users.create: an administrator's (who must change the password
 * at first login) or the command line's create-user (the operator types the password, not forced).
 */
export async function createUser(ctx: AppContext, scope: Scope, u: NewUser): Promise<number> {
  requireAction(scope, 'users.manage');
  if (!/^[\w.-]{2,64}$/.test(u.username)) throw new AppError('USERNAME_FORMAT', { username: u.username });
  const role = checkRole(u.role);
  const region = checkRegion(ctx, scope, u.regionCode);
  const organisationId = u.organisationId ?? null;
  checkOrganisation(role, organisationId);
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
        role,
        region_code: region.code,
        organisation_id: organisationId,
        must_change_password: u.mustChangePassword ? 1 : 0,
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
      detail: { username: u.username, role, organisationId },
    });
    return row.id;
  });
}

export interface UserChange {
  displayName?: string;
  role?: string;
  regionCode?: string;
  organisationId?: number | null;
}

/**
 * Changes a user's name, role, region or organisation, audited with before and after. A role
 * without an organisation drops the one the user had. A change of role, region or organisation
 * ends the user's sessions (they log in again and see what the new one allows). An administrator
 * changes neither their own role nor their own region.
 */
export async function updateUser(ctx: AppContext, scope: Scope, userId: number, change: UserChange): Promise<void> {
  const target = await managedUser(ctx, scope, userId);
  const role = change.role === undefined ? checkRole(target.role) : checkRole(change.role);
  const regionCode = change.regionCode === undefined ? target.region_code : checkRegion(ctx, scope, change.regionCode).code;
  const organisationId = change.organisationId !== undefined ? change.organisationId : ORGANISATION_ROLES.includes(role) ? target.organisation_id : null;
  const from = { displayName: target.display_name, role: target.role, regionCode: target.region_code, organisationId: target.organisation_id };
  const to = { displayName: change.displayName ?? target.display_name, role, regionCode, organisationId };
  const access = from.role !== to.role || from.regionCode !== to.regionCode || from.organisationId !== to.organisationId;
  if (target.id === scope.userId && (from.role !== to.role || from.regionCode !== to.regionCode)) throw new AppError('USER_SELF_CHANGE');
  // the rule is checked when what it is about changes: the demo's provider keeps its name without an organisation
  if (access) checkOrganisation(role, organisationId);
  if (!access && from.displayName === to.displayName) return;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ display_name: to.displayName, role, region_code: regionCode, organisation_id: organisationId })
      .where('id', '=', target.id)
      .execute();
    if (access) await endSessions(trx, target.id);
    await recordAudit(trx, scope, {
      action: 'users.update',
      entityType: 'user',
      entityId: target.id,
      regionCode,
      detail: { username: target.username, from, to },
    });
  });
}

/** Lifts every login lockout of the user (from any address), audited. */
export async function unlockUser(ctx: AppContext, scope: Scope, userId: number): Promise<void> {
  const target = await managedUser(ctx, scope, userId);
  await ctx.db.transaction().execute(async (trx) => {
    await clearLoginGuard(trx, target.username);
    await recordAudit(trx, scope, {
      action: 'users.unlock',
      entityType: 'user',
      entityId: target.id,
      regionCode: target.region_code,
      detail: { username: target.username },
    });
  });
}

/**
 * Disables (every session of the user ends at once, and their login is refused) or enables an
 * account, audited. An administrator does not disable themself.
 */
export async function setUserActive(ctx: AppContext, scope: Scope, userId: number, active: boolean): Promise<void> {
  const target = await managedUser(ctx, scope, userId);
  if (target.id === scope.userId) throw new AppError('USER_SELF_CHANGE');
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ active: active ? 1 : 0 })
      .where('id', '=', target.id)
      .execute();
    if (!active) await endSessions(trx, target.id);
    await recordAudit(trx, scope, {
      action: active ? 'users.enable' : 'users.disable',
      entityType: 'user',
      entityId: target.id,
      regionCode: target.region_code,
      detail: { username: target.username },
    });
  });
}
