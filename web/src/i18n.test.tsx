// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './app';
import { LOCALE_KEY } from './i18n';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

async function settle() {
  for (let i = 0; i < 5; i++) await act(async () => { await new Promise((r) => setTimeout(r, 0)); });
}

describe('console language switch', () => {
  let root: Root;
  let container: HTMLDivElement;
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    window.history.pushState({}, '', '/login');
    // not logged in: /api/auth/me answers 401
    fetchMock.mockImplementation(async () => new Response(JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: '请先登录', details: null } }), { status: 401 }));
    vi.stubGlobal('fetch', fetchMock);
    container = document.createElement('div');
    document.body.appendChild(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
  });

  it('shows Chinese by default and English after the switch, and remembers the choice', async () => {
    await act(async () => root.render(<App />));
    await settle();
    const submit = () => container.querySelector('[data-testid="login-submit"]')!.textContent!.replace(/\s/g, '');
    expect(submit()).toBe('登录');
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/auth/me');
    expect((fetchMock.mock.calls[0]![1]!.headers as Record<string, string>)['Accept-Language']).toBe('zh-CN');

    const english = [...container.querySelectorAll('[data-testid="lang-switch"] .ant-segmented-item')].find((el) => el.textContent === 'English');
    expect(english).toBeTruthy();
    await act(async () => (english as HTMLElement).click());
    await settle();
    expect(submit()).toBe('Login');
    expect(container.textContent).toContain('Username');
    expect(localStorage.getItem(LOCALE_KEY)).toBe('en');
  });
});
