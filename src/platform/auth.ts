import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Transaction } from 'kysely';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { dialectOf } from '../db/dialect.js';
import type { Database, UserRow } from '../db/tables.js';
import type { RegionIndex } from '../modules/regions/regions.service.js';
import { recordAudit } from './audit.js';
import { AppError } from './errors.js';
import { isRole } from './policy.js';
import { anonymousScope, userScope, type Scope } from './scope.js';
import { nowIso, ZONE } from './time.js';

/**
 * Passwords (argon2id), sessions and login back-off. A session token lives only in an httpOnly
 * cookie; the database keeps its SHA-256, so a copied database cannot be used to log in. The
 * CSRF token is derived from the session (an HMAC of it), so it works with that session only.
 */
// argon2id, 19 MiB, t=2, p=1: the OWASP minimum; about 20 ms here.
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON);

export const verifyPassword = (stored: string, password: string) => verify(stored, password).catch(() => false);

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

// Verified against when the username is unknown, so both answers take the same time.
let dummyHash: Promise<string> | undefined;

export function scopeOf(user: UserRow, regions: RegionIndex, ip: string | null): Scope {
  const region = regions.get(user.region_code);
  if (!isRole(user.role) || !region) throw new AppError('FORBIDDEN');
  // an organisation's staff see what it reaches; an assessor or a volunteer only the persons assigned to them
  // (issues 15, 16), as the modules that own the assignments say (assessment/reach.ts, visits/reach.ts)
  return userScope({ id: user.id, username: user.username, role: user.role }, region, ip, {
    // staff of an organisation with none on record reach nobody: organisation 0 is no organisation's
    organisationId: user.organisation_id ?? (user.role === 'provider' || user.role === 'caregiver' || user.role === 'institution_staff' ? 0 : null),
    assignedOnly: user.role === 'assessor' || user.role === 'volunteer',
  });
}

function shanghaiTime(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone: ZONE, hour12: false });
}

// ---- CSRF: bound to the session ----

/** The key CSRF tokens are made with, derived from the master key (never stored). */
export function csrfKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'yiyang/csrf-token', 32));
}

/** The CSRF token of the session whose cookie holds `sessionToken`. */
export function csrfTokenFor(key: Buffer, sessionToken: string): string {
  return createHmac('sha256', key).update(tokenHash(sessionToken)).digest('base64url');
}

export function csrfTokenValid(key: Buffer, sessionToken: string, given: string | undefined): boolean {
  if (!given) return false;
  const want = Buffer.from(csrfTokenFor(key, sessionToken));
  const got = Buffer.from(given);
  return got.length === want.length && timingSafeEqual(got, want);
}

// ---- login back-off ----

/**
 * Failures are counted per (username, client address) and per client address across usernames,
 * for unknown usernames exactly as for known ones. LOGIN_MAX_FAILURES failures of one username
 * from one address, or LOGIN_IP_MAX_FAILURES from one address, within LOCKOUT_MINUTES lock that
 * pair (or that address) out for LOCKOUT_MINUTES. Nothing is ever locked for everyone: the same
 * account logs in from another address.
 */
interface GuardKey {
  key: string;
  username: string | null;
  max: number;
}

function guardKeys(config: Config, username: string, ip: string | null): GuardKey[] {
  const address = ip ?? 'unknown';
  return [
    { key: `user:${address} ${username}`, username, max: config.loginMaxFailures },
    { key: `ip:${address}`, username: null, max: config.loginIpMaxFailures },
  ];
}

/** The end of the lockout that applies to this username from this address, if any. */
async function lockedUntil(db: Db | Transaction<Database>, keys: GuardKey[], now: string): Promise<string | null> {
  const rows = await db
    .selectFrom('login_guard')
    .select('locked_until')
    .where(
      'key',
      'in',
      keys.map((k) => k.key),
    )
    .where('locked_until', '>', now)
    .execute();
  return (
    rows
      .map((r) => r.locked_until!)
      .sort()
      .at(-1) ?? null
  );
}

/** Counts one failure on each key; returns the end of a lockout this failure started, if any. */
async function countFailure(trx: Transaction<Database>, config: Config, keys: GuardKey[], ip: string | null, now: Date): Promise<string | null> {
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - config.lockoutMinutes * 60_000).toISOString();
  const lockEnd = new Date(now.getTime() + config.lockoutMinutes * 60_000).toISOString();
  // rows whose window has passed and that lock nothing are forgotten
  await trx
    .deleteFrom('login_guard')
    .where('first_at', '<', windowStart)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
    .execute();
  let locked: string | null = null;
  for (const k of keys) {
    await trx
      .insertInto('login_guard')
      .values({ key: k.key, username: k.username, ip: ip ?? 'unknown', failures: 0, first_at: at, locked_until: null })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    let q = trx.selectFrom('login_guard').selectAll().where('key', '=', k.key);
    if (dialectOf(trx) === 'postgres') q = q.forUpdate();
    const row = await q.executeTakeFirstOrThrow();
    const fresh = row.first_at < windowStart || (row.locked_until !== null && row.locked_until <= at);
    const failures = (fresh ? 0 : row.failures) + 1;
    const lock = k.max > 0 && failures >= k.max;
    await trx
      .updateTable('login_guard')
      .set({
        failures: lock ? 0 : failures,
        first_at: fresh || lock ? at : row.first_at,
        locked_until: lock ? lockEnd : fresh ? null : row.locked_until,
      })
      .where('key', '=', k.key)
      .execute();
    if (lock) locked = lockEnd;
  }
  return locked;
}

/** Clears the back-off of a username from every address (after a password reset, an administrator's unlock). */
export async function clearLoginGuard(trx: Transaction<Database>, username: string): Promise<void> {
  await trx.deleteFrom('login_guard').where('username', '=', username).execute();
}

/** username → end of its latest lockout from some address, for those locked out now. */
export async function lockouts(db: Db): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('login_guard')
    .select(['username', 'locked_until'])
    .where('username', 'is not', null)
    .where('locked_until', '>', nowIso())
    .execute();
  const out = new Map<string, string>();
  for (const r of rows) if (!out.has(r.username!) || out.get(r.username!)! < r.locked_until!) out.set(r.username!, r.locked_until!);
  return out;
}

// ---- login, sessions ----

export async function login(db: Db, config: Config, regions: RegionIndex, username: string, password: string, ip: string | null) {
  const now = new Date();
  const keys = guardKeys(config, username, ip);
  const until = await lockedUntil(db, keys, now.toISOString());
  if (until) {
    await db.transaction().execute((trx) => recordAudit(trx, anonymous(username, ip), { action: 'auth.login_locked_out', detail: { until } }));
    throw new AppError('ACCOUNT_LOCKED', { until: shanghaiTime(until) });
  }
  const found = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  dummyHash ??= hashPassword('not-a-real-password');
  const right = (await verifyPassword(found?.password_hash ?? (await dummyHash), password)) && found !== undefined;
  // A disabled account is named as such only to whoever knows its password; a wrong password
  // gets the answer any wrong password gets, so the answer tells a guesser nothing.
  if (found && right && !found.active) {
    await db
      .transaction()
      .execute((trx) =>
        recordAudit(trx, anonymous(username, ip), { action: 'auth.login_disabled', entityType: 'user', entityId: found.id, regionCode: found.region_code }),
      );
    throw new AppError('ACCOUNT_DISABLED');
  }
  const user = found?.active ? found : undefined;
  const good = right && user !== undefined;
  if (!user || !good) {
    const scope = user ? scopeOf(user, regions, ip) : anonymous(username, ip);
    const lock = await db.transaction().execute(async (trx) => {
      const locked = await countFailure(trx, config, keys, ip, now);
      await recordAudit(trx, scope, {
        action: locked ? 'auth.locked' : 'auth.login_failed',
        entityType: user ? 'user' : undefined,
        entityId: user?.id,
        detail: { reason: user ? 'wrong_password' : 'unknown_user', ...(locked ? { until: locked } : {}) },
      });
      return locked;
    });
    if (lock) throw new AppError('ACCOUNT_LOCKED', { until: shanghaiTime(lock) });
    throw new AppError('LOGIN_FAILED');
  }
  const scope = scopeOf(user, regions, ip);
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + config.sessionTtlHours * 3600_000).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('login_guard').where('key', '=', keys[0]!.key).execute();
    // expired sessions are refused anyway; each login clears the user's old ones away
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).where('expires_at', '<', now.toISOString()).execute();
    await trx
      .insertInto('sessions')
      .values({ id: tokenHash(token), user_id: user.id, created_at: nowIso(), expires_at: expires, ip })
      .execute();
    await recordAudit(trx, scope, { action: 'auth.login', entityType: 'user', entityId: user.id });
  });
  return { token, user, scope, expires };
}

function anonymous(username: string, ip: string | null): Scope {
  return anonymousScope(username, ip);
}

export async function sessionUser(db: Db, token: string): Promise<UserRow | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select('sessions.expires_at')
    .where('sessions.id', '=', tokenHash(token))
    .executeTakeFirst();
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

// ---- passwords ----

/**
 * Sets a user's password hash and ends every session of that user. Inside the caller's
 * transaction, with the audit entry it writes. `mustChange`: the password was set by someone
 * else (an administrator's reset), so the user must replace it before doing anything else.
 */
export async function replacePassword(
  trx: Transaction<Database>,
  user: Pick<UserRow, 'id' | 'username'>,
  password: string,
  opts: { mustChange: boolean },
): Promise<void> {
  await trx
    .updateTable('users')
    .set({ password_hash: await hashPassword(password), must_change_password: opts.mustChange ? 1 : 0 })
    .where('id', '=', user.id)
    .execute();
  await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
}

/**
 * Checks the current password of a signed-in user for a password change. A wrong one counts as a
 * failed login of that username from that address (the same back-off), so an open session
 * cannot be used to guess the password.
 */
export async function checkCurrentPassword(db: Db, config: Config, user: UserRow, scope: Scope, password: string): Promise<void> {
  const now = new Date();
  const keys = guardKeys(config, user.username, scope.ip);
  const until = await lockedUntil(db, keys, now.toISOString());
  if (until) throw new AppError('ACCOUNT_LOCKED', { until: shanghaiTime(until) });
  if (await verifyPassword(user.password_hash, password)) return;
  const lock = await db.transaction().execute(async (trx) => {
    const locked = await countFailure(trx, config, keys, scope.ip, now);
    await recordAudit(trx, scope, {
      action: 'users.password_change_refused',
      entityType: 'user',
      entityId: user.id,
      detail: { reason: 'wrong_current_password' },
    });
    return locked;
  });
  if (lock) throw new AppError('ACCOUNT_LOCKED', { until: shanghaiTime(lock) });
  throw new AppError('PASSWORD_CURRENT_WRONG');
}
