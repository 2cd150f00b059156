// The site offline: a service worker that keeps every same-origin file the reader has loaded.
// Hashed build assets (scripts, styles, the model, onnxruntime's .wasm) never change under a name,
// so they are served from the cache first; pages and other files go to the network first and fall
// back to the cache. BUILD_ID (a hash of the build's files) names the cache, so that a new build
// starts a new cache and the old one is deleted.

declare const BUILD_ID: string;

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ServiceWorkerScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const sw = self as unknown as ServiceWorkerScope;
const cacheName = `grokking-${BUILD_ID}`;

async function remember(request: Request, response: Response): Promise<Response> {
  if (response.ok && response.type === 'basic') {
    const cache = await caches.open(cacheName);
    await cache.put(request, response.clone());
  }
  return response;
}

async function cacheFirst(request: Request): Promise<Response> {
  return (await caches.match(request)) ?? remember(request, await fetch(request));
}

async function networkFirst(request: Request): Promise<Response> {
  try {
    return await remember(request, await fetch(request));
  } catch (error) {
    const cached = await caches.match(request, { ignoreSearch: request.mode === 'navigate' });
    if (cached) return cached;
    throw error;
  }
}

sw.addEventListener('install', (event) => event.waitUntil(sw.skipWaiting()));

sw.addEventListener('activate', (event) =>
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== cacheName) await caches.delete(name);
      await sw.clients.claim();
    })(),
  ),
);

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== sw.location.origin) return;
  const immutable = /\/(_astro|previews)\//.test(url.pathname);
  event.respondWith(immutable ? cacheFirst(request) : networkFirst(request));
});
