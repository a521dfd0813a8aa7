// What index.html runs before the app's code has arrived. A file, not inline, since the
// Content-Security-Policy runs no inline script (docs/security.md); loaded by a plain
// <script src> right after #prepaint and #first-visit, so it runs before anything is painted.

// The first paint (src/first_paint.rs): on `/`, the home screen as this phone last showed it,
// or on a first visit the template — the empty home screen as the app draws it in Chinese.
(function () {
  if (location.pathname !== "/") return;
  var saved = null;
  try {
    saved = JSON.parse(localStorage.getItem("linli-home"));
  } catch (e) {}
  var root = document.documentElement;
  if (saved && saved.html) {
    root.lang = saved.lang;
    if (saved.large) root.classList.add("large-text");
  }
  document.getElementById("prepaint").innerHTML =
    saved && saved.html ? saved.html : document.getElementById("first-visit").innerHTML;
})();

// Every screen opens with no network once visited (public/sw.js). The worker precaches the
// whole app, so it is registered once the first screen is up (the app says so with a
// `linli-ready` event), never competing with the first load. Failure only loses that.
if ("serviceWorker" in navigator) {
  addEventListener("linli-ready", () => navigator.serviceWorker.register("/sw.js").catch(() => {}), { once: true });
}
