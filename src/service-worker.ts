// The site offline: a service worker that keeps every page of the course and the small files they
// load from its first visit (PRECACHE, listed at build time by scripts/precache.mjs), and every
// other same-origin file the reader loads. A page it has not kept, asked for offline, gets the
// offline page (OFFLINE_PAGE), which links the pages that work. Hashed build assets (scripts, styles, the model, onnxruntime's .wasm) never change under a name,
// so they are served from the cache first; pages and other files go to the network first and fall
// back to the cache. BUILD_ID (the build's time, then a hash of its files' contents) names the
// cache, so that a new build starts a new cache. The previous build's cache is kept, so that a tab
// still open on it finds its assets after a deploy has removed them from the server; older ones
// are deleted. Caches are named after the worker's scope too, so that two copies of the course
// on one origin (say /course/ and /course-2025/ on a GitHub Pages account) keep to their own.

declare const BUILD_ID: string;
declare const PRECACHE: string[];
declare const OFFLINE_PAGE: string;

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ServiceWorkerScope {
  location: Location;
  registration: { scope: string };
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const sw = self as unknown as ServiceWorkerScope;
const cachePrefix = `grokking ${sw.registration.scope} `;
const cacheName = cachePrefix + BUILD_ID;

async function remember(request: Request | string, response: Response): Promise<Response> {
  if (response.ok && response.status === 200 && response.type === 'basic') {
    try {
      const cache = await caches.open(cacheName);
      await cache.put(request, response.clone());
    } catch {
      // A full quota or a refused entry costs the offline copy, never the answer.
    }
  }
  return response;
}

async function cacheFirst(request: Request): Promise<Response> {
  return (await caches.match(request)) ?? remember(request, await fetch(request));
}

/** The network's answer, kept under `key`; offline, the kept one. */
async function networkFirst(request: Request, key: Request | string = request): Promise<Response> {
  try {
    return await remember(key, await fetch(request));
  } catch (error) {
    const cached = await caches.match(key, { ignoreSearch: request.mode === 'navigate' });
    if (cached) return cached;
    if (request.mode === 'navigate') {
      const offline = await caches.match(OFFLINE_PAGE);
      if (offline) return offline;
    }
    throw error;
  }
}

/** Keeps the pages and their small files, each on its own: one that fails costs only itself. */
async function precache(): Promise<void> {
  const cache = await caches.open(cacheName);
  await Promise.all(
    PRECACHE.map(async (url) => {
      try {
        const response = await fetch(url, { cache: 'no-cache' });
        if (response.ok) await cache.put(url, response);
      } catch {
        // Offline or refused: kept when first loaded instead.
      }
    }),
  );
}

sw.addEventListener('install', (event) => event.waitUntil(precache().then(() => sw.skipWaiting())));

sw.addEventListener('activate', (event) =>
  event.waitUntil(
    (async () => {
      // Names sort by build time: keep this build's cache and the one before it.
      const ours = (await caches.keys()).filter((name) => name.startsWith(cachePrefix)).sort();
      const keep = new Set([cacheName, ours.filter((name) => name < cacheName).at(-1)]);
      for (const name of ours) if (!keep.has(name)) await caches.delete(name);
      // Caches of the builds before caches were named after their scope.
      for (const name of await caches.keys()) {
        if (name.startsWith('grokking-')) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  ),
);

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== sw.location.origin) return;
  const immutable = /\/(_astro|previews)\//.test(url.pathname);
  // Pagefind asks for its entry file with a new ?ts= each time, to get past the HTTP cache: its
  // files are kept under their plain address (as precached), so search works offline.
  const searchIndex = url.pathname.startsWith(new URL('pagefind/', sw.registration.scope).pathname);
  if (searchIndex) event.respondWith(networkFirst(request, url.origin + url.pathname));
  else event.respondWith(immutable ? cacheFirst(request) : networkFirst(request));
});
