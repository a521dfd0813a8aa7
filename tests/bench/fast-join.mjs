// Fast join (秒进) on a large community, printed, never asserted:
//
//   node tests/bench/fast-join.mjs [residents]     (default 25000: about 190k events)
//
// 1. `linli-hub demo --residents N --households 0.4·N --checkpoint` is served by the release
//    hub (its snapshot published with brotli and gzip siblings; the event files' compressed
//    copies made before anything is measured). LINLI_BENCH_DATA=DIR reuses a demo folder.
// 2. A phone opens an invitation and joins: the time until the community is usable (the home
//    screen loaded, the notice that older history is still being checked), until its vote is
//    recorded, and until the background check has folded the whole history and agrees; the
//    bytes it downloaded, by kind (from Chromium's own accounting of encoded bytes).
// 3. The same on a slow phone: 6× CPU, 1.6 Mbit/s down, 150 ms (the app already cached, the
//    community not). Its background check is given LINLI_BENCH_CHECK_MIN minutes (default 20).
//    LINLI_BENCH_SLOW=0 skips it. LINLI_BENCH_TIMELINE=1 prints the app's log lines with their
//    times, until the background check ends.
//
// Needs the release bundle in dist/ and `cargo build --release -p linli-hub`.
import { invitationLink, launchBrowser, newPhone, throttle } from "../e2e/support.mjs";
import { demoHub } from "./demo-hub.mjs";

const residents = Number(process.argv[2] ?? 25000);
const households = Math.round(residents * 0.4);
const { hub, space, invites, generatedMs } = await demoHub([
  "--residents",
  String(residents),
  "--households",
  String(households),
  "--checkpoint",
]);
const manifest = await (await fetch(`${hub.url}/spaces/${space}/manifest.json`)).json();
const total = manifest.files.reduce((n, f) => n + f.events, 0);
const index = await (await fetch(`${hub.url}/spaces/${space}/snapshots.json`)).json();
const latest = index.snapshots.at(-1);
console.log(
  `demo community of ${residents} residents: ${total} events, checkpoint at ${latest.events} events, ` +
    `${latest.devices} devices; generated in ${(generatedMs / 1000).toFixed(1)} s`,
);

const browser = await launchBrowser();
const LONG = { timeout: 1_800_000 };
const checkMinutes = Number(process.env.LINLI_BENCH_CHECK_MIN ?? 20);
const residentsInvites = invites.filter((i) => i.role === "resident");

/** Encoded bytes downloaded per kind of space file, from the DevTools protocol. */
async function countBytes(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  const urls = new Map();
  const bytes = { snapshot: 0, signatures: 0, events: 0, other: 0 };
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.loadingFinished", (e) => {
    const m = /\/spaces\/[0-9a-f]{64}\/(.+)$/.exec(new URL(urls.get(e.requestId) ?? "http://x/").pathname);
    if (!m) return;
    const kind = m[1].startsWith("snapshots/signatures")
      ? "signatures"
      : m[1].startsWith("snapshots/")
        ? "snapshot"
        : m[1].startsWith("events-")
          ? "events"
          : "other";
    bytes[kind] += e.encodedDataLength;
  });
  return { cdp, bytes };
}

async function join(invite, slow) {
  const { context, page } = await newPhone(browser);
  const logs = [];
  const timeline = [];
  let t0 = Date.now();
  page.on("console", (m) => {
    logs.push(m.text());
    if (m.text().startsWith("linli")) timeline.push(`${((Date.now() - t0) / 1000).toFixed(2)} s  ${m.text().slice(0, 110)}`);
  });
  if (slow) {
    // The app is cached, as on a phone that opened it once; the community is not.
    await page.goto(hub.url);
    await page.locator("[data-testid=app-ready], main").first().waitFor(LONG);
  }
  const { cdp, bytes } = await countBytes(context, page);
  if (slow) await throttle(context, page);
  const started = Date.now();
  t0 = started;
  await page.goto(invitationLink(hub.url, invite));
  await page.locator("input[name=name]").waitFor(LONG);
  timeline.push(`${((Date.now() - t0) / 1000).toFixed(2)} s  (the join page asks for a name)`);
  await page.locator("input[name=name]").fill("秒进基准");
  await page.getByRole("button", { name: "加入" }).tap();
  await page.locator("[data-testid=community][data-loaded=true]").waitFor(LONG);
  const usable = Date.now() - started;
  timeline.push(`${(usable / 1000).toFixed(2)} s  (usable)`);
  const atUsable = { ...bytes };
  let voted = null;
  const ballot = page.getByTestId("to-vote").getByRole("link").first();
  if (await ballot.count()) {
    await ballot.tap();
    await page.getByRole("button", { name: "赞成", exact: true }).tap();
    await page.getByTestId("confirm-vote").tap();
    await page.getByTestId("my-vote").filter({ hasText: "赞成" }).waitFor(LONG);
    voted = Date.now() - started;
    await page.evaluate(() => [...document.querySelectorAll("nav.nav a")].find((a) => a.getAttribute("href") === "/").click());
  }
  let checked = null;
  try {
    await page.getByTestId("history-unchecked").waitFor({ state: "detached", timeout: checkMinutes * 60_000 });
    checked = (await page.getByTestId("history-refuted").count()) ? "refuted" : Date.now() - started;
  } catch {
    checked = `not within ${checkMinutes} min`;
  }
  await cdp.detach().catch(() => {});
  await context.close();
  return { usable, voted, checked, atUsable, bytes, logs, timeline };
}

const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const s = (ms) => (typeof ms === "number" ? `${(ms / 1000).toFixed(1)} s` : String(ms));
// Each invitation joins once.
const runs = [
  ["this machine", residentsInvites[0], false],
  ["slow phone (6× CPU, 1.6 Mbit/s, 150 ms)", residentsInvites[1], true],
].filter(([, , slow]) => !slow || process.env.LINLI_BENCH_SLOW !== "0");
for (const [name, invite, slow] of runs) {
  const r = await join(invite, slow);
  console.log("");
  console.log(`${name}:`);
  console.log(`  usable (link to home screen)    ${s(r.usable)}`);
  console.log(`  vote recorded                   ${r.voted === null ? "no ballot waiting" : s(r.voted)}`);
  console.log(`  whole history checked, agrees   ${s(r.checked)}`);
  console.log(
    `  downloaded until usable         snapshot ${mb(r.atUsable.snapshot)}, signatures ${mb(r.atUsable.signatures)}, ` +
      `event files ${mb(r.atUsable.events)}, other ${mb(r.atUsable.other)}`,
  );
  console.log(
    `  downloaded in all               snapshot ${mb(r.bytes.snapshot)}, signatures ${mb(r.bytes.signatures)}, ` +
      `event files ${mb(r.bytes.events)} (${((r.bytes.events / total) | 0)} B per event), other ${mb(r.bytes.other)}`,
  );
  console.log(`  snapshot bytes per member       ${((r.atUsable.snapshot / (residents + 20)) | 0)} B on the wire`);
  const phases = r.logs.find((l) => l.includes("fetched for a new device"));
  if (phases) console.log(`  phases until usable             ${phases.replace(/^linli sync: /, "")}`);
  const snap = r.logs.find((l) => l.startsWith("linli snapshot:"));
  if (snap) console.log(`  snapshot checked                ${snap.replace(/^linli snapshot: /, "")}`);
  if (process.env.LINLI_BENCH_TIMELINE) for (const l of r.timeline) console.log(`    ${l}`);
  const verdict = r.logs.filter((l) => l.startsWith("linli history:")).at(-1);
  if (verdict) console.log(`  background check                ${verdict.replace(/^linli history: /, "")}`);
}
await browser.close();
await hub.stop();
