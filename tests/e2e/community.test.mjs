// Two phones and the hub: phone A founds a community and invites B (as a council member); B
// joins; A goes offline and invites a neighbour; B invites another; A comes back; both show
// the same state check code, also after a reload. Then the space is exported as a static
// mirror, served by `python3 -m http.server`, and a third phone follows it read-only and
// shows the same code.
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launchBrowser, newPhone, ROOT, Shell, startHub } from "./support.mjs";

let hub;
let browser;
let mirror;

before(async () => {
  hub = await startHub();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  mirror?.kill("SIGTERM");
  if (process.exitCode) console.error(`hub log:\n${hub?.log.join("") ?? ""}`);
  if (hub) await hub.stop();
});

/** In-app navigation (no page load, so it works offline too). */
async function toHome(app) {
  await app.tapNav("首页");
  await app.page.waitForURL(app.baseUrl + "/");
}

async function toSync(app) {
  await app.page.getByTestId("sync-badge").tap();
  await app.page.waitForURL(app.baseUrl + "/sync");
}

/** Syncs from the 同步与数据 page and returns what it shows. */
async function syncAndRead(app) {
  const { page } = app;
  await toSync(app);
  await page.getByRole("button", { name: "立即同步" }).tap();
  // The badge says 同步中 while it runs; wait for it to settle.
  await page.waitForFunction(() => !document.querySelector("[data-testid=sync-detail]")?.textContent.includes("同步中"));
  await page.waitForTimeout(300);
  return {
    hash: await page.getByTestId("state-hash").innerText(),
    events: Number(await page.getByTestId("event-count").innerText()),
    unsent: Number(await page.getByTestId("unsent").innerText()),
  };
}

/** Waits until two phones agree (syncing both until they do, for up to 30 s). */
async function converge(a, b) {
  let ra;
  let rb;
  for (let i = 0; i < 15; i++) {
    ra = await syncAndRead(a);
    rb = await syncAndRead(b);
    if (ra.hash === rb.hash && ra.unsent === 0 && rb.unsent === 0) return ra;
    await a.page.waitForTimeout(1000);
  }
  assert.fail(`no convergence: A ${JSON.stringify(ra)} B ${JSON.stringify(rb)}`);
}

test("two phones converge through the hub after one was offline; a mirror loads read-only", async () => {
  const a = await newPhone(browser);
  const b = await newPhone(browser);
  const appA = new Shell(a.page, hub.url, a.errors);
  const appB = new Shell(b.page, hub.url, b.errors);

  // A founds the community.
  await appA.open("/");
  await a.page.getByRole("link", { name: "创建社区" }).tap();
  await a.page.locator("input[name=name]").fill("幸福里社区");
  await a.page.locator("input[name=founder]").fill("张秀英");
  await a.page.locator("input[name=household]").fill("A-01");
  await a.page.getByRole("button", { name: "创建" }).tap();
  await a.page.getByTestId("community").waitFor();
  assert.equal(await a.page.getByTestId("member-count").innerText(), "1");
  await appA.screenshot("community-home-zh");

  // A invites B to the council; B opens the link and joins.
  const linkB = await appA.invite("议事会成员", "B-02");
  await appA.screenshot("invite-zh");
  await b.page.goto(linkB);
  await appB.ready();
  await b.page.getByTestId("join-community").waitFor();
  assert.equal(await b.page.getByTestId("join-community").innerText(), "幸福里社区");
  await b.page.locator("input[name=name]").fill("李建国");
  await b.page.getByRole("button", { name: "加入" }).tap();
  await b.page.getByTestId("community").waitFor();
  assert.ok(!(await b.page.url()).includes("k="), "the secret leaves the address bar");
  const joined = await converge(appA, appB);
  assert.equal(joined.events, 4, "genesis, standing rules, invitation, join");

  // A goes offline and invites; B invites; A comes back.
  await a.context.setOffline(true);
  await appA.invite("居民", "C-03");
  await toSync(appA);
  assert.equal(await a.page.getByTestId("unsent").innerText(), "1", "kept for later");
  assert.match(await a.page.getByTestId("sync-badge").innerText(), /离线/);
  await appB.invite("居民", "D-04");
  await a.context.setOffline(false);
  const both = await converge(appA, appB);
  assert.equal(both.events, 6);

  // Member lists agree. B is on the council, so it sees full names and households, as staff do
  // (residents see masked names only: tests/e2e/members.test.mjs).
  await toHome(appB);
  await b.page.getByRole("link", { name: "成员名单" }).tap();
  const names = await b.page.getByTestId("members").innerText();
  assert.ok(names.includes("张秀英") && names.includes("李建国"), names);
  assert.ok(names.includes("A-01") && names.includes("B-02"), names);
  await appB.screenshot("members-zh");

  // Reload keeps everything.
  await appA.reload();
  await appB.reload();
  const afterReload = await converge(appA, appB);
  assert.equal(afterReload.hash, both.hash);
  await appA.screenshot("sync-zh");

  // With no network at all, the app still opens (service worker) with everything stored.
  await a.page.evaluate(() => navigator.serviceWorker.ready);
  await a.context.setOffline(true);
  await appA.reload();
  await toHome(appA);
  await a.page.getByTestId("community").waitFor();
  assert.equal(await a.page.getByTestId("member-count").innerText(), "2");
  await appA.screenshot("offline-reload-zh");
  await a.context.setOffline(false);

  // The audit tool agrees with the phones.
  const space = (linkB.match(/s=([0-9a-f]{64})/) ?? [])[1];
  const hubBin = process.env.LINLI_HUB ?? join(ROOT, "target/debug/linli-hub");
  const audit = JSON.parse(execFileSync(hubBin, ["audit", `${hub.url}/spaces/${space}`, "--json"]).toString());
  assert.equal(audit.events.accepted, 6);
  assert.equal(audit.members.length, 2);

  // A read-only mirror on a plain static server, with the app beside it.
  const site = mkdtempSync(join(tmpdir(), "linli-mirror-"));
  cpSync(process.env.LINLI_DIST ?? join(ROOT, "dist"), site, { recursive: true });
  execFileSync(hubBin, ["export", "--data", hub.data, "--space", space, "--out", site]);
  // Port 0: the OS picks a free one, which the server prints.
  mirror = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", site], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const mirrorUrl = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("the mirror's static server did not start")), 30_000);
    let out = "";
    mirror.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(`http://127.0.0.1:${m[1]}`);
      }
    });
  });
  const c = await newPhone(browser);
  const appC = new Shell(c.page, mirrorUrl, c.errors);
  await c.page.goto(`${mirrorUrl}/#e=${encodeURIComponent(mirrorUrl)}&s=${space}`);
  await appC.ready();
  await c.page.getByTestId("join-community").waitFor();
  await c.page.getByRole("button", { name: "只看不加入" }).tap();
  await c.page.getByTestId("community").waitFor();
  assert.equal(await c.page.getByTestId("member-count").innerText(), "2");
  const fromMirror = await syncAndRead(appC);
  assert.equal(fromMirror.hash, both.hash, "the mirror folds to the same state");
  assert.equal(fromMirror.events, 6);

  for (const p of [a, b, c]) {
    const real = p.errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED") && !e.includes("Failed to fetch"));
    assert.deepEqual(real, [], "no console errors");
  }
});

test("no network: unsent events travel as a file to a council phone, which sends them on", async () => {
  const a = await newPhone(browser);
  const b = await newPhone(browser);
  const appA = new Shell(a.page, hub.url, a.errors);
  const appB = new Shell(b.page, hub.url, b.errors);
  await appA.open("/create");
  await a.page.locator("input[name=name]").fill("和平里社区");
  await a.page.locator("input[name=founder]").fill("赵大爷");
  await a.page.getByRole("button", { name: "创建" }).tap();
  await a.page.getByTestId("community").waitFor();
  const linkB = await appA.invite("议事会成员", "B-1");
  await b.page.goto(linkB);
  await appB.ready();
  await b.page.getByTestId("join-community").waitFor();
  await b.page.locator("input[name=name]").fill("钱阿姨");
  await b.page.getByRole("button", { name: "加入" }).tap();
  await b.page.getByTestId("community").waitFor();
  await converge(appA, appB);

  // A has no network for days: two invitations wait on the phone.
  await a.context.setOffline(true);
  await appA.invite("居民", "C-1");
  await appA.invite("居民", "C-2");
  await toSync(appA);
  assert.equal(await a.page.getByTestId("unsent").innerText(), "2");
  const [download] = await Promise.all([
    a.page.waitForEvent("download"),
    a.page.getByRole("button", { name: "导出未发送" }).tap(),
  ]);
  const file = await download.path();

  // B (online) imports the file: both events are verified, stored and sent to the hub.
  await toSync(appB);
  await b.page.locator("input[type=file]").setInputFiles(file);
  await b.page.getByTestId("diag-message").waitFor();
  assert.match(await b.page.getByTestId("diag-message").innerText(), /新增 2 · 重复 0 · 无效 0/);
  // A junk file is refused with a clear message and changes nothing.
  await b.page.locator("input[type=file]").setInputFiles({
    name: "junk.json",
    mimeType: "application/json",
    buffer: Buffer.from('{"not": "a list"}'),
  });
  await b.page.waitForFunction(() =>
    document.querySelector("[data-testid=diag-message]")?.textContent.includes("不是邻里的数据文件"),
  );
  await appB.screenshot("import-zh");

  // A comes back: its events are already at the hub (duplicates), and everyone agrees.
  await a.context.setOffline(false);
  const done = await converge(appA, appB);
  assert.equal(done.events, 6);
});

test("a stalled connection never holds up an act: it is kept at once and sent when the hub answers", async () => {
  const a = await newPhone(browser);
  const app = new Shell(a.page, hub.url, a.errors);
  await app.open("/create");
  await a.page.locator("input[name=name]").fill("向阳社区");
  await a.page.locator("input[name=founder]").fill("孙主任");
  await a.page.getByRole("button", { name: "创建" }).tap();
  await a.page.getByTestId("community").waitFor();
  await syncAndRead(app);

  // The hub takes the manifest request and never answers it (until released below).
  let release;
  let asked;
  const held = new Promise((resolve) => (release = resolve));
  const stalled = new Promise((resolve) => (asked = resolve));
  await a.context.route("**/manifest.json", async (route) => {
    asked();
    await held;
    await route.fallback();
  });
  await toSync(app);
  await a.page.getByRole("button", { name: "立即同步" }).tap();
  await stalled;
  assert.match(await a.page.getByTestId("sync-detail").innerText(), /同步中/);

  // Meanwhile the worker invites a neighbour: signed and kept on the phone at once.
  await app.invite("居民", "3-201");
  await toSync(app);
  assert.equal(await a.page.getByTestId("unsent").innerText(), "1");
  assert.match(await a.page.getByTestId("sync-detail").innerText(), /同步中/);

  // The hub answers: the sync finishes, and runs once more for the invitation.
  release();
  await a.context.unroute("**/manifest.json", { behavior: "wait" });
  await a.page.waitForFunction(
    () => document.querySelector("[data-testid=unsent]")?.textContent.trim() === "0" &&
      !document.querySelector("[data-testid=sync-detail]")?.textContent.includes("同步中"),
    null,
    { timeout: 15_000 },
  );
  assert.deepEqual(a.errors, []);
  await a.context.close();
});
