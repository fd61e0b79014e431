import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { call, errorCode, loginAs, setCookies } from '../../testing/http.js';
import { createSeededContext, dialects, type TestContext } from '../../testing/harness.js';
import { SESSION_COOKIE } from '../../platform/http.js';

/** Login, lockout, rate limit, sessions, CSRF and messages, through the HTTP API. */
describe.each(dialects)('auth (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let rateApp: FastifyInstance;

  beforeAll(async () => {
    // The default lockout (5 failures) is what is tested; the rate limit is lifted here so that
    // the number of logins in this file does not matter (it has its own context below).
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 1000 });
    app = await buildApp(ctx, { serveWeb: false });
    // A second app over the same database with a small login rate: its limiter is its own.
    // (One context per dialect: two live PostgreSQL test contexts break the migrator, see report.)
    rateApp = await buildApp({ ...ctx, config: { ...ctx.config, loginRatePerMinute: 5 } }, { serveWeb: false });
  });

  afterAll(async () => {
    await app?.close();
    await rateApp?.close();
    await ctx?.cleanup();
  });

  const login = (username: string, password: string, headers: Record<string, string> = {}, on = app) =>
    on.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });

  it('logs in and sets an httpOnly, SameSite=Strict session cookie', async () => {
    const res = await login('town1', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ username: 'town1', role: 'town_officer' });
    expect(body.actions).toContain('register.read');
    expect(body.csrfToken).toEqual(expect.any(String));
    const session = res.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(session?.value).toMatch(/^[\w-]{40,}$/);
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const raw = [res.headers['set-cookie']].flat().find((h) => String(h).startsWith(`${SESSION_COOKIE}=`));
    expect(raw).toMatch(/; HttpOnly/i);
    expect(raw).toMatch(/; SameSite=Strict/i);
    // the session works
    const me = await call(app, { username: 'town1', cookies: setCookies(res), csrfToken: body.csrfToken }, { method: 'GET', url: '/api/auth/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('town1');
  });

  it('answers a wrong password with 401 LOGIN_FAILED and a message, and sets no session', async () => {
    const res = await login('town2', 'wrong-password');
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'LOGIN_FAILED', message: '用户名或密码错误' });
    expect(res.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const res = await login('nobody-here', DEMO_PASSWORD);
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'LOGIN_FAILED', message: '用户名或密码错误' });
  });

  it('rejects a malformed login body with 400 VALIDATION', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '' } });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('VALIDATION');
  });

  // Back-off is per (username, client address) and per client address: each test below uses
  // addresses of its own (app.inject's remoteAddress), so they do not count against each other.
  const loginFrom = (ip: string, username: string, password: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers, remoteAddress: ip });

  it('locks a username out from one address after LOGIN_MAX_FAILURES failures, even for the right password', async () => {
    expect(ctx.config.loginMaxFailures).toBe(5);
    for (let i = 1; i < 5; i++) {
      const res = await loginFrom('10.0.1.1', 'inspector1', `wrong-${i}`);
      expect(res.statusCode, `failure ${i}`).toBe(401);
    }
    const fifth = await loginFrom('10.0.1.1', 'inspector1', 'wrong-5');
    expect(fifth.statusCode).toBe(423);
    expect(errorCode(fifth)).toBe('ACCOUNT_LOCKED');
    const right = await loginFrom('10.0.1.1', 'inspector1', DEMO_PASSWORD);
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('ACCOUNT_LOCKED');
    expect(right.json().error.message).toContain('登录失败次数过多');
    expect(right.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
  });

  it('a lockout from one address never locks the admin out from another', async () => {
    for (let i = 0; i < 6; i++) await loginFrom('10.0.2.1', 'admin', `guess-${i}`);
    expect(errorCode(await loginFrom('10.0.2.1', 'admin', DEMO_PASSWORD))).toBe('ACCOUNT_LOCKED');
    const fromB = await loginFrom('10.0.2.2', 'admin', DEMO_PASSWORD);
    expect(fromB.statusCode).toBe(200);
    expect(fromB.cookies.find((c) => c.name === SESSION_COOKIE)).toBeDefined();
    // and address A stays locked out of admin
    expect(errorCode(await loginFrom('10.0.2.1', 'admin', DEMO_PASSWORD))).toBe('ACCOUNT_LOCKED');
  });

  it('unknown and known usernames get identical answers all through a lockout', async () => {
    const answers = async (ip: string, username: string) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await loginFrom(ip, username, `wrong-${i}`);
        const body = res.json<{ error: { code: string; message: string } }>().error;
        // the two runs are seconds apart: compare the lockout messages without their time
        out.push(`${res.statusCode} ${body.code} ${body.message.replace(/\d/g, '#')}`);
      }
      return out;
    };
    const known = await answers('10.0.3.1', 'town1');
    const unknown = await answers('10.0.3.2', 'no-such-user');
    expect(unknown).toEqual(known);
    expect(known.slice(0, 4).every((a) => a.startsWith('401 LOGIN_FAILED'))).toBe(true);
    expect(known.slice(4).every((a) => a.startsWith('423 ACCOUNT_LOCKED'))).toBe(true);
  });

  it('limits failures per address across usernames (LOGIN_IP_MAX_FAILURES)', async () => {
    const limit = ctx.config.loginIpMaxFailures;
    expect(limit).toBe(20);
    // spraying one guess over many usernames: no username reaches its own limit
    for (let i = 0; i < limit - 1; i++) {
      const res = await loginFrom('10.0.4.1', `spray-${i}`, 'Summer2026!');
      expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    const last = await loginFrom('10.0.4.1', 'spray-last', 'Summer2026!');
    expect(errorCode(last)).toBe('ACCOUNT_LOCKED');
    // now even a right password from that address is refused; another address is not affected
    expect(errorCode(await loginFrom('10.0.4.1', 'town2', DEMO_PASSWORD))).toBe('ACCOUNT_LOCKED');
    expect((await loginFrom('10.0.4.2', 'town2', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('a success resets the failure count of that username from that address', async () => {
    for (let i = 0; i < 4; i++) expect((await loginFrom('10.0.5.1', 'provider1', 'wrong')).statusCode).toBe(401);
    expect((await loginFrom('10.0.5.1', 'provider1', DEMO_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await loginFrom('10.0.5.1', 'provider1', 'wrong')).statusCode).toBe(401);
    expect((await loginFrom('10.0.5.1', 'provider1', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('a lockout ends after LOCKOUT_MINUTES', async () => {
    for (let i = 0; i < 5; i++) await loginFrom('10.0.6.1', 'hotline1', 'wrong');
    expect(errorCode(await loginFrom('10.0.6.1', 'hotline1', DEMO_PASSWORD))).toBe('ACCOUNT_LOCKED');
    await ctx.db.updateTable('login_guard').set({ locked_until: '2000-01-01T00:00:00.000Z' }).where('locked_until', 'is not', null).execute();
    expect((await loginFrom('10.0.6.1', 'hotline1', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('rate-limits logins past loginRatePerMinute with 429 RATE_LIMITED', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await login(`nobody-${i}`, 'x', {}, rateApp);
      expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    const limited = await login('admin', DEMO_PASSWORD, {}, rateApp);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({ code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' });
  });

  it('GET /api/auth/me without a session, or with a made-up one, answers 401', async () => {
    const none = await app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(none.statusCode).toBe(401);
    expect(errorCode(none)).toBe('UNAUTHENTICATED');
    const forged = await app.inject({ method: 'GET', url: '/api/auth/me', cookies: { [SESSION_COOKIE]: 'A'.repeat(43) } });
    expect(forged.statusCode).toBe(401);
  });

  it('a mutating request without the CSRF token answers 403 CSRF; with it, it passes the check', async () => {
    const s = await loginAs(app, 'admin');
    // no token: refused before the handler runs (the session is not ended)
    const noToken = await call(app, s, { method: 'POST', url: '/api/persons/1/reveal', payload: { field: 'idNumber' }, csrf: false });
    expect(noToken.statusCode).toBe(403);
    expect(errorCode(noToken)).toBe('CSRF');
    const badToken = await call(app, s, {
      method: 'POST',
      url: '/api/persons/1/reveal',
      payload: { field: 'idNumber' },
      csrf: false,
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(badToken.statusCode).toBe(403);
    expect(errorCode(badToken)).toBe('CSRF');
    const logoutNoToken = await call(app, s, { method: 'POST', url: '/api/auth/logout', csrf: false });
    expect(logoutNoToken.statusCode).toBe(403);
    expect(errorCode(logoutNoToken)).toBe('CSRF');
    expect((await call(app, s, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    // with the token: past the check, into the handler (there is no person 1 in this register)
    const withToken = await call(app, s, { method: 'POST', url: '/api/persons/1/reveal', payload: { field: 'idNumber' } });
    expect(withToken.statusCode).toBe(404);
    expect(errorCode(withToken)).toBe('NOT_FOUND');
  });

  it('the CSRF token of one session does not pass for another', async () => {
    const a = await loginAs(app, 'hotline1');
    const b = await loginAs(app, 'hotline1');
    const crossed = await call(app, { ...a, csrfToken: b.csrfToken }, { method: 'POST', url: '/api/persons/1/reveal', payload: { field: 'idNumber' } });
    expect(crossed.statusCode).toBe(403);
    expect(errorCode(crossed)).toBe('CSRF');
  });

  it('the CSRF token is bound to its session: session A’s token and cookies do not pass with session B’s session cookie', async () => {
    const a = await loginAs(app, 'hotline1');
    const b = await loginAs(app, 'hotline1');
    // everything of A (its CSRF cookie and token) with only the session cookie of B
    const mixed = { ...a, cookies: { ...a.cookies, [SESSION_COOKIE]: b.cookies[SESSION_COOKIE]! } };
    const crossed = await call(app, mixed, { method: 'POST', url: '/api/persons/1/reveal', payload: { field: 'idNumber' } });
    expect(crossed.statusCode).toBe(403);
    expect(errorCode(crossed)).toBe('CSRF');
    // B's own token passes with A's CSRF cookie (the cookie holds only the secret)
    const own = await call(app, { ...mixed, csrfToken: b.csrfToken }, { method: 'POST', url: '/api/persons/1/reveal', payload: { field: 'idNumber' } });
    expect(own.statusCode).toBe(404);
  });

  it('the token from /api/auth/me is bound to the session it was asked with', async () => {
    const a = await loginAs(app, 'hotline1');
    const b = await loginAs(app, 'hotline1');
    const meA = (await call(app, a, { method: 'GET', url: '/api/auth/me' })).json<{ csrfToken: string }>().csrfToken;
    expect((await call(app, { ...a, csrfToken: meA }, { method: 'POST', url: '/api/persons/1/reveal', payload: { field: 'idNumber' } })).statusCode).toBe(404);
    const mixed = { ...a, csrfToken: meA, cookies: { ...a.cookies, [SESSION_COOKIE]: b.cookies[SESSION_COOKIE]! } };
    expect(errorCode(await call(app, mixed, { method: 'POST', url: '/api/persons/1/reveal', payload: { field: 'idNumber' } }))).toBe('CSRF');
  });

  it('logout ends the session and clears the cookie', async () => {
    const s = await loginAs(app, 'grid1');
    const other = await loginAs(app, 'grid1');
    const out = await call(app, s, { method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode).toBe(200);
    const cleared = out.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cleared?.value).toBe('');
    expect(cleared!.expires!.getTime()).toBeLessThan(Date.now());
    // the old cookie, replayed, no longer works
    const me = await call(app, s, { method: 'GET', url: '/api/auth/me' });
    expect(me.statusCode).toBe(401);
    expect(errorCode(me)).toBe('UNAUTHENTICATED');
    // only that session ended
    expect((await call(app, other, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
  });

  it('an expired session answers 401', async () => {
    const s = await loginAs(app, 'assessor1');
    expect((await call(app, s, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    const user = await ctx.db.selectFrom('users').select('id').where('username', '=', 'assessor1').executeTakeFirstOrThrow();
    await ctx.db.updateTable('sessions').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('user_id', '=', user.id).execute();
    expect((await call(app, s, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    // the next login clears the expired session away
    await loginAs(app, 'assessor1');
    const left = await ctx.db.selectFrom('sessions').select('expires_at').where('user_id', '=', user.id).execute();
    expect(left).toHaveLength(1);
    expect(left[0]!.expires_at > new Date().toISOString()).toBe(true);
  });

  it('a deactivated account can neither log in nor use an open session', async () => {
    const s = await loginAs(app, 'institution1');
    await ctx.db.updateTable('users').set({ active: 0 }).where('username', '=', 'institution1').execute();
    try {
      expect((await call(app, s, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
      // the right password learns the account is disabled; a wrong one learns nothing more than any wrong password
      const res = await login('institution1', DEMO_PASSWORD);
      expect(res.statusCode).toBe(403);
      expect(errorCode(res)).toBe('ACCOUNT_DISABLED');
      const wrong = await login('institution1', 'Not-The-Password-1');
      expect(wrong.statusCode).toBe(401);
      expect(errorCode(wrong)).toBe('LOGIN_FAILED');
    } finally {
      await ctx.db.updateTable('users').set({ active: 1 }).where('username', '=', 'institution1').execute();
    }
  });

  it('stores passwords as argon2id hashes', async () => {
    const rows = await ctx.db.selectFrom('users').select(['username', 'password_hash']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(9);
    for (const r of rows) {
      expect(r.password_hash, r.username).toMatch(/^\$argon2id\$/);
      expect(r.password_hash).not.toContain(DEMO_PASSWORD);
    }
  });

  it('never stores the raw session token', async () => {
    const s = await loginAs(app, 'town2');
    const token = s.cookies[SESSION_COOKIE]!;
    expect(token.length).toBeGreaterThan(20);
    const rows = await ctx.db.selectFrom('sessions').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(token);
    for (const r of rows) expect(r.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers in English for Accept-Language: en', async () => {
    const en = { 'accept-language': 'en-US,en;q=0.9' };
    const bad = await login('town1', 'wrong', en);
    expect(bad.json().error).toEqual({ code: 'LOGIN_FAILED', message: 'Wrong username or password', details: null });
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: en });
    expect(me.json().error.message).toBe('Please log in');
    const zh = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(zh.json().error.message).toBe('请先登录');
  });
});
