import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, vi } from 'vitest';
import { App } from './app';
import { I18nProvider } from './i18n';
import { AuthProvider } from './shared/auth';
import { LOCALE_KEY } from './shared/i18n-core';
import { createQueryClient } from './shared/query';
import { preloadPages } from './modules/shell/lazy-page';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** Lets React and the mocked fetches run to rest. */
export async function settle() {
  for (let i = 0; i < 5; i++)
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
}

/**
 * For jsdom tests: the whole console mounted at `path`, with no session (every fetch answers 401
 * unless a test replaces the mock) and the default language.
 */
export function appHarness(path: string) {
  const h = { root: null as unknown as Root, container: null as unknown as HTMLDivElement, fetchMock: vi.fn<typeof fetch>() };
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    window.history.pushState({}, '', path);
    h.fetchMock.mockImplementation(
      async () => new Response(JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: '请先登录', details: null } }), { status: 401 }),
    );
    vi.stubGlobal('fetch', h.fetchMock);
    h.container = document.createElement('div');
    document.body.appendChild(h.container);
    h.root = createRoot(h.container);
  });
  afterEach(() => {
    act(() => h.root.unmount());
    h.container.remove();
    vi.unstubAllGlobals();
  });
  // the pages are lazy chunks: load them all first, so a page shows within settle()
  return Object.assign(h, { render: () => preloadPages().then(() => act(async () => h.root.render(<App />))) });
}

/**
 * For jsdom tests of one page: a root mounted before each test and unmounted after it, and `show`,
 * which renders `element` at `path` (matched by the route `pattern`) under the console's providers
 * (a fresh query client, the language, the session, antd's App, a router). Each test stubs fetch itself.
 */
export function pageHarness() {
  const h = { root: null as unknown as Root, container: null as unknown as HTMLDivElement };
  beforeEach(() => {
    h.container = document.createElement('div');
    document.body.appendChild(h.container);
    h.root = createRoot(h.container);
  });
  afterEach(() => {
    // unmount before the body is cleared: antd's drawers and modals are portals on the body
    act(() => h.root.unmount());
    h.container.remove();
    document.body.innerHTML = '';
  });
  const show = async (path: string, pattern: string, element: ReactElement) => {
    await act(async () =>
      h.root.render(
        <QueryClientProvider client={createQueryClient()}>
          <I18nProvider>
            <AuthProvider>
              <AntApp>
                <MemoryRouter initialEntries={[path]}>
                  <Routes>
                    <Route path={pattern} element={element} />
                  </Routes>
                </MemoryRouter>
              </AntApp>
            </AuthProvider>
          </I18nProvider>
        </QueryClientProvider>,
      ),
    );
    await settle();
  };
  /** A fresh root in the same container (a second rendering within one test). */
  const remount = () => {
    act(() => h.root.unmount());
    h.root = createRoot(h.container);
  };
  return Object.assign(h, { show, remount });
}
