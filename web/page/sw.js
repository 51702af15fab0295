// The calculator offline: once the page has been opened, its files are kept in the browser's
// cache, so it (and any share link) still opens without a network. Network first, so a new
// version is picked up whenever the server is reachable; the cache only answers when it is not.
// Nothing leaves the browser: the worker only fetches this page's own files.

const CACHE = 'hypercost-v1';
const SHELL = ['./', 'index.html', 'app.js', 'app.css', 'report.css', 'hypercost.js', 'hypercost_bg.wasm'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((c) => c.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: true }).then((hit) => hit ?? Response.error())),
  );
});
