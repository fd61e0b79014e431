// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { appHarness, settle } from './app-harness';
import { LOCALE_KEY } from './i18n';

describe('console language switch', () => {
  const h = appHarness('/login');

  it('shows Chinese by default and English after the switch, and remembers the choice', async () => {
    await h.render();
    await settle();
    const submit = () => h.container.querySelector('[data-testid="login-submit"]')!.textContent!.replace(/\s/g, '');
    expect(submit()).toBe('登录');
    expect(h.fetchMock.mock.calls[0]![0]).toBe('/api/auth/me');
    expect((h.fetchMock.mock.calls[0]![1]!.headers as Record<string, string>)['Accept-Language']).toBe('zh-CN');

    // the login page's switch is two plain buttons (no antd on the login page, issue 14)
    const english = [...h.container.querySelectorAll('[data-testid="lang-switch"] button')].find((el) => el.textContent === 'English');
    expect(english).toBeTruthy();
    await act(async () => (english as HTMLElement).click());
    await settle();
    expect(submit()).toBe('Login');
    expect(h.container.textContent).toContain('Username');
    expect(localStorage.getItem(LOCALE_KEY)).toBe('en');
  });
});
