import { lazy, type ComponentType } from 'react';

const loaders: (() => Promise<unknown>)[] = [];

/**
 * A page fetched as its own chunk the first time it is opened (React.lazy; issue 14: the cold
 * load on a phone). `pick` names the page among the module's exports.
 */
export function lazyPage<M, K extends keyof M>(load: () => Promise<M>, pick: K) {
  loaders.push(load);
  return lazy(() => load().then((m) => ({ default: m[pick] as ComponentType })));
}

/** Loads every page's chunk now (tests render the console at once; nothing in the console calls it). */
export function preloadPages(): Promise<unknown> {
  return Promise.all(loaders.map((l) => l()));
}
