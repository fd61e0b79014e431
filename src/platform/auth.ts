import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { UserRow } from '../db/tables.js';
import type { RegionIndex } from '../modules/regions/regions.service.js';
import { recordAudit } from './audit.js';
import { AppError } from './errors.js';
import { isRole } from './policy.js';
import type { Scope } from './scope.js';
import { nowIso, ZONE } from './time.js';

/**
 * Passwords (argon2id) and sessions. A session token lives only in an httpOnly cookie; the
 * database keeps its SHA-256, so a copied database cannot be used to log in.
 */
// argon2id, 19 MiB, t=2, p=1: the OWASP minimum; about 20 ms here.
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON);

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

// Verified against when the username is unknown, so both answers take the same time.
let dummyHash: Promise<string> | undefined;

export function scopeOf(user: UserRow, regions: RegionIndex, ip: string | null): Scope {
  const region = regions.get(user.region_code);
  if (!isRole(user.role) || !region) throw new AppError('FORBIDDEN');
  return { userId: user.id, username: user.username, role: user.role, regionCode: region.code, regionPrefix: region.prefix, ip };
}

function shanghaiTime(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone: ZONE, hour12: false });
}

export async function login(db: Db, config: Config, regions: RegionIndex, username: string, password: string, ip: string | null) {
  const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const now = new Date();
  if (!user || !user.active) {
    dummyHash ??= hashPassword('not-a-real-password');
    await verify(await dummyHash, password).catch(() => false);
    await db.transaction().execute((trx) => recordAudit(trx, anonymous(username, ip), { action: 'auth.login_failed', detail: { reason: 'unknown_user' } }));
    throw new AppError('LOGIN_FAILED');
  }
  if (user.locked_until && user.locked_until > now.toISOString()) {
    throw new AppError('ACCOUNT_LOCKED', { until: shanghaiTime(user.locked_until) });
  }
  const good = await verify(user.password_hash, password).catch(() => false);
  const scope = scopeOf(user, regions, ip);
  if (!good) {
    const failures = user.failed_logins + 1;
    const lock = failures >= config.loginMaxFailures ? new Date(now.getTime() + config.lockoutMinutes * 60_000).toISOString() : null;
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ failed_logins: lock ? 0 : failures, locked_until: lock }).where('id', '=', user.id).execute();
      await recordAudit(trx, scope, { action: lock ? 'auth.locked' : 'auth.login_failed', entityType: 'user', entityId: user.id, detail: { failures } });
    });
    if (lock) throw new AppError('ACCOUNT_LOCKED', { until: shanghaiTime(lock) });
    throw new AppError('LOGIN_FAILED');
  }
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + config.sessionTtlHours * 3600_000).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    // expired sessions are refused anyway; each login clears the user's old ones away
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).where('expires_at', '<', now.toISOString()).execute();
    await trx.insertInto('sessions').values({ id: tokenHash(token), user_id: user.id, created_at: nowIso(), expires_at: expires, ip }).execute();
    await recordAudit(trx, scope, { action: 'auth.login', entityType: 'user', entityId: user.id });
  });
  return { token, user, scope, expires };
}

function anonymous(username: string, ip: string | null): Scope {
  return { userId: null, username: `anonymous:${username.slice(0, 40)}`, role: 'anonymous', regionCode: '', regionPrefix: '\uffff', ip };
}

export async function sessionUser(db: Db, token: string): Promise<UserRow | undefined> {
  const row = await db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users').select('sessions.expires_at')
    .where('sessions.id', '=', tokenHash(token)).executeTakeFirst();
  if (!row || row.expires_at < nowIso() || !row.active) return undefined;
  const { expires_at: _expires, ...user } = row;
  return user;
}

export async function logout(db: Db, token: string, scope: Scope): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sessions').where('id', '=', tokenHash(token)).execute();
    await recordAudit(trx, scope, { action: 'auth.logout', entityType: 'user', entityId: scope.userId ?? undefined });
  });
}
