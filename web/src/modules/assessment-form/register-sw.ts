/**
 * Registers the service worker (web/dist/sw.js, written by sw-plugin.ts) when an assessor first
 * opens the assessment form: the console's other users, and the browser suites' fresh contexts,
 * never get one. In the dev server and in tests there is no sw.js: nothing happens.
 */
let asked = false;
export function registerServiceWorker(): void {
  if (asked || typeof navigator === 'undefined' || !('serviceWorker' in navigator) || import.meta.env.DEV || import.meta.env.MODE === 'test') return;
  asked = true;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((e: unknown) => console.warn('service worker not registered', e));
}
