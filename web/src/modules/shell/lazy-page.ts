import { lazy, type ComponentType } from 'react';

const loaders: (() => Promise<unknown>)[] = [];

/**
 * A page fetched as its own chunk the first time it is opened (React.lazy; issue 14: the cold
 * load on a phone). `pick` names the page among the module's exports. `preload()` fetches the
 * chunk before the page is shown (the login page asks for the frame's while the user types).
 */
export function lazyPage<M, K extends keyof M>(load: () => Promise<M>, pick: K) {
  loaders.push(load);
  const Page = lazy(() => load().then((m) => ({ default: m[pick] as ComponentType<M[K] extends ComponentType<infer P> ? P : object> })));
  return Object.assign(Page, { preload: () => load().catch(() => undefined) });
}

/** Loads every page's chunk now (tests render the console at once; nothing in the console calls it). */
export function preloadPages(): Promise<unknown> {
  return Promise.all(loaders.map((l) => l()));
}
