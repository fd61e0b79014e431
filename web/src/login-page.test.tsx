// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { appHarness, settle } from './app-harness';

/** The login page is a plain form without antd (issue 14): it still asks for what is missing and says the server's refusal. */
describe('login page', () => {
  const h = appHarness('/login');
  const byTestId = <T extends HTMLElement>(id: string) => h.container.querySelector<T>(`[data-testid="${id}"]`);
  const type = (id: string, value: string) => {
    const input = byTestId<HTMLInputElement>(id)!;
    // React tracks the value: set it through the prototype's setter so onChange sees it
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const logins = () => h.fetchMock.mock.calls.filter(([url]) => url === '/api/auth/login');

  it('asks for a missing username and password without sending anything, then shows the server’s refusal', async () => {
    await h.render();
    await settle();
    expect(h.container.querySelector('[class*="ant-"]')).toBeNull();
    await act(async () => byTestId('login-submit')!.click());
    await settle();
    expect(h.container.textContent).toContain('请输入用户名');
    expect(h.container.textContent).toContain('请输入密码');
    expect(logins()).toHaveLength(0);

    h.fetchMock.mockImplementation(async (url) =>
      url === '/api/auth/login'
        ? new Response(JSON.stringify({ error: { code: 'LOGIN_FAILED', message: '用户名或密码错误', details: null } }), { status: 401 })
        : new Response(JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: '请先登录', details: null } }), { status: 401 }),
    );
    await act(async () => {
      type('login-username', 'grid1');
      type('login-password', 'wrong');
    });
    await act(async () => byTestId('login-submit')!.click());
    await settle();
    expect(logins()).toHaveLength(1);
    expect(JSON.parse(String(logins()[0]![1]!.body))).toEqual({ username: 'grid1', password: 'wrong' });
    expect(byTestId('login-error')?.textContent).toBe('用户名或密码错误');
    expect(h.container.textContent).not.toContain('请输入用户名');
  });
});
