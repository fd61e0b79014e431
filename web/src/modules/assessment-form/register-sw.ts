/**
 * Registers the service worker (web/dist/sw.js, written by sw-plugin.ts) when an assessor first
 * opens the assessment form: the console's other users, and the browser suites' fresh contexts,
 * never get one. In the dev server and in tests there is no sw.js: nothing happens.
 *
 * The session probe of this page load went out before the worker was there: once it controls the
 * page, the probe is asked again through it, so that a reload without network knows who is logged in.
 */
let asked = false;
export function registerServiceWorker(): void {
  if (asked || typeof navigator === 'undefined' || !('serviceWorker' in navigator) || import.meta.env.DEV || import.meta.env.MODE === 'test') return;
  asked = true;
  const prime = () => void fetch('/api/auth/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } }).catch(() => undefined);
  if (navigator.serviceWorker.controller) prime();
  else navigator.serviceWorker.addEventListener('controllerchange', prime, { once: true });
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((e: unknown) => console.warn('service worker not registered', e));
}
