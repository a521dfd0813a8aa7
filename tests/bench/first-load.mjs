// First-load bytes: what a phone downloads before the home screen is usable, as Chromium
// counts it on the wire (the hub's brotli, response headers included), printed; with
// --budget, asserted:
//
//   node tests/bench/first-load.mjs [--json] [--budget KB]
//
// 1. Fresh phone: `/` on a new profile, until the shell has read its settings
//    (`.shell[data-ready=true]`) and the empty home (`section.empty`) is visible.
// 2. Joined phone: a resident joins the demo community from an invitation link (a profile
//    kept on disk), then `/` is reloaded cold until the community (`[data-testid=community]`,
//    drawn from the stored digest) is visible.
// 3. All parts: every file of dist/parts.json fetched once with `Accept-Encoding: br`, plus
//    index.html, sw.js and parts.json (response bodies only): what the service worker
//    precaches, i.e. the whole app.
//
// In both loads the page's HTTP cache is disabled and its service worker bypassed, so that
// a figure is what the page itself needs. Only requests that finished before the usable
// moment count; the rest are listed apart. The moment is taken in the page (a
// MutationObserver installed before any of the app's scripts runs) and compared with the
// DevTools network timestamps through the wall clock that both report.
//
// The service worker registers on the page's `load` event, which comes before the home is
// usable, and its precache then fetches every part alongside the first load. Its requests
// are made in its own target, not the page's: they are listed apart, with the bytes that
// finished before the usable moment, but not counted in the figure, since how much of the
// precache lands first is a race.
//
// Needs the release bundle in dist/ and the hub (LINLI_HUB, else target/debug/linli-hub;
// the hub's build type does not change a byte it serves). KB is 1,000 bytes. Exits 1 when a
// first-load figure is over the budget, 2 when the measurement itself failed.
import { rmSync, mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  distDir,
  invitationLink,
  launchBrowser,
  makeDemo,
  newPersistentPhone,
  newPhone,
  Shell,
  startHub,
  onExit,
} from "../e2e/support.mjs";

const { values: opts } = parseArgs({
  options: { json: { type: "boolean", default: false }, budget: { type: "string" } },
});
const budgetKb = opts.budget === undefined ? undefined : Number(opts.budget);
if (budgetKb !== undefined && !(budgetKb > 0)) {
  console.error(`first-load: --budget wants a positive number of KB, not ${opts.budget}`);
  process.exit(2);
}
/** How long a page may take to become usable (a busy 2-core machine, a debug hub). */
const USABLE_TIMEOUT_MS = 60_000;
/** After the usable moment, how long the network must be quiet before the listing closes. */
const QUIET_MS = 1_500;

// Everything started here is stopped on the way out, also on Ctrl-C or SIGTERM.
const { cleanups, cleanUp } = onExit();

/**
 * Records every request of `page` through its own DevTools session, with the bytes
 * Chromium received for it (`encodedDataLength`: on the wire, headers included).
 */
async function recordNetwork(page) {
  const cdp = await page.context().newCDPSession(page);
  const requests = new Map();
  cdp.on("Network.requestWillBeSent", (e) => {
    // A redirect reuses the id; the bytes of the hop before are not reported apart.
    requests.set(e.requestId, { url: e.request.url, start: e.timestamp, wall: e.wallTime, type: e.type });
  });
  cdp.on("Network.responseReceived", (e) => {
    const r = requests.get(e.requestId);
    if (!r) return;
    r.status = e.response.status;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    r.encoding = headers["content-encoding"] ?? "-";
  });
  cdp.on("Network.loadingFinished", (e) => {
    const r = requests.get(e.requestId);
    if (!r) return;
    r.end = e.timestamp;
    r.bytes = e.encodedDataLength;
  });
  cdp.on("Network.loadingFailed", (e) => {
    const r = requests.get(e.requestId);
    if (!r) return;
    r.end = e.timestamp;
    r.failed = e.errorText;
  });
  await cdp.send("Network.enable");
  // A cold load of what the page needs: nothing from the HTTP cache or the service worker.
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.setBypassServiceWorker", { bypass: true });
  return {
    requests,
    /**
     * Resolves once no request has started or ended for `ms` (and none is open), or after
     * `max` ms whatever the network does: the listing of late requests is only informative.
     */
    async quiet(ms, max = 15_000) {
      let last = "";
      let stable = 0;
      for (let waited = 0; stable < ms && waited < max; waited += 100) {
        const now = [...requests.values()].map((r) => `${r.url}:${r.end ?? "open"}`).join("|");
        stable = now !== last || now.includes(":open") ? 0 : stable + 100;
        last = now;
        await new Promise((ok) => setTimeout(ok, 100));
      }
    },
    detach: () => cdp.detach().catch(() => {}),
  };
}

/**
 * Records the service worker's own requests (its precache), which the page's DevTools session
 * does not see. Playwright reports them from the worker's target, with the same accounting
 * (`sizes()` is Chromium's encodedDataLength split into headers and body; a response taken
 * from the HTTP cache comes out as zero bytes on the wire) and wall-clock timing.
 */
function recordServiceWorker(context) {
  const pending = [];
  const onDone = (req) => {
    if (!req.serviceWorker()) return;
    pending.push(
      (async () => {
        const sizes = await req.sizes().catch(() => undefined);
        const t = req.timing();
        return {
          path: new URL(req.url()).pathname,
          bytes: sizes ? Math.max(0, sizes.responseBodySize + sizes.responseHeadersSize) : 0,
          endWall: t.startTime + Math.max(0, t.responseEnd),
          ...(req.failure() ? { failed: req.failure().errorText } : {}),
        };
      })(),
    );
  };
  context.on("requestfinished", onDone);
  context.on("requestfailed", onDone);
  return {
    async stop() {
      context.off("requestfinished", onDone);
      context.off("requestfailed", onDone);
      return Promise.all(pending);
    },
  };
}

/**
 * Notes, in the page, the first moment every selector matches a rendered element, as wall-clock
 * milliseconds (`window.__linliUsable`). Installed before the app's own scripts run.
 */
async function markUsable(context, selectors) {
  await context.addInitScript((selectors) => {
    const rendered = (el) => el !== null && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    const observer = new MutationObserver(() => {
      if (window.__linliUsable === undefined && selectors.every((s) => rendered(document.querySelector(s)))) {
        window.__linliUsable = performance.timeOrigin + performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  }, selectors);
}

/**
 * Navigates to `url` and measures the load until the marked usable moment: the requests that
 * finished before it (counted) and those still running or started later (listed apart).
 */
async function measure(page, url) {
  const net = await recordNetwork(page);
  const worker = recordServiceWorker(page.context());
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__linliUsable !== undefined, null, { timeout: USABLE_TIMEOUT_MS, polling: 50 });
  const usableWall = await page.evaluate(() => window.__linliUsable);
  await net.quiet(QUIET_MS);
  await net.detach();
  const sw = await worker.stop();
  // data: and blob: URLs (the app's workers) never touch the network.
  const all = [...net.requests.values()].filter((r) => /^https?:/.test(r.url));
  const doc = all.find((r) => r.type === "Document") ?? all[0];
  // DevTools timestamps are monotonic seconds; each request also carries the wall time it
  // started, which ties that clock to the page's `performance.timeOrigin`.
  const usable = usableWall / 1000 - (doc.wall - doc.start);
  const row = (r) => ({
    path: new URL(r.url).pathname,
    status: r.status ?? null,
    encoding: r.encoding ?? "-",
    bytes: r.bytes ?? 0,
    startMs: Math.round((r.start - doc.start) * 1000),
    endMs: r.end === undefined ? null : Math.round((r.end - doc.start) * 1000),
    ...(r.failed ? { failed: r.failed } : {}),
  });
  const before = all.filter((r) => r.end !== undefined && r.end <= usable).map(row);
  const after = all.filter((r) => !(r.end !== undefined && r.end <= usable)).map(row);
  const swRow = ({ endWall, ...r }) => ({ ...r, endMs: Math.round(endWall - doc.wall * 1000) });
  const swBefore = sw.filter((r) => r.endWall <= usableWall).map(swRow);
  return {
    url: new URL(url).pathname,
    usableMs: Math.round((usable - doc.start) * 1000),
    bytes: before.reduce((n, r) => n + r.bytes, 0),
    requests: before,
    after,
    serviceWorker: {
      bytes: swBefore.reduce((n, r) => n + r.bytes, 0),
      requests: swBefore,
      after: sw.filter((r) => r.endWall > usableWall).map(swRow),
    },
  };
}

/** GETs `path` with `Accept-Encoding: br` and counts the body bytes as sent (not decoded). */
function encodedSize(base, path) {
  return new Promise((ok, fail) => {
    const req = request(base + path, { headers: { "accept-encoding": "br" } }, (res) => {
      let bytes = 0;
      res.on("data", (chunk) => (bytes += chunk.length));
      res.on("end", () =>
        res.statusCode === 200
          ? ok({ path, encoding: res.headers["content-encoding"] ?? "-", bytes })
          : fail(new Error(`${path}: HTTP ${res.statusCode}`)),
      );
    });
    req.on("error", fail);
    req.end();
  });
}

/** Progress on stderr, so that stdout stays the table (or the one JSON object). */
const say = (msg) => console.error(`first-load: ${msg}`);

async function main() {
  say("writing the demo community");
  const demo = makeDemo();
  cleanups.push(() => rmSync(demo.data, { recursive: true, force: true }));
  const hub = await startHub({ data: demo.data });
  cleanups.push(() => hub.stop());
  say(`hub at ${hub.url}; waiting for its brotli siblings of the bundle`);
  await hub.precompressed();

  const parts = JSON.parse(readFileSync(join(distDir(), "parts.json"), "utf8"));
  const whole = [];
  for (const path of ["/", "/sw.js", "/parts.json", ...parts.files]) whole.push(await encodedSize(hub.url, path));

  say("fresh phone");
  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const fresh = await newPhone(browser);
  await markUsable(fresh.context, [".shell[data-ready=true]", "section.empty"]);
  const first = await measure(fresh.page, hub.url + "/");
  await fresh.context.close();
  await browser.close();

  say("joining the demo community as a resident (a few seconds)");
  const profile = mkdtempSync(join(tmpdir(), "linli-profile-"));
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
  const phone = await newPersistentPhone(profile);
  cleanups.push(() => phone.context.close());
  const resident = demo.invites.find((i) => i.role === "resident");
  await new Shell(phone.page, hub.url, phone.errors).join(invitationLink(hub.url, resident), "测试居民");
  say("joined phone: cold reload");
  await markUsable(phone.context, ["[data-testid=community]"]);
  const joined = await measure(phone.page, hub.url + "/");
  await phone.context.close();

  return {
    build: parts.build,
    fresh: first,
    joined,
    parts: { bytes: whole.reduce((n, f) => n + f.bytes, 0), files: whole },
  };
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;

function print(result) {
  const line = (...cols) => console.log(cols.map((c, i) => (i === 0 ? String(c).padEnd(58) : String(c).padStart(10))).join(""));
  for (const [title, m] of [
    ["fresh phone: / until the empty home is usable", result.fresh],
    ["joined phone: cold reload of / until the community shows", result.joined],
  ]) {
    console.log(`\n${title} — usable after ${m.usableMs} ms`);
    line("request", "encoding", "bytes", "done ms");
    for (const r of m.requests) line(r.path, r.encoding, r.bytes, r.endMs);
    line("total before usable", "", kb(m.bytes), "");
    if (m.after.length) {
      console.log("  not counted (finished later, or never):");
      for (const r of m.after) console.log(`    ${r.path} ${r.failed ?? `${r.bytes} bytes, done at ${r.endMs ?? "—"} ms`}`);
    }
    const sw = m.serviceWorker;
    if (sw.requests.length) {
      console.log(`  meanwhile the service worker's own requests finished before usable (not counted above):`);
      for (const r of sw.requests) console.log(`    ${r.path} ${r.failed ?? `${r.bytes} bytes, done at ${r.endMs} ms`}`);
      console.log(`    total ${kb(sw.bytes)}; ${sw.after.length} more of its requests finished later`);
    } else if (sw.after.length) {
      console.log(`  the service worker's own requests (${sw.after.length}) all finished after the usable moment`);
    }
  }
  console.log(`\nall parts of build ${result.build} (brotli bodies, as the service worker precaches them)`);
  line("file", "encoding", "bytes", "");
  for (const f of result.parts.files) line(f.path, f.encoding, f.bytes, "");
  line("total", "", kb(result.parts.bytes), "");
  console.log("");
  const swNote = (m) => (m.serviceWorker.bytes ? `; + ${kb(m.serviceWorker.bytes)} by the service worker meanwhile` : "");
  console.log(`first load, fresh phone      ${kb(result.fresh.bytes).padStart(10)}   usable after ${result.fresh.usableMs} ms${swNote(result.fresh)}`);
  console.log(`first load, joined phone     ${kb(result.joined.bytes).padStart(10)}   usable after ${result.joined.usableMs} ms${swNote(result.joined)}`);
  console.log(`all parts                    ${kb(result.parts.bytes).padStart(10)}`);
}

let result;
try {
  result = await main();
} catch (err) {
  console.error(`first-load: ${err.stack ?? err}`);
  await cleanUp();
  process.exit(2);
}
await cleanUp();

const over = [
  ["fresh phone", result.fresh.bytes],
  ["joined phone", result.joined.bytes],
].filter(([, bytes]) => budgetKb !== undefined && bytes > budgetKb * 1000);
if (opts.json) {
  console.log(JSON.stringify({ ...result, budgetKb: budgetKb ?? null, overBudget: over.map(([name]) => name) }));
} else {
  print(result);
}
if (budgetKb !== undefined) {
  for (const [name, bytes] of over) console.error(`first-load: FAILED — ${name}: ${kb(bytes)} exceeds the budget of ${budgetKb} KB`);
  if (over.length) process.exit(1);
  if (!opts.json) console.log(`first-load: ok — both first loads within ${budgetKb} KB`);
}
