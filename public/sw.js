// Linli's service worker: every screen opens with no network once the app was opened once.
//
// - A build is index.html plus every file `parts.json` lists (the hashed wasm parts, JS, the
//   manifest and icons; written by .ci/split.sh). It is precached whole, in a cache of its
//   own, when the worker installs (after the page's first paint: the page registers the
//   worker on `load`) and whenever a page load finds a newer build on the server.
// - The two newest builds are kept, so a tab opened before a deploy keeps loading its own
//   parts; older builds are dropped. Files are never mixed across builds: every name is
//   content-hashed, and each build's index.html names exactly its own.
// - Page loads: network first (a new version shows as soon as it is deployed), the newest
//   cached index.html when offline.
// - Other GETs of this origin: cache first (hashed names never change), filled on the way.
// - `/spaces/…` (a community's data) and anything not GET: always the network. The data lives
//   in IndexedDB; the service worker never holds a second copy of it.
const PREFIX = "linli-build-";
const KEEP = 2;
const META = "linli-meta";

/** The builds cached, newest first. */
async function builds() {
  const hit = await (await caches.open(META)).match("/builds");
  return hit ? hit.json() : [];
}

async function setBuilds(list) {
  const meta = await caches.open(META);
  await meta.put("/builds", new Response(JSON.stringify(list), { headers: { "content-type": "application/json" } }));
}

/** Caches the server's current build, if it is not cached yet; drops builds past KEEP. */
async function precache() {
  const response = await fetch("/parts.json", { cache: "no-cache" });
  if (!response.ok) return;
  const parts = await response.json();
  const known = await builds();
  if (known[0] === parts.build) return;
  const index = await fetch("/", { cache: "no-cache" });
  if (!index.ok) return;
  const html = await index.clone().text();
  // A deploy between the two requests: try again on the next page load.
  if (!html.includes(parts.build)) return;
  const cache = await caches.open(PREFIX + parts.build);
  await Promise.all(
    parts.files.map(async (file) => {
      if (!(await caches.match(file, { ignoreVary: true }))) await cache.add(file);
    }),
  );
  await cache.put("/", index);
  const list = [parts.build, ...known.filter((b) => b !== parts.build)];
  for (const old of list.slice(KEEP)) await caches.delete(PREFIX + old);
  await setBuilds(list.slice(0, KEEP));
}

/** The newest cached index.html. */
async function cachedIndex() {
  for (const build of await builds()) {
    const hit = await (await caches.open(PREFIX + build)).match("/");
    if (hit) return hit;
  }
  return undefined;
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().catch(() => {}).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set((await builds()).map((b) => PREFIX + b));
      keep.add(META);
      for (const name of await caches.keys()) {
        if (!keep.has(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/spaces/") || url.pathname === "/parts.json") return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) event.waitUntil(precache().catch(() => {}));
          return response;
        })
        .catch(async () => (await cachedIndex()) ?? Response.error()),
    );
    return;
  }
  event.respondWith(
    caches.match(request, { ignoreVary: true }).then(
      (hit) =>
        hit ??
        fetch(request).then(async (response) => {
          const build = (await builds())[0];
          if (response.ok && build) (await caches.open(PREFIX + build)).put(request, response.clone());
          return response;
        }),
    ),
  );
});
