import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, vi } from 'vitest';
import { App } from './app';
import { LOCALE_KEY } from './shared/i18n-core';
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
