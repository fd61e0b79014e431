/* global self, caches, fetch, Response, URL, __FILES__ */
/* Yiyang's service worker (issue 15: the assessment form offline for a day of home visits).
 * Written into web/dist/sw.js by the build (sw-plugin.ts), which fills in VERSION and FILES.
 * - The app shell (index.html, the hashed JS/CSS chunks, fonts) is cached at install under a cache
 *   named by the build, so /assessments/new opens with the network cut after one online visit; a
 *   new build installs at once (skipWaiting, clients.claim) and drops the old caches.
 * - Pages: network first, the cached index.html when the network is away.
 * - API answers are never cached (they carry personal data), with one exception: the user's own
 *   session (/api/auth/me, without its CSRF token, kept at most 24 h) so that the console knows who
 *   is logged in while offline; a logout or a 401 deletes it. The assessor's drafts and their people
 *   are in IndexedDB (offline.ts), not here.
 */
const VERSION = '__VERSION__';
const FILES = __FILES__;
const SHELL = 'yy-shell-' + VERSION;
const SESSION = 'yy-session';
const SESSION_KEY = '/__offline-session';
const SESSION_MAX_MS = 24 * 3600 * 1000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((c) => c.addAll(['/index.html', ...FILES]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('yy-shell-') && n !== SHELL).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

async function session(request) {
  const cache = await caches.open(SESSION);
  try {
    const res = await fetch(request);
    if (res.ok) {
      const body = await res.clone().json();
      const copy = { ...body, csrfToken: null };
      await cache.put(SESSION_KEY, new Response(JSON.stringify(copy), { headers: { 'content-type': 'application/json', 'x-saved-at': String(Date.now()) } }));
    } else if (res.status === 401) await cache.delete(SESSION_KEY);
    return res;
  } catch (e) {
    const saved = await cache.match(SESSION_KEY);
    if (saved && Date.now() - Number(saved.headers.get('x-saved-at')) < SESSION_MAX_MS) return saved;
    throw e;
  }
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/api/auth/logout' || url.pathname === '/api/auth/login') {
    event.waitUntil(caches.open(SESSION).then((c) => c.delete(SESSION_KEY)));
    return;
  }
  if (req.method !== 'GET') return;
  if (url.pathname === '/api/auth/me') {
    event.respondWith(session(req));
    return;
  }
  if (url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    event.respondWith(fetch(req).catch(() => caches.match('/index.html', { cacheName: SHELL }).then((r) => r || Response.error())));
    return;
  }
  // hashed assets never change under their name: the cache first
  event.respondWith(caches.match(req, { cacheName: SHELL }).then((hit) => hit || fetch(req)));
});
