// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { appHarness, settle } from './app-harness';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const session = {
  user: { id: 1, username: 'admin', displayName: '县民政局管理员', role: 'bureau_admin', regionCode: '990101', regionName: '青溪县' },
  actions: ['users.read', 'users.manage'],
  csrfToken: 'tok',
};
const users = [
  { ...session.user, active: true, lockedUntil: null },
  {
    id: 2,
    username: 'town1',
    displayName: '城关街道工作人员',
    role: 'town_officer',
    regionCode: '990101001',
    regionName: '城关街道',
    active: true,
    lockedUntil: null,
  },
];

/** Types into an input the way React notices. */
function type(el: Element | null, value: string) {
  expect(el).toBeTruthy();
  const input = el as HTMLInputElement;
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}
const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);

describe('account: change password and reset', () => {
  const h = appHarness('/users');

  function serve(routes: Record<string, (init?: RequestInit) => Response>) {
    h.fetchMock.mockImplementation(async (input, init) => {
      const key = `${(init?.method ?? 'GET').toUpperCase()} ${String(input)}`;
      const answer = routes[key];
      return answer ? answer(init) : json(404, { error: { code: 'NOT_FOUND', message: key, details: null } });
    });
  }
  const calls = (key: string) => h.fetchMock.mock.calls.filter(([u, i]) => `${(i?.method ?? 'GET').toUpperCase()} ${String(u)}` === key);

  it('an administrator resets another user’s password from the users page (not their own)', async () => {
    serve({
      'GET /api/auth/me': () => json(200, session),
      'GET /api/users': () => json(200, { items: users }),
      'POST /api/users/2/password': () => json(200, { ok: true }),
    });
    await h.render();
    await settle();
    expect(byTestId('reset-password-admin')).toBeNull();
    await act(async () => (byTestId('reset-password-town1') as HTMLElement).click());
    await settle();
    expect(document.body.textContent).toContain('重置 城关街道工作人员 (town1) 的密码');
    expect(byTestId('password-current')).toBeNull();
    await act(async () => {
      type(byTestId('password-new'), 'Osmanthus-Tea-77');
      type(byTestId('password-confirm'), 'Osmanthus-Tea-77');
    });
    await act(async () => (byTestId('password-submit') as HTMLElement).click());
    await settle();
    const [sent] = calls('POST /api/users/2/password');
    expect(sent).toBeDefined();
    expect(JSON.parse(String(sent![1]!.body))).toEqual({ newPassword: 'Osmanthus-Tea-77' });
    expect(document.body.textContent).toContain('已重置 城关街道工作人员 的密码');
  });

  it('a change of one’s own password from the user menu shows the server’s rule, then ends at the login page', async () => {
    let refused = true;
    serve({
      'GET /api/auth/me': () => json(200, session),
      'GET /api/users': () => json(200, { items: users }),
      'POST /api/auth/password': () =>
        refused ? json(422, { error: { code: 'PASSWORD_COMMON', message: '该密码过于常见，容易被猜中，请换一个', details: null } }) : json(200, { ok: true }),
      'POST /api/auth/logout': () => json(401, { error: { code: 'UNAUTHENTICATED', message: '请先登录', details: null } }),
    });
    await h.render();
    await settle();
    await act(async () => (byTestId('user-menu') as HTMLElement).click());
    await settle();
    await act(async () => (byTestId('menu-change-password') as HTMLElement).click());
    await settle();
    const fill = async (next: string, confirm: string) => {
      await act(async () => {
        type(byTestId('password-current'), 'Yiyang@2026');
        type(byTestId('password-new'), next);
        type(byTestId('password-confirm'), confirm);
      });
      await act(async () => (byTestId('password-submit') as HTMLElement).click());
      await settle();
    };
    // the two new passwords differ: nothing is sent
    await fill('Password123!', 'Password123?');
    expect(document.body.textContent).toContain('两次输入的新密码不一致');
    expect(calls('POST /api/auth/password')).toHaveLength(0);
    // the server refuses it and names the rule
    await fill('Password123!', 'Password123!');
    expect(byTestId('password-error')?.textContent).toContain('该密码过于常见');
    expect(window.location.pathname).toBe('/users');
    // accepted: every session ended, so the console goes back to the login page and says why
    refused = false;
    await fill('Osmanthus-Tea-77', 'Osmanthus-Tea-77');
    const sent = calls('POST /api/auth/password').at(-1)!;
    expect(JSON.parse(String(sent[1]!.body))).toEqual({ currentPassword: 'Yiyang@2026', newPassword: 'Osmanthus-Tea-77' });
    expect((sent[1]!.headers as Record<string, string>)['x-csrf-token']).toBe('tok');
    expect(window.location.pathname).toBe('/login');
    expect(byTestId('login-notice')?.textContent).toContain('密码已修改，请用新密码重新登录');
  });
});
