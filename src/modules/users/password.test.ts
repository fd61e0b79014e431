import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { hashPassword } from '../../platform/auth.js';
import { nowIso } from '../../platform/time.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { call, errorCode, loginAs } from '../../testing/http.js';
import { createSeededContext, dialects, type TestContext } from '../../testing/harness.js';

/** Changing one's own password, an administrator's reset, and the sessions they end. */
describe.each(dialects)('passwords (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const NEW = 'Chrysanthemum-9th';

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 1000 });
    app = await buildApp(ctx, { serveWeb: false });
    // a second bureau administrator whose region is one town only (城关街道, town1's)
    const town1 = await ctx.db.selectFrom('users').select('region_code').where('username', '=', 'town1').executeTakeFirstOrThrow();
    await ctx.db
      .insertInto('users')
      .values({
        username: 'townadmin',
        display_name: '镇管理员',
        password_hash: await hashPassword(DEMO_PASSWORD),
        role: 'bureau_admin',
        region_code: town1.region_code,
        active: 1,
        created_at: nowIso(),
      })
      .execute();
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const userId = async (username: string) => (await ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  const me = (s: Awaited<ReturnType<typeof loginAs>>) => call(app, s, { method: 'GET', url: '/api/auth/me' });
  const audits = (action: string) =>
    ctx.db.selectFrom('audit_log').select(['actor', 'entity_id', 'detail']).where('action', '=', action).orderBy('seq').execute();

  it('a password change ends every session of the user, the current one too, and the new password works', async () => {
    const s = await loginAs(app, 'town2');
    const other = await loginAs(app, 'town2');
    const bystander = await loginAs(app, 'grid1');
    const res = await call(app, s, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: DEMO_PASSWORD, newPassword: NEW } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    for (const old of [s, other]) {
      const r = await me(old);
      expect(r.statusCode).toBe(401);
      expect(errorCode(r)).toBe('UNAUTHENTICATED');
    }
    expect((await me(bystander)).statusCode).toBe(200);
    await expect(loginAs(app, 'town2')).rejects.toThrow(/401/);
    const fresh = await loginAs(app, 'town2', NEW);
    expect((await me(fresh)).statusCode).toBe(200);
    const entry = (await audits('users.password_changed')).at(-1)!;
    expect(entry).toMatchObject({ actor: 'town2', entity_id: String(await userId('town2')) });
    expect(JSON.stringify(entry)).not.toContain(NEW);
  });

  it('refuses a wrong current password and keeps the password and the session', async () => {
    const s = await loginAs(app, 'assessor1');
    const res = await call(app, s, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'not-my-password', newPassword: NEW } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'PASSWORD_CURRENT_WRONG', message: '当前密码不正确' });
    expect((await me(s)).statusCode).toBe(200);
    await expect(loginAs(app, 'assessor1', NEW)).rejects.toThrow(/401/);
  });

  it.each([
    ['short', 'Ab1!x', 'PASSWORD_TOO_SHORT', '密码至少需要 10 个字符'],
    ['one class', 'abcdefghijklm', 'PASSWORD_CLASSES', '至少 3 类'],
    ['the username', 'Hotline1-Secret', 'PASSWORD_HAS_USERNAME', '密码不能包含用户名'],
    ['well known', 'P@ssw0rd2026', 'PASSWORD_COMMON', '过于常见'],
    ['unchanged', DEMO_PASSWORD, 'PASSWORD_REUSED', '新密码不能与当前密码相同'],
  ])('refuses a new password that is %s, naming the rule', async (_what, password, code, message) => {
    const s = await loginAs(app, 'hotline1');
    const res = await call(app, s, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: DEMO_PASSWORD, newPassword: password } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toContain(message);
    expect((await me(s)).statusCode).toBe(200);
  });

  it('names the rule in English too', async () => {
    const s = await loginAs(app, 'hotline1');
    const res = await call(app, s, {
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'short' },
      headers: { 'accept-language': 'en' },
    });
    expect(res.json().error).toMatchObject({ code: 'PASSWORD_TOO_SHORT', message: 'The password must be at least 10 characters long' });
  });

  it('an administrator resets a password: the user’s sessions end, the lockout is cleared, the audit has no password', async () => {
    const target = await loginAs(app, 'inspector1');
    // lock inspector1 out from one address
    for (let i = 0; i < 5; i++)
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'inspector1', password: 'wrong' }, remoteAddress: '10.9.9.9' });
    const locked = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'inspector1', password: DEMO_PASSWORD },
      remoteAddress: '10.9.9.9',
    });
    expect(errorCode(locked)).toBe('ACCOUNT_LOCKED');

    const admin = await loginAs(app, 'admin');
    const id = await userId('inspector1');
    const res = await call(app, admin, { method: 'POST', url: `/api/users/${id}/password`, payload: { newPassword: NEW } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect((await me(target)).statusCode).toBe(401);
    expect((await me(admin)).statusCode).toBe(200);
    const again = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'inspector1', password: NEW }, remoteAddress: '10.9.9.9' });
    expect(again.statusCode).toBe(200);
    const entry = (await audits('users.password_reset')).at(-1)!;
    expect(entry).toMatchObject({ actor: 'admin', entity_id: String(id) });
    const all = JSON.stringify(await ctx.db.selectFrom('audit_log').selectAll().execute());
    expect(all).not.toContain(NEW);
  });

  it('the reset applies the same policy', async () => {
    const admin = await loginAs(app, 'admin');
    const res = await call(app, admin, {
      method: 'POST',
      url: `/api/users/${await userId('provider1')}/password`,
      payload: { newPassword: 'provider1-Secret' },
    });
    expect(res.statusCode).toBe(422);
    expect(errorCode(res)).toBe('PASSWORD_HAS_USERNAME');
    await loginAs(app, 'provider1'); // unchanged
  });

  it('an administrator cannot reset a user outside their region, nor an unknown one', async () => {
    const townAdmin = await loginAs(app, 'townadmin');
    const outside = await call(app, townAdmin, { method: 'POST', url: `/api/users/${await userId('town2')}/password`, payload: { newPassword: NEW } });
    expect(outside.statusCode).toBe(404);
    expect(errorCode(outside)).toBe('NOT_FOUND');
    const none = await call(app, townAdmin, { method: 'POST', url: '/api/users/999999/password', payload: { newPassword: NEW } });
    expect(none.statusCode).toBe(404);
    // inside the region it works
    const inside = await call(app, townAdmin, { method: 'POST', url: `/api/users/${await userId('grid1')}/password`, payload: { newPassword: NEW } });
    expect(inside.statusCode).toBe(200);
    await loginAs(app, 'grid1', NEW);
  });

  it('an administrator resets their own password only by changing it (with the current one)', async () => {
    const admin = await loginAs(app, 'admin');
    const res = await call(app, admin, { method: 'POST', url: `/api/users/${await userId('admin')}/password`, payload: { newPassword: NEW } });
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('PASSWORD_RESET_SELF');
  });

  it('only a bureau administrator may reset passwords', async () => {
    const town = await loginAs(app, 'town1');
    const res = await call(app, town, { method: 'POST', url: `/api/users/${await userId('grid1')}/password`, payload: { newPassword: NEW } });
    expect(res.statusCode).toBe(403);
  });

  it('the users list shows a user locked out from some address', async () => {
    for (let i = 0; i < 5; i++)
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'institution1', password: 'wrong' }, remoteAddress: '10.7.7.7' });
    const admin = await loginAs(app, 'admin');
    const users = (await call(app, admin, { method: 'GET', url: '/api/users' })).json<{ items: Array<{ username: string; lockedUntil: string | null }> }>()
      .items;
    expect(users.find((u) => u.username === 'institution1')!.lockedUntil! > new Date().toISOString()).toBe(true);
    expect(users.find((u) => u.username === 'provider1')!.lockedUntil).toBeNull();
  });
});
