// Linli's service worker: the app opens with no network.
//
// - The app shell (index.html and every file it links: the hashed wasm, JS and CSS, the
//   manifest and icons) is cached at install, read from index.html itself so this file never
//   needs to know Trunk's hashed names.
// - Page loads: network first (a new version shows as soon as it is deployed), the cached
//   shell when offline.
// - Other GETs of this origin: cache first (hashed names never change), filled on the way.
// - `/spaces/…` (a community's data) and anything not GET: always the network. The data lives
//   in IndexedDB; the service worker never holds a second copy of it.
const CACHE = "linli-shell-v1";

async function shellUrls() {
  const response = await fetch("/", { cache: "no-cache" });
  const html = await response.clone().text();
  const urls = new Set(["/", "/manifest.webmanifest", "/icons/icon.svg"]);
  for (const m of html.matchAll(/(?:href|src)="(\/[^"]+)"/g)) urls.add(m[1]);
  return { response, urls: [...urls] };
}

async function refreshShell() {
  const cache = await caches.open(CACHE);
  const { response, urls } = await shellUrls();
  await cache.put("/", response);
  await Promise.all(
    urls.filter((u) => u !== "/").map(async (u) => {
      if (!(await cache.match(u))) await cache.add(u);
    }),
  );
  // Forget files of older versions.
  const keep = new Set(urls.map((u) => new URL(u, self.location.origin).href));
  for (const req of await cache.keys()) {
    if (!keep.has(req.url)) await cache.delete(req);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(refreshShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/spaces/")) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) event.waitUntil(refreshShell().catch(() => {}));
          return response;
        })
        .catch(async () => (await caches.match("/")) ?? Response.error()),
    );
    return;
  }
  event.respondWith(
    caches.match(request).then(
      (hit) =>
        hit ??
        fetch(request).then(async (response) => {
          if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
          return response;
        }),
    ),
  );
});
