import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { hashPassword } from '../../platform/auth.js';
import { nowIso } from '../../platform/time.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { createSeededContext, dialects, type TestContext } from '../../testing/harness.js';

/**
 * A bureau administrator manages the accounts of their region: create, edit (role, region,
 * organisation), unlock, disable and enable; a created or reset account must change its password
 * before anything else.
 */
describe.each(dialects)('user management (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let town1Region: string;
  let town2Region: string;
  const FIRST = 'Lotus-Pond-482';
  const OWN = 'Willow-Bridge-731';

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 1000 });
    app = await buildApp(ctx, { serveWeb: false });
    const region = async (u: string) =>
      (await ctx.db.selectFrom('users').select('region_code').where('username', '=', u).executeTakeFirstOrThrow()).region_code;
    town1Region = await region('town1');
    town2Region = await region('town2');
    // a bureau administrator of one town only (城关街道, town1's)
    await ctx.db
      .insertInto('users')
      .values({
        username: 'townadmin',
        display_name: '镇管理员',
        password_hash: await hashPassword(DEMO_PASSWORD),
        role: 'bureau_admin',
        region_code: town1Region,
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
  const row = (username: string) => ctx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const me = (s: Session) => call(app, s, { method: 'GET', url: '/api/auth/me' });
  const audits = (action: string) =>
    ctx.db.selectFrom('audit_log').select(['actor', 'entity_id', 'detail', 'region_code']).where('action', '=', action).orderBy('seq').execute();
  const counts = async () => ({
    users: Number(
      (
        await ctx.db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    audit: Number(
      (
        await ctx.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('action', 'like', 'users.%')
          .executeTakeFirstOrThrow()
      ).n,
    ),
  });
  const create = (s: Session, body: Record<string, unknown>) => call(app, s, { method: 'POST', url: '/api/users', payload: body });
  const listed = async (s: Session, username: string) =>
    (await call(app, s, { method: 'GET', url: '/api/users' }))
      .json<{ items: Array<Record<string, unknown> & { username: string }> }>()
      .items.find((u) => u.username === username);

  it('demo accounts are not made to change their password', async () => {
    const s = await loginAs(app, 'town1');
    expect((await me(s)).json()).toMatchObject({ mustChangePassword: false });
    expect((await call(app, s, { method: 'GET', url: '/api/regions' })).statusCode).toBe(200);
  });

  it('an administrator creates a user, audited; the user must change the password before anything else', async () => {
    const admin = await loginAs(app, 'admin');
    const res = await create(admin, { username: 'newtown', displayName: '新镇街干部', role: 'town_officer', regionCode: town2Region, password: FIRST });
    expect(res.statusCode).toBe(200);
    const id = res.json<{ id: number }>().id;
    expect(id).toBe(await userId('newtown'));
    expect(await listed(admin, 'newtown')).toMatchObject({
      role: 'town_officer',
      regionCode: town2Region,
      organisationId: null,
      active: true,
      lockedUntil: null,
      mustChangePassword: true,
    });
    const entry = (await audits('users.create')).at(-1)!;
    expect(entry).toMatchObject({ actor: 'admin', entity_id: String(id), region_code: town2Region });
    expect(JSON.stringify(await ctx.db.selectFrom('audit_log').selectAll().execute())).not.toContain(FIRST);

    const s = await loginAs(app, 'newtown', FIRST);
    const session = await me(s);
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ mustChangePassword: true, user: { username: 'newtown' } });
    const blocked = await call(app, s, { method: 'GET', url: '/api/regions' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    expect(blocked.json().error.message).toContain('修改');
    // the change itself is allowed, and ends the session
    const changed = await call(app, s, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: FIRST, newPassword: OWN } });
    expect(changed.statusCode).toBe(200);
    const after = await loginAs(app, 'newtown', OWN);
    expect((await me(after)).json()).toMatchObject({ mustChangePassword: false });
    expect((await call(app, after, { method: 'GET', url: '/api/regions' })).statusCode).toBe(200);
  });

  it('logout is allowed while a change is required', async () => {
    const admin = await loginAs(app, 'admin');
    expect((await create(admin, { username: 'leaver', displayName: '离开者', role: 'inspector', regionCode: town1Region, password: FIRST })).statusCode).toBe(
      200,
    );
    const s = await loginAs(app, 'leaver', FIRST);
    expect((await call(app, s, { method: 'POST', url: '/api/auth/logout', payload: {} })).statusCode).toBe(200);
    expect((await me(s)).statusCode).toBe(401);
  });

  it('a password an administrator reset must be changed at the next login', async () => {
    const admin = await loginAs(app, 'admin');
    const res = await call(app, admin, { method: 'POST', url: `/api/users/${await userId('hotline1')}/password`, payload: { newPassword: FIRST } });
    expect(res.statusCode).toBe(200);
    const s = await loginAs(app, 'hotline1', FIRST);
    expect((await me(s)).json()).toMatchObject({ mustChangePassword: true });
    expect(errorCode(await call(app, s, { method: 'GET', url: '/api/regions' }))).toBe('PASSWORD_CHANGE_REQUIRED');
  });

  it('creates provider and institution staff with their organisation, and refuses a missing or misplaced one', async () => {
    const admin = await loginAs(app, 'admin');
    const ok = await create(admin, {
      username: 'carer7',
      displayName: '助老员七',
      role: 'provider',
      regionCode: town1Region,
      organisationId: 7,
      password: FIRST,
    });
    expect(ok.statusCode).toBe(200);
    expect((await row('carer7'))!.organisation_id).toBe(7);
    const before = await counts();
    const missing = await create(admin, { username: 'carer8', displayName: '助老员八', role: 'institution_staff', regionCode: town1Region, password: FIRST });
    expect(missing.statusCode).toBe(400);
    expect(errorCode(missing)).toBe('ORGANISATION_REQUIRED');
    const misplaced = await create(admin, {
      username: 'town9',
      displayName: '镇九',
      role: 'town_officer',
      regionCode: town1Region,
      organisationId: 7,
      password: FIRST,
    });
    expect(misplaced.statusCode).toBe(400);
    expect(errorCode(misplaced)).toBe('ORGANISATION_NOT_ALLOWED');
    const bad = await create(admin, {
      username: 'carer9',
      displayName: '助老员九',
      role: 'provider',
      regionCode: town1Region,
      organisationId: -3,
      password: FIRST,
    });
    expect(bad.statusCode).toBe(400);
    expect(errorCode(bad)).toBe('VALIDATION');
    expect(await counts()).toEqual(before);
  });

  it('edits role, region and organisation: audited with before and after, the user’s sessions end', async () => {
    const admin = await loginAs(app, 'admin');
    await create(admin, { username: 'mover', displayName: '调动者', role: 'grid_worker', regionCode: town1Region, password: FIRST });
    const id = await userId('mover');
    await ctx.db.updateTable('users').set({ must_change_password: 0 }).where('id', '=', id).execute();
    const s = await loginAs(app, 'mover', FIRST);
    const res = await call(app, admin, {
      method: 'PATCH',
      url: `/api/users/${id}`,
      payload: { role: 'provider', regionCode: town2Region, organisationId: 12, displayName: '调动者（服务商）' },
    });
    expect(res.statusCode).toBe(200);
    expect(await row('mover')).toMatchObject({ role: 'provider', region_code: town2Region, organisation_id: 12, display_name: '调动者（服务商）' });
    expect((await me(s)).statusCode).toBe(401);
    const entry = (await audits('users.update')).at(-1)!;
    expect(entry).toMatchObject({ actor: 'admin', entity_id: String(id) });
    expect(JSON.parse(entry.detail!)).toMatchObject({
      from: { role: 'grid_worker', regionCode: town1Region, organisationId: null },
      to: { role: 'provider', regionCode: town2Region, organisationId: 12 },
    });
    // back to a role without an organisation: the organisation goes with it
    const back = await call(app, admin, { method: 'PATCH', url: `/api/users/${id}`, payload: { role: 'town_officer' } });
    expect(back.statusCode).toBe(200);
    expect(await row('mover')).toMatchObject({ role: 'town_officer', organisation_id: null });
  });

  it('unlocks a user locked out from an address: the lockout is lifted, audited', async () => {
    for (let i = 0; i < 5; i++)
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'assessor1', password: 'wrong' }, remoteAddress: '10.8.8.8' });
    const tryLogin = () =>
      app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'assessor1', password: DEMO_PASSWORD }, remoteAddress: '10.8.8.8' });
    expect(errorCode(await tryLogin())).toBe('ACCOUNT_LOCKED');
    const admin = await loginAs(app, 'admin');
    expect(((await listed(admin, 'assessor1'))!.lockedUntil as string) > new Date().toISOString()).toBe(true);
    const id = await userId('assessor1');
    const res = await call(app, admin, { method: 'POST', url: `/api/users/${id}/unlock`, payload: {} });
    expect(res.statusCode).toBe(200);
    expect((await listed(admin, 'assessor1'))!.lockedUntil).toBeNull();
    expect((await tryLogin()).statusCode).toBe(200);
    expect((await audits('users.unlock')).at(-1)).toMatchObject({ actor: 'admin', entity_id: String(id) });
  });

  it('disabling ends the user’s sessions at once and refuses their login with a clear error; enabling lets them back', async () => {
    const admin = await loginAs(app, 'admin');
    const s = await loginAs(app, 'institution1');
    const id = await userId('institution1');
    const res = await call(app, admin, { method: 'POST', url: `/api/users/${id}/disable`, payload: {} });
    expect(res.statusCode).toBe(200);
    expect(await ctx.db.selectFrom('sessions').select('id').where('user_id', '=', id).execute()).toEqual([]);
    expect((await me(s)).statusCode).toBe(401);
    const refused = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'institution1', password: DEMO_PASSWORD } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'ACCOUNT_DISABLED' });
    expect(refused.json().error.message).toContain('停用');
    // a wrong password says no more than any wrong password
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'institution1', password: 'not-it' } });
    expect(errorCode(wrong)).toBe('LOGIN_FAILED');
    expect((await listed(admin, 'institution1'))!.active).toBe(false);
    expect((await audits('users.disable')).at(-1)).toMatchObject({ actor: 'admin', entity_id: String(id) });

    expect((await call(app, admin, { method: 'POST', url: `/api/users/${id}/enable`, payload: {} })).statusCode).toBe(200);
    await loginAs(app, 'institution1');
    expect((await audits('users.enable')).at(-1)).toMatchObject({ actor: 'admin', entity_id: String(id) });
  });

  it('an administrator cannot disable or demote themself, nor move themself', async () => {
    const admin = await loginAs(app, 'admin');
    const id = await userId('admin');
    const before = await counts();
    for (const [url, method, payload] of [
      [`/api/users/${id}/disable`, 'POST', {}],
      [`/api/users/${id}`, 'PATCH', { role: 'town_officer' }],
      [`/api/users/${id}`, 'PATCH', { regionCode: town1Region }],
    ] as const) {
      const res = await call(app, admin, { method, url, payload });
      expect(res.statusCode).toBe(409);
      expect(errorCode(res)).toBe('USER_SELF_CHANGE');
    }
    expect(await row('admin')).toMatchObject({ role: 'bureau_admin', active: 1 });
    expect((await me(admin)).statusCode).toBe(200);
    expect(await counts()).toEqual(before);
  });

  it('an administrator of one town cannot create, see or change users outside it', async () => {
    const townAdmin = await loginAs(app, 'townadmin');
    const before = await counts();
    const outside = await create(townAdmin, { username: 'faraway', displayName: '外镇', role: 'grid_worker', regionCode: town2Region, password: FIRST });
    expect(outside.statusCode).toBe(403);
    expect(errorCode(outside)).toBe('REGION_OUT_OF_SCOPE');
    const town2 = await userId('town2');
    for (const [url, method, payload] of [
      [`/api/users/${town2}`, 'PATCH', { displayName: 'x' }],
      [`/api/users/${town2}/unlock`, 'POST', {}],
      [`/api/users/${town2}/disable`, 'POST', {}],
    ] as const) {
      const res = await call(app, townAdmin, { method, url, payload });
      expect(res.statusCode).toBe(404);
      expect(errorCode(res)).toBe('NOT_FOUND');
    }
    // a user inside may not be moved outside
    const moved = await call(app, townAdmin, { method: 'PATCH', url: `/api/users/${await userId('grid1')}`, payload: { regionCode: town2Region } });
    expect(errorCode(moved)).toBe('REGION_OUT_OF_SCOPE');
    expect((await row('grid1'))!.region_code.startsWith(town1Region)).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it('a town officer may not manage users', async () => {
    const town = await loginAs(app, 'town1');
    const before = await counts();
    const grid1 = await userId('grid1');
    for (const [url, method, payload] of [
      ['/api/users', 'POST', { username: 'sneaky', displayName: 'x', role: 'grid_worker', regionCode: town1Region, password: FIRST }],
      [`/api/users/${grid1}`, 'PATCH', { role: 'bureau_admin' }],
      [`/api/users/${grid1}/unlock`, 'POST', {}],
      [`/api/users/${grid1}/disable`, 'POST', {}],
      [`/api/users/${grid1}/enable`, 'POST', {}],
    ] as const) {
      const res = await call(app, town, { method, url, payload });
      expect(res.statusCode).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
    }
    expect(await row('grid1')).toMatchObject({ role: 'grid_worker' });
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['a taken username', { username: 'town1' }, 409, 'USERNAME_TAKEN'],
    ['a malformed username', { username: '张 三' }, 400, 'USERNAME_FORMAT'],
    ['an unknown role', { role: 'mayor' }, 400, 'ROLE_UNKNOWN'],
    ['an unknown region', { regionCode: '990199999' }, 400, 'REGION_UNKNOWN'],
    ['a weak password', { password: 'P@ssw0rd2026' }, 422, 'PASSWORD_COMMON'],
    ['a short password', { password: 'Ab1!x' }, 422, 'PASSWORD_TOO_SHORT'],
    ['an empty name', { displayName: '' }, 400, 'VALIDATION'],
  ])('refuses %s with a catalogue error and writes nothing', async (_what, change, status, code) => {
    const admin = await loginAs(app, 'admin');
    const before = await counts();
    const res = await create(admin, { username: 'fresh1', displayName: '新人', role: 'grid_worker', regionCode: town1Region, password: FIRST, ...change });
    expect(res.statusCode).toBe(status);
    expect(errorCode(res)).toBe(code);
    expect(res.json().error.message).toBeTruthy();
    expect(await counts()).toEqual(before);
    expect(await row('fresh1')).toBeUndefined();
  });

  it('refuses an edit to an unknown role with a catalogue error, in English too', async () => {
    const admin = await loginAs(app, 'admin');
    const res = await call(app, admin, {
      method: 'PATCH',
      url: `/api/users/${await userId('grid1')}`,
      payload: { role: 'mayor' },
      headers: { 'accept-language': 'en' },
    });
    expect(res.json().error).toMatchObject({ code: 'ROLE_UNKNOWN', message: 'Unknown role: mayor' });
    expect(await row('grid1')).toMatchObject({ role: 'grid_worker' });
  });
});
