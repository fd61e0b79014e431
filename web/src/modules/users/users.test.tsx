// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { appHarness, settle } from '../../app-harness';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const admin = { id: 1, username: 'admin', displayName: '县民政局管理员', role: 'bureau_admin', regionCode: '990101', regionName: '青溪县' };
const session = { user: admin, actions: ['users.read', 'users.manage', 'regions.read'], csrfToken: 'tok', mustChangePassword: false };
const future = new Date(Date.now() + 3_600_000).toISOString();
const row = (u: Record<string, unknown>) => ({ organisationId: null, active: true, lockedUntil: null, mustChangePassword: false, ...u });
const users = [
  row(admin),
  row({ id: 2, username: 'town1', displayName: '城关街道工作人员', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' }),
  row({
    id: 3,
    username: 'carer1',
    displayName: '助老员甲',
    role: 'provider',
    regionCode: '990101001',
    regionName: '城关街道',
    organisationId: 42,
    lockedUntil: future,
  }),
  row({ id: 4, username: 'gone1', displayName: '停用者', role: 'grid_worker', regionCode: '990101001', regionName: '城关街道', active: false }),
  row({ id: 5, username: 'fresh1', displayName: '新人', role: 'inspector', regionCode: '990101', regionName: '青溪县', mustChangePassword: true }),
];
const regions = {
  regions: [
    { code: '990101', name: '青溪县', level: 'county', kind: 'county', parentCode: null },
    { code: '990101001', name: '城关街道', level: 'town', kind: 'street', parentCode: '990101' },
  ],
};

/** Types into an input the way React notices. */
function type(el: Element | null, value: string) {
  expect(el).toBeTruthy();
  const input = el as HTMLInputElement;
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}
const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);
/** Opens an Ant Design select (or tree select) and picks the option titled `title`. */
async function pick(testId: string, title: string) {
  const select = byTestId(testId)?.closest('.ant-select') ?? byTestId(testId);
  const selector = select!.querySelector('.ant-select-selector')!;
  await act(async () => {
    selector.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  });
  await settle();
  const option = [...document.body.querySelectorAll(`[title="${title}"]`)].at(-1);
  expect(option, `option ${title}`).toBeTruthy();
  await act(async () => (option as HTMLElement).click());
  await settle();
}

/** Lets the console run until `id` is on the page (a page may be its own chunk, loaded when first opened). */
async function until(id: string) {
  for (let i = 0; i < 200 && !byTestId(id); i++)
    await act(async () => {
      await new Promise((r) => setTimeout(r, 25));
    });
  expect(byTestId(id), `${id} never appeared`).toBeTruthy();
}
const click = async (el: Element | null) => {
  expect(el).toBeTruthy();
  await act(async () => (el as HTMLElement).click());
  await settle();
};

describe('users page', () => {
  const h = appHarness('/users');

  function serve(routes: Record<string, (init?: RequestInit) => Response>) {
    h.fetchMock.mockClear();
    h.fetchMock.mockImplementation(async (input, init) => {
      const key = `${(init?.method ?? 'GET').toUpperCase()} ${String(input)}`;
      const answer = routes[key];
      return answer ? answer(init) : json(404, { error: { code: 'NOT_FOUND', message: key, details: null } });
    });
  }
  const calls = (key: string) => h.fetchMock.mock.calls.filter(([u, i]) => `${(i?.method ?? 'GET').toUpperCase()} ${String(u)}` === key);
  const sent = (key: string) => JSON.parse(String(calls(key).at(-1)![1]!.body)) as unknown;
  const base = {
    'GET /api/auth/me': () => json(200, session),
    'GET /api/users': () => json(200, { items: users }),
    'GET /api/regions': () => json(200, regions),
  };

  it('lists each user with role, region, organisation and status', async () => {
    serve(base);
    await h.render();
    await until('user-edit-town1');
    const text = byTestId('users-table')!.textContent!;
    for (const s of ['城关街道工作人员', '镇街工作人员', '服务商', '42', '已停用', '锁定至', '待改初始密码', '启用']) expect(text).toContain(s);
    // what the administrator may do: not disable nor reset themself; unlock only the locked one; enable the disabled one
    expect(byTestId('user-disable-admin')).toBeNull();
    expect(byTestId('reset-password-admin')).toBeNull();
    expect(byTestId('user-unlock-carer1')).toBeTruthy();
    expect(byTestId('user-unlock-town1')).toBeNull();
    expect(byTestId('user-enable-gone1')).toBeTruthy();
    expect(byTestId('user-disable-gone1')).toBeNull();
    // and in English
    await click([...byTestId('lang-switch')!.querySelectorAll('.ant-segmented-item')].find((e) => e.textContent === 'English') ?? null);
    const en = byTestId('users-table')!.textContent!;
    for (const s of ['Town officer', 'Disabled', 'Locked until', 'Must change password', 'Unlock', 'Enable']) expect(en).toContain(s);
    expect(byTestId('users-create')!.textContent).toBe('New user');
  });

  it('unlocks, disables (after asking) and enables, each by its own call', async () => {
    serve({
      ...base,
      'POST /api/users/3/unlock': () => json(200, { ok: true }),
      'POST /api/users/2/disable': () => json(200, { ok: true }),
      'POST /api/users/4/enable': () => json(200, { ok: true }),
    });
    await h.render();
    await until('user-edit-town1');
    await click(byTestId('user-unlock-carer1'));
    expect(calls('POST /api/users/3/unlock')).toHaveLength(1);
    expect(document.body.textContent).toContain('已解除 助老员甲 的登录锁定');
    await click(byTestId('user-disable-town1'));
    expect(calls('POST /api/users/2/disable')).toHaveLength(0);
    expect(document.body.textContent).toContain('其所有登录立即结束');
    await click(byTestId('user-disable-confirm'));
    expect(calls('POST /api/users/2/disable')).toHaveLength(1);
    await click(byTestId('user-enable-gone1'));
    expect(calls('POST /api/users/4/enable')).toHaveLength(1);
    // each change reloads the list
    expect(calls('GET /api/users').length).toBeGreaterThanOrEqual(4);
  });

  it('edits a user in a drawer and sends what the form holds', async () => {
    serve({ ...base, 'PATCH /api/users/3': () => json(200, { ok: true }) });
    await h.render();
    await until('user-edit-town1');
    await click(byTestId('user-edit-carer1'));
    expect(document.body.textContent).toContain('编辑用户 助老员甲 (carer1)');
    expect((byTestId('user-display-name') as HTMLInputElement).value).toBe('助老员甲');
    expect((document.body.querySelector('[data-testid="user-organisation"] input, input[data-testid="user-organisation"]') as HTMLInputElement).value).toBe(
      '42',
    );
    await act(async () => type(byTestId('user-display-name'), '助老员甲（组长）'));
    await click(byTestId('user-save'));
    expect(sent('PATCH /api/users/3')).toEqual({ displayName: '助老员甲（组长）', role: 'provider', regionCode: '990101001', organisationId: 42 });
    expect(document.body.textContent).toContain('已保存 助老员甲（组长）');
  });

  it('creating a user shows the server’s refusal in the drawer, in its words', async () => {
    serve({
      ...base,
      'POST /api/users': () => json(409, { error: { code: 'USERNAME_TAKEN', message: '用户名 town1 已存在', details: null } }),
    });
    await h.render();
    await until('user-edit-town1');
    await click(byTestId('users-create'));
    // required fields first: nothing is sent
    await click(byTestId('user-save'));
    expect(calls('POST /api/users')).toHaveLength(0);
    expect(document.body.textContent).toContain('请输入用户名');
    await act(async () => {
      type(byTestId('user-username'), 'town1');
      type(byTestId('user-display-name'), '新干部');
      type(byTestId('user-password'), 'Lotus-Pond-482');
      type(byTestId('user-confirm'), 'Lotus-Pond-482');
    });
    await pick('user-role', '服务商');
    // a provider's staff name their organisation
    expect(byTestId('user-organisation')).toBeTruthy();
    await pick('user-role', '镇街工作人员');
    expect(byTestId('user-organisation')).toBeNull();
    await pick('user-region', '城关街道');
    await click(byTestId('user-save'));
    expect(sent('POST /api/users')).toEqual({
      username: 'town1',
      displayName: '新干部',
      role: 'town_officer',
      regionCode: '990101001',
      organisationId: null,
      password: 'Lotus-Pond-482',
    });
    expect(byTestId('user-error')?.textContent).toContain('用户名 town1 已存在');
  });

  it('a user who must change the password sees only the change form, then the login page', async () => {
    let changed = false;
    serve({
      'GET /api/auth/me': () =>
        changed
          ? json(401, { error: { code: 'UNAUTHENTICATED', message: '请先登录', details: null } })
          : json(200, { ...session, user: { ...admin, id: 5, username: 'fresh1', role: 'inspector' }, actions: [], mustChangePassword: true }),
      'POST /api/auth/password': () => {
        changed = true;
        return json(200, { ok: true });
      },
    });
    await h.render();
    await until('forced-password-change');
    expect(byTestId('forced-password-change')).toBeTruthy();
    expect(document.body.textContent).toContain('请修改初始密码');
    expect(byTestId('users-table')).toBeNull();
    expect(byTestId('user-menu')).toBeNull();
    expect(calls('GET /api/users')).toHaveLength(0);
    await act(async () => {
      type(byTestId('password-current'), 'Lotus-Pond-482');
      type(byTestId('password-new'), 'Willow-Bridge-731');
      type(byTestId('password-confirm'), 'Willow-Bridge-731');
    });
    await click(byTestId('password-submit'));
    expect(sent('POST /api/auth/password')).toEqual({ currentPassword: 'Lotus-Pond-482', newPassword: 'Willow-Bridge-731' });
    expect(byTestId('forced-password-change')).toBeNull();
    expect(window.location.pathname).toBe('/login');
  });
});
