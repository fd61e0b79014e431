// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { appHarness, settle } from './app-harness';

/**
 * The header on a phone (issue 16, newcomer's run at 390 px): 退出登录 and the language switch were
 * 24 px tall; below the md breakpoint they are Ant Design's large size (40 px; the language's options
 * 40 px inside a 44 px track), and stay small on a desktop.
 */
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const session = {
  user: { id: 11, username: 'grid1', displayName: '网格员甲', role: 'grid_worker', regionCode: '990101001001', regionName: '一村' },
  actions: ['visits.read', 'visits.record'],
  csrfToken: 'x',
};
const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);

/** Every media query answers `wide` (jsdom has no layout: antd's breakpoints read matchMedia). */
function screen(wide: boolean) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    configurable: true,
    value: (query: string) => ({
      matches: wide,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  });
}

describe('the header’s touch targets', () => {
  const h = appHarness('/m/visits');
  const serve = () =>
    h.fetchMock.mockImplementation(async (input) =>
      String(input) === '/api/auth/me' ? json(200, session) : json(404, { error: { code: 'NOT_FOUND', message: 'x', details: null } }),
    );

  it('makes 退出登录 and the language switch large on a phone', async () => {
    screen(false);
    serve();
    await h.render();
    await settle();
    expect(byTestId('logout')?.classList.contains('ant-btn-lg')).toBe(true);
    expect(byTestId('lang-switch')?.querySelector('.ant-segmented')?.classList.contains('ant-segmented-lg')).toBe(true);
  });

  it('keeps a phone’s header on one line: the name and role behind the account button, no title', async () => {
    screen(false);
    serve();
    await h.render();
    await settle();
    // 390 px held the menu, name, role, language and 退出登录 only on two lines (issue 17, newcomer at 390 px)
    expect(byTestId('header-user')).toBeNull();
    expect(byTestId('header-role')).toBeNull();
    expect(byTestId('user-menu')?.getAttribute('aria-label')).toContain('网格员甲');
    expect(byTestId('user-menu')?.classList.contains('ant-btn-lg')).toBe(true);
  });

  it('keeps them small on a desktop', async () => {
    screen(true);
    serve();
    await h.render();
    await settle();
    expect(byTestId('logout')?.classList.contains('ant-btn-sm')).toBe(true);
    expect(byTestId('lang-switch')?.querySelector('.ant-segmented')?.classList.contains('ant-segmented-sm')).toBe(true);
    screen(false);
  });
});
