// A hub that misbehaves (docs/sync.md, "Faults"): phone A sees the hub through a proxy that
// answers 500, never answers, stalls half-way through a file, cuts a file short, alters one,
// or serves an older manifest (a rollback); phone B talks to the hub directly and makes the
// events A has to fetch. Each fault is detected and said in plain words on A's 同步与数据
// screen; nothing is lost (A's unsent events stay queued and go out once the hub is well,
// A never shows fewer events than it held, and once the fault is gone A catches up with B).
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { invitationLink, launchBrowser, newPhone, Shell, startHub } from "./support.mjs";
import { faultProxy, isEventFile, isManifest } from "./fault-proxy.mjs";

let hub;
let proxy;
let browser;
let a; // phone A: { context, page, errors }, through the proxy
let b; // phone B: straight to the hub
let appA;
let appB;
let space;

before(async () => {
  hub = await startHub();
  proxy = await faultProxy(hub.url);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  if (process.exitCode) console.error(`hub log:\n${hub?.log.join("") ?? ""}`);
  if (hub) await hub.stop();
});

/** In-app navigation to 同步与数据 (no reload). */
async function toSync(app) {
  await app.page.getByTestId("sync-badge").tap();
  await app.page.waitForURL(app.baseUrl + "/sync");
  await app.page.getByTestId("event-count").waitFor();
}

/**
 * Taps 立即同步 (Sync now) and waits until the sync is over; `started` runs while it is
 * under way (it must be held up, by a fault, until `started` is done).
 */
async function syncNow(app, { started } = {}) {
  await toSync(app);
  await app.page.getByRole("button", { name: /^(立即同步|Sync now)$/ }).tap();
  const syncing = () => /同步中|Syncing/.test(document.querySelector("[data-testid=sync-detail]")?.textContent ?? "");
  if (started) {
    await app.page.waitForFunction(syncing);
    await started();
  }
  await app.page.waitForFunction(() => !/同步中|Syncing/.test(document.querySelector("[data-testid=sync-detail]")?.textContent ?? ""), null, {
    timeout: 60_000,
  });
  await app.page.waitForTimeout(300);
  return read(app);
}

/** What 同步与数据 shows: the counts, and the problem (null when there is none). */
async function read(app) {
  const { page } = app;
  const problem = page.getByTestId("sync-problem");
  return {
    events: Number(await page.getByTestId("event-count").innerText()),
    unsent: Number(await page.getByTestId("unsent").innerText()),
    hash: await page.getByTestId("state-hash").innerText(),
    problem: (await problem.count()) ? await problem.innerText() : null,
  };
}

/** Events the hub's manifest lists. */
async function hubEvents() {
  const m = JSON.parse((await proxy.fetchUpstream(`/spaces/${space}/manifest.json`)).body.toString());
  return m.files.reduce((n, f) => n + f.events, 0);
}

/** B makes an event (an invitation) and sends it to the hub: a new file for A to fetch. */
async function newFileFromB(household) {
  await appB.invite("居民", household);
  const r = await syncNow(appB);
  assert.equal(r.unsent, 0, "B's event reached the hub");
  assert.equal(await hubEvents(), r.events);
  return r;
}

/** While A's sync waits for a silent hub, moves A's clock past the 30 s it is given. */
async function outwait() {
  for (let i = 0; i < 10 && (await a.page.evaluate(() => /同步中|Syncing/.test(document.querySelector("[data-testid=sync-detail]")?.textContent ?? ""))); i++) {
    await a.page.clock.fastForward(31_000);
    await a.page.waitForTimeout(500);
  }
}

/** Waits until the proxy has answered a request with `fault`. */
async function until(fault) {
  for (let i = 0; i < 200 && !proxy.seen.some((s) => s.endsWith(fault)); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(proxy.seen.some((s) => s.endsWith(fault)), `the proxy answered with ${fault}: ${proxy.seen}`);
}

/**
 * After a fault is gone: A syncs (again while a sync it started by itself ends), has sent
 * everything, shows no problem, and holds what B and the hub hold.
 */
async function recovers() {
  proxy.heal();
  let r;
  let rb;
  for (let i = 0; i < 5; i++) {
    r = await syncNow(appA);
    rb = await syncNow(appB);
    if (r.problem === null && r.unsent === 0 && r.hash === rb.hash) break;
  }
  assert.equal(r.problem, null, "no problem shown once the hub is well");
  assert.equal(r.unsent, 0, "everything sent");
  assert.equal(r.events, rb.events, "A caught up with B");
  assert.equal(r.hash, rb.hash, "and agrees with it");
  assert.equal(await hubEvents(), r.events, "the hub holds every event");
  return r;
}

test("setup: A founds a community through the proxy, B joins at the hub", async () => {
  a = await newPhone(browser);
  b = await newPhone(browser);
  // A's timers can be moved on (the 30 s a silent hub is given); they run normally otherwise.
  await a.page.clock.install();
  if (process.env.DEBUG_FAULTS) a.page.on("console", (m) => console.log(`A: ${m.text()}`));
  appA = new Shell(a.page, proxy.url, a.errors);
  appB = new Shell(b.page, hub.url, b.errors);
  await appA.open("/create");
  await a.page.locator("input[name=name]").fill("故障社区");
  await a.page.locator("input[name=founder]").fill("周主任");
  await a.page.getByRole("button", { name: "创建" }).tap();
  await a.page.getByTestId("community").waitFor();
  const link = await appA.invite("议事会成员", "B-01");
  space = /s=([0-9a-f]{64})/.exec(link)[1];
  assert.equal((await syncNow(appA)).unsent, 0);
  await appB.join(invitationLink(hub.url, { space, secret: /k=([0-9a-f]+)/.exec(link)[1] }), "李建国");
  await syncNow(appB);
  const r = await recovers();
  assert.equal(r.events, 4, "genesis, standing rules, invitation, join");
});

test("a hub that answers 500: said so; the act made meanwhile stays queued and goes out later", async () => {
  proxy.fault = ({ path }) => (path.startsWith("/spaces/") ? { status: 500 } : null);
  const before = await read(appA);
  await appA.invite("居民", "500-1");
  const r = await syncNow(appA);
  assert.match(r.problem ?? "", /社区的服务器出了故障（错误 500），这次同步没有完成。/);
  assert.match(r.problem, /还没发出的 1 条会在下次同步时自动发送/);
  assert.equal(r.unsent, 1, "the act is queued");
  assert.equal(r.events, before.events + 1, "and kept");
  assert.match(await a.page.getByTestId("sync-detail").innerText(), /同步出错/);
  await appA.screenshot("sync-fault-500-zh");
  const done = await recovers();
  assert.equal(done.events, before.events + 1);
});

test("a hub that never answers: given up after 30 s and said so, nothing lost", async () => {
  await newFileFromB("silent-1");
  const before = await read(appA);
  proxy.fault = ({ path }) => (isManifest(path) ? "hang" : null);
  const r = await syncNow(appA, {
    started: async () => {
      await until("hang");
      await outwait();
    },
  });
  assert.match(r.problem ?? "", /社区的服务器超过 30 秒没有回应，这次同步没有完成。/);
  assert.equal(r.events, before.events, "nothing taken, nothing dropped");
  await recovers();
});

test("a file that stops half-way: given up after 30 s, nothing of it kept", async () => {
  await newFileFromB("stall-1");
  const before = await read(appA);
  proxy.fault = ({ path }) => (isEventFile(path) ? "stall" : null);
  const r = await syncNow(appA, {
    started: async () => {
      await until("stall");
      await a.page.waitForTimeout(500);
      await outwait();
    },
  });
  assert.match(r.problem ?? "", /社区的服务器超过 30 秒没有回应/);
  assert.equal(r.events, before.events, "no event of the half file");
  await recovers();
});

test("a file cut short: detected by its hash, not used, fetched whole later", async () => {
  await newFileFromB("cut-1");
  const before = await read(appA);
  proxy.fault = ({ path }) => (isEventFile(path) ? "truncate" : null);
  const r = await syncNow(appA);
  await until("truncate");
  assert.match(r.problem ?? "", /从服务器收到的数据不完整或被改动过（和清单上的校验码对不上），已经丢弃，没有使用。/);
  assert.equal(r.events, before.events, "no event of the cut file");
  // The browser keeps the bad copy as if it were good (the hub names files immutable): the
  // phone must fetch past it.
  await recovers();
});

test("a file that does not match its hash: detected, not used, fetched again later", async () => {
  await newFileFromB("tamper-1");
  const before = await read(appA);
  proxy.fault = ({ path }) => (isEventFile(path) ? "tamper" : null);
  const r = await syncNow(appA);
  await until("tamper");
  assert.match(r.problem ?? "", /不完整或被改动过/);
  assert.equal(r.events, before.events, "nothing of the altered file");
  await recovers();
});

test("an older manifest (rollback): said so, and A keeps every event and its counts", async () => {
  const old = await proxy.fetchUpstream(`/spaces/${space}/manifest.json`);
  const oldListed = JSON.parse(old.body.toString()).files.reduce((n, f) => n + f.events, 0);
  await newFileFromB("rollback-1");
  const held = await syncNow(appA);
  assert.equal(held.problem, null);
  await appA.tapNav("首页");
  const members = await a.page.getByTestId("member-count").innerText();

  // The hub is restored from an older backup: its manifest lists fewer events.
  proxy.fault = ({ path }) =>
    isManifest(path)
      ? { body: old.body, headers: { etag: old.headers.etag, "content-type": "application/json", "cache-control": "no-cache" } }
      : null;
  let r = await syncNow(appA);
  assert.match(
    r.problem ?? "",
    new RegExp(`服务器上的记录比以前少了（现在 ${oldListed} 条，以前至少 ${held.events} 条）：服务器可能恢复了旧的备份。这台手机上的记录都保留着`),
  );
  assert.deepEqual([r.events, r.hash, r.unsent], [held.events, held.hash, 0], "nothing dropped, no older state shown");
  await appA.screenshot("sync-fault-rollback-zh");
  // Read back from the phone's storage (a reload, then the sync it starts): still all there.
  await appA.reload();
  await appA.tapNav("首页");
  await a.page.locator("[data-testid=community][data-loaded=true]").waitFor();
  assert.equal(await a.page.getByTestId("member-count").innerText(), members, "the home screen's count");
  r = await syncNow(appA);
  assert.match(r.problem ?? "", /服务器上的记录比以前少了/, "still said: the hub has not caught up");
  assert.deepEqual([r.events, r.hash], [held.events, held.hash]);

  // In English too.
  await appA.tapNav("我的");
  await appA.chooseLanguage("English");
  r = await syncNow(appA);
  assert.match(r.problem ?? "", /The server now lists fewer records than before \(\d+, where it had at least \d+\)/);
  assert.match(r.problem, /Every record on this phone is kept/);
  await appA.screenshot("sync-fault-rollback-en");
  await appA.tapNav("Me");
  await appA.chooseLanguage("中文");

  await recovers();
});

test("a hub restored from an older backup: each phone sends again what it signed, and the hub catches up", async () => {
  await recovers();
  const backup = mkdtempSync(join(tmpdir(), "linli-backup-"));
  cpSync(hub.data, backup, { recursive: true });
  // After the backup: an act of each phone, acknowledged by the hub.
  await appA.invite("居民", "backup-a");
  const acked = await syncNow(appA);
  assert.equal(acked.unsent, 0);
  await newFileFromB("backup-b");
  const before = await recovers();
  // The hub's disk is lost and restored from the backup: both acts are gone from it.
  const addr = new URL(hub.url).host;
  await hub.stop();
  rmSync(hub.data, { recursive: true, force: true });
  cpSync(backup, hub.data, { recursive: true });
  hub = await startHub({ data: hub.data, addr });
  assert.equal(await hubEvents(), before.events - 2, "the hub lost the two acts");
  // Each phone sees the rollback, sends again every event it signed, and the hub has them.
  const logs = [];
  a.page.on("console", (m) => logs.push(m.text()));
  let r = await syncNow(appA);
  assert.ok(logs.some((l) => /rollback; \d+ events this phone signed queued to be sent again/.test(l)), logs.join(" | "));
  assert.equal(r.unsent, 0, "sent again at once");
  assert.deepEqual([r.events, r.hash], [before.events, before.hash], "nothing dropped on the phone");
  assert.equal(await hubEvents(), before.events - 1, "A's act is back");
  r = await recovers();
  assert.equal(r.events, before.events);
  assert.equal(await hubEvents(), before.events, "and B's: the hub holds everything again");
});

test("an invitation read through a faulty server: why it failed, in plain words, and nothing kept", async () => {
  const c = await newPhone(browser);
  const appC = new Shell(c.page, proxy.url, c.errors);
  const link = (id) => `${proxy.url}/#e=${encodeURIComponent(proxy.url)}&s=${id}&k=${"ab".repeat(32)}`;
  const said = async (id, text) => {
    await c.page.goto(link(id));
    await appC.ready();
    await c.page.locator("main", { hasText: text }).waitFor({ timeout: 60_000 });
    // Nothing of the community was kept: no community in this phone's storage.
    const kept = await c.page.evaluate(async () => {
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open("linli");
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const n = await new Promise((ok) => {
        const r = db.transaction("spaces").objectStore("spaces").count();
        r.onsuccess = () => ok(r.result);
      });
      db.close();
      return n;
    });
    assert.equal(kept, 0, "no community kept");
  };
  proxy.fault = (req) => (isManifest(req.path) ? { status: 500 } : null);
  await said(space, "社区的服务器出了故障，暂时读不到社区");
  proxy.fault = (req) => (isEventFile(req.path) ? "tamper" : null);
  await said(space, "和清单上的校验码对不上");
  await appC.screenshot("join-damaged-zh");
  proxy.heal();
  await said("0".repeat(64), "这个地址上找不到这个社区（错误 404）");
  assert.deepEqual(c.errors.filter((e) => e.startsWith("page:")), [], "the app itself never threw");
  await c.context.close();
});

test("no page error on either phone", async () => {
  // Failed requests are the point here (the browser logs each); the app itself never threw.
  for (const p of [a, b]) assert.deepEqual(p.errors.filter((e) => e.startsWith("page:")), []);
  for (const p of [a, b]) await p.context.close();
});
