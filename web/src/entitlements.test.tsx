// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './app';
import { yuan } from './format';
import { LOCALE_KEY } from './i18n';
import { navItems } from './nav';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

async function settle() {
  for (let i = 0; i < 5; i++) await act(async () => { await new Promise((r) => setTimeout(r, 0)); });
}

describe('yuan', () => {
  it('shows integer fen as yuan with two decimals', () => {
    expect(yuan(0)).toBe('0.00');
    expect(yuan(5)).toBe('0.05');
    expect(yuan(6000)).toBe('60.00');
    expect(yuan(123456789)).toBe('1,234,567.89');
    expect(yuan(-150)).toBe('-1.50');
    expect(yuan(null)).toBe('—');
  });
});

describe('menu', () => {
  it('lists the catalogue, runs and rolls pages by action', () => {
    const byPath = Object.fromEntries(navItems.map((n) => [n.path, n.action]));
    expect(byPath['/catalogue']).toBe('catalogue.read');
    expect(byPath['/runs']).toBe('entitlements.read');
    expect(byPath['/rolls']).toBe('rolls.read');
  });
});

describe('public self-check', () => {
  let root: Root;
  let container: HTMLDivElement;
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    window.history.pushState({}, '', '/self-check');
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

  it('renders without a session and says that nothing is stored', async () => {
    await act(async () => root.render(<App />));
    await settle();
    expect(window.location.pathname).toBe('/self-check');
    expect(container.querySelector('[data-testid="self-check-form"]')).toBeTruthy();
    expect(container.textContent).toContain('本页面不保存您填写的任何信息');
    expect(container.querySelector('[data-testid="login-username"]')).toBeNull();
  });

  it('is linked from the login page', async () => {
    window.history.pushState({}, '', '/login');
    await act(async () => root.render(<App />));
    await settle();
    const link = container.querySelector<HTMLAnchorElement>('[data-testid="login-self-check"]');
    expect(link?.getAttribute('href')).toBe('/self-check');
    expect(link?.textContent).toBe('养老顾问：查一查我能享受哪些服务');
  });
});
