// Browser benchmarks (issue 4), printed, never asserted:
//
//   node tests/bench/browser.mjs [events]        (default 100,000)
//
// 1. A demo community of about that many events is generated and served by the hub.
// 2. Cold sync: a fresh phone follows it (manifest, every file, SHA-256, strict Ed25519 on
//    every event, fold, IndexedDB) — from the tap to the community on screen.
// 3. Warm start: the same phone reloads — from navigation to the community on screen (the
//    stored snapshot), and to the whole log read back and folded.
// 4. Store: the app's own figure for writing those events to IndexedDB (from its sync log
//    line), against raw JavaScript putting the same envelopes in chunks of 1,000 records in
//    one transaction, in the same browser, in the same run.
//
// Needs the release bundle in dist/ and the hub built (`cargo build --release -p linli-hub`).
import { launchBrowser, newPhone } from "../e2e/support.mjs";
import { demoHub } from "./demo-hub.mjs";

const target = Number(process.argv[2] ?? 100_000);

// About 2.02 events per resident (invitation, join, and a few lost phones and tablets), on
// top of the demo's year of points (about 11,800 events, whatever the size).
const residents = Math.max(100, Math.round(Math.max(target - 11_800, 0) / 2.02));
const households = Math.max(50, Math.round(residents / 2.5));
const { hub, space, generatedMs } = await demoHub(["--households", String(households), "--residents", String(residents)]);
console.log(`demo community: ${residents} residents in ${households} households, generated in ${(generatedMs / 1000).toFixed(1)} s`);
let t;

const browser = await launchBrowser();
const phone = await newPhone(browser);
const { page } = phone;
const logs = [];
page.on("console", (m) => logs.push(m.text()));

// Cold sync: from opening the link to the community on screen, all of it stored.
t = Date.now();
await page.goto(`${hub.url}/#e=${encodeURIComponent(hub.url)}&s=${space}`);
await page.getByTestId("join-community").waitFor({ timeout: 600_000 });
const readAt = Date.now() - t;
await page.getByRole("button", { name: "只看不加入" }).tap();
await page.locator("[data-testid=community][data-loaded=true]").waitFor({ timeout: 600_000 });
const cold = Date.now() - t;
const members = await page.getByTestId("member-count").innerText();
const events = await page.evaluate(async () => {
  // Counted from the store: everything was written.
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open("linli");
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  const chunks = await new Promise((ok) => {
    const r = db.transaction("chunks").objectStore("chunks").getAll();
    r.onsuccess = () => ok(r.result);
  });
  db.close();
  return chunks.reduce((n, c) => n + JSON.parse(new TextDecoder().decode(c)).length, 0);
});

// Warm start.
t = Date.now();
await page.reload();
await page.getByTestId("community").waitFor({ timeout: 600_000 });
const firstScreen = Date.now() - t;
await page.locator("[data-testid=community][data-loaded=true]").waitFor({ timeout: 600_000 });
const fullyLoaded = Date.now() - t;

// Raw JS: the same envelopes, chunks of 1,000 per record, one transaction.
const raw = await page.evaluate(async () => {
  const src = await new Promise((ok, fail) => {
    const r = indexedDB.open("linli");
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  const chunks = await new Promise((ok) => {
    const r = src.transaction("chunks").objectStore("chunks").getAll();
    r.onsuccess = () => ok(r.result);
  });
  src.close();
  await new Promise((ok) => {
    const d = indexedDB.deleteDatabase("raw-bench");
    d.onsuccess = d.onerror = () => ok();
  });
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open("raw-bench", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("chunks");
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  // The same envelopes as JS strings, as a plain JS app would hold them.
  const envelopes = chunks.flatMap((c) => JSON.parse(new TextDecoder().decode(c)).map((e) => JSON.stringify(e)));
  const started = performance.now();
  await new Promise((ok, fail) => {
    const tx = db.transaction("chunks", "readwrite");
    const store = tx.objectStore("chunks");
    for (let i = 0; i * 1000 < envelopes.length; i++) {
      store.put({ events: envelopes.slice(i * 1000, i * 1000 + 1000) }, `raw/${String(i).padStart(8, "0")}`);
    }
    tx.oncomplete = () => ok();
    tx.onerror = () => fail(tx.error);
  });
  const ms = performance.now() - started;
  db.close();
  return { ms, n: envelopes.length };
});

const timing = /fetch (\d+) ms, verify (\d+) ms, fold (\d+) ms, store (\d+) ms/.exec(
  logs.filter((l) => l.startsWith("linli ")).join("\n"),
);
const phases = /fetch (\d+) ms, verify (\d+) ms, fold (\d+) ms, store (\d+) ms/.exec(
  logs.find((l) => l.startsWith("linli sync:")) ?? "",
);
const store = phases ? Number(phases[4]) : NaN;
console.log("");
console.log(`events stored                    ${events} (${members} members)`);
console.log(`cold sync, link to screen        ${(cold / 1000).toFixed(1)} s   (goal ≤ 10 s; the community was read and verified after ${(readAt / 1000).toFixed(1)} s, then kept)`);
if (phases) {
  console.log(`  phases                         fetch ${phases[1]} ms, verify ${phases[2]} ms, fold ${phases[3]} ms, store ${phases[4]} ms`);
}
console.log(`warm start, first screen         ${firstScreen} ms   (goal ≤ 1,000 ms; the stored snapshot)`);
console.log(`warm start, log read and folded  ${fullyLoaded} ms`);
console.log(`store: app ${store} ms vs raw JS chunked put ${raw.ms.toFixed(0)} ms = ${(store / raw.ms).toFixed(2)} × (goal ≤ 2 ×)`);
for (const l of logs.filter((l) => l.startsWith("linli verify:")).slice(0, 3)) console.log(`  ${l}`);
await browser.close();
await hub.stop();
