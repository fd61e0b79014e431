// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { appHarness, settle } from './app-harness';
import { yuan } from './shared/format';
import { navItems } from './nav';
import { factInfos } from '../../src/modules/catalogue/facts';
import { tagInfos } from '../../src/modules/register/tags';

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
  const h = appHarness('/self-check');

  it('renders without a session and says that nothing is stored', async () => {
    // the form is built from the public GET /api/facts; everything else answers 401 (no session)
    const unauthorised = h.fetchMock.getMockImplementation()!;
    const ok = (v: unknown) => new Response(JSON.stringify(v), { status: 200, headers: { 'Content-Type': 'application/json' } });
    h.fetchMock.mockImplementation(async (url, init) =>
      String(url) === '/api/facts'
        ? ok({ facts: factInfos(), tags: tagInfos() })
        : // one county: the place is not asked for
          String(url) === '/api/public/places'
          ? ok({ items: [] })
          : unauthorised(url, init),
    );
    await h.render();
    await settle();
    expect(window.location.pathname).toBe('/self-check');
    expect(h.container.querySelector('[data-testid="self-check-form"]')).toBeTruthy();
    expect(h.container.textContent).toContain('本页面不保存您填写的任何信息');
    expect(h.container.querySelector('[data-testid="login-username"]')).toBeNull();
  });

  it('is linked from the login page', async () => {
    window.history.pushState({}, '', '/login');
    await h.render();
    await settle();
    const link = h.container.querySelector<HTMLAnchorElement>('[data-testid="login-self-check"]');
    expect(link?.getAttribute('href')).toBe('/self-check');
    expect(link?.textContent).toBe('养老顾问：查一查我能享受哪些服务');
  });
});
