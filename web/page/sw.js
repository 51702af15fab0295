// The calculator offline: once the page has been opened, its files are kept in the browser's
// cache, so it (and any share link) still opens without a network. Network first, so a new
// version is picked up whenever the server is reachable; the cache only answers when it is not.
// Nothing leaves the browser: the worker only fetches this page's own files.

const CACHE = 'hypercost-v1';
const SHELL = ['./', 'index.html', 'app.js', 'app.css', 'report.css', 'hypercost.js', 'hypercost_bg.wasm'];
// The example gallery: its list (written by scripts/web from examples/*.toml) names the files,
// so they are kept too without being named here. A page built without it still installs.
const EXAMPLE_LIST = 'examples/index.json';

async function keepExamples(cache) {
  try {
    const response = await fetch(EXAMPLE_LIST);
    if (!response.ok) return;
    const list = await response.clone().json();
    await cache.put(EXAMPLE_LIST, response);
    await cache.addAll(list.map(({ file }) => `examples/${encodeURIComponent(file)}`));
  } catch {
    // Offline or no gallery: the calculator itself is kept all the same.
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((c) => c.addAll(SHELL).then(() => keepExamples(c)))
      .then(() => self.skipWaiting()),
  );
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
