// 我的积分 on a large points year, printed, never asserted:
//
//   node tests/bench/points.mjs [points-scale]        (default 30: about 227k points entries)
//
// 1. `linli-hub demo --points-scale N` is served by the release hub (compressed copies made).
// 2. A phone joins from a council invitation: the whole log is fetched, verified, folded and
//    stored; the app's own phase timings are printed (the fold is the wasm fold of every event).
// 3. Warm start: the phone reloads and reads the log back.
// 4. 我的积分: from a tap on 积分 in the navigation to the balance and history on screen,
//    measured in the page (five times, after a first open that loads the points part).
//
// Needs the release bundle in dist/ and `cargo build --release -p linli-hub`.
import { invitationLink, launchBrowser, newPhone } from "../e2e/support.mjs";
import { demoHub } from "./demo-hub.mjs";

const scale = Number(process.argv[2] ?? 30);
const { hub, space, invites, generatedMs } = await demoHub(["--points-scale", String(scale)]);
const manifest = await (await fetch(`${hub.url}/spaces/${space}/manifest.json`)).json();
const total = manifest.files.reduce((n, f) => n + f.events, 0);
console.log(`demo community, points scale ${scale}: ${total} events, generated in ${(generatedMs / 1000).toFixed(1)} s`);

const browser = await launchBrowser();
const { page } = await newPhone(browser);
const logs = [];
page.on("console", (m) => logs.push(m.text()));
const invite = invites.find((i) => i.role === "council");
const LONG = { timeout: 1_800_000 };

let t = Date.now();
await page.goto(invitationLink(hub.url, invite));
await page.getByTestId("join-community").waitFor(LONG);
await page.locator("input[name=name]").fill("基准测试");
await page.getByRole("button", { name: "加入" }).tap();
await page.locator("[data-testid=community][data-loaded=true]").waitFor(LONG);
const cold = Date.now() - t;
const phases = /(\d+) events fetched for a new device: fetch (\d+) ms, verify (\d+) ms, fold (\d+) ms, store (\d+) ms/.exec(
  logs.find((l) => l.startsWith("linli sync:")) ?? "",
);

t = Date.now();
await page.reload();
await page.locator("[data-testid=community][data-loaded=true]").waitFor(LONG);
const warm = Date.now() - t;

// The first open loads the points part; then the figure is the screen's own work.
async function openPoints() {
  return page.evaluate(
    () =>
      new Promise((done) => {
        const start = performance.now();
        const seen = () => document.querySelector("[data-testid=balance]") && document.querySelector("[data-testid=history]");
        const finish = () => requestAnimationFrame(() => done(performance.now() - start));
        const watch = new MutationObserver(() => {
          if (seen()) {
            watch.disconnect();
            finish();
          }
        });
        watch.observe(document.body, { childList: true, subtree: true });
        [...document.querySelectorAll("nav.nav a")].find((a) => a.getAttribute("href") === "/points").click();
      }),
  );
}
async function home() {
  await page.evaluate(() => [...document.querySelectorAll("nav.nav a")].find((a) => a.getAttribute("href") === "/").click());
  await page.getByTestId("community").waitFor();
}
const first = await openPoints();
const times = [];
for (let i = 0; i < 5; i++) {
  await home();
  times.push(await openPoints());
}
times.sort((a, b) => a - b);

console.log("");
console.log(`join (link to home, whole log)   ${(cold / 1000).toFixed(1)} s`);
if (phases) {
  const [, n, fetchMs, verify, fold, store] = phases.map(Number);
  console.log(`  phases                         fetch ${fetchMs} ms, verify ${verify} ms, fold ${fold} ms, store ${store} ms`);
  console.log(`  wasm fold in the app           ${(n / fold / 1000).toFixed(2)} M events/s (${n} events)`);
}
console.log(`warm start, log read and folded  ${(warm / 1000).toFixed(1)} s`);
console.log(`我的积分, first open (part load)  ${first.toFixed(0)} ms`);
console.log(`我的积分, tap to screen           ${times.map((x) => x.toFixed(0)).join(", ")} ms (median ${times[2].toFixed(0)}; goal ≤ 100 ms)`);
await browser.close();
await hub.stop();
