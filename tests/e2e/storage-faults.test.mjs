// The phone's own storage failing (docs/sync.md, "Faults"): IndexedDB out of quota (the
// browser's real quota check: the origin gets 20 MB through the DevTools protocol, and
// another database fills them), a transaction the browser aborts, a write that throws half-way through a transaction, and an upgrade blocked by
// another tab or asked for by one. Each time the resident reads what happened in their
// language, nothing already kept is lost, the outbox keeps every event not acknowledged by
// the hub, and those go out once storage works again.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { hubBin, invitationLink, launchBrowser, newPhone, precached, Shell, startHub } from "./support.mjs";

let hub;
let browser;

before(async () => {
  hub = await startHub();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (process.exitCode) console.error(`hub log:\n${hub?.log.join("") ?? ""}`);
  if (hub) await hub.stop();
});

const TEXT = {
  quota: {
    zh: "手机存储空间不足：刚才这一步没有保存，之前保存的都还在。请清理手机空间后再试。",
    en: "This phone is out of storage: that last step was not saved, and everything saved before is still there. Free some space and try again.",
  },
  write: "没能保存到这台手机上：刚才这一步没有生效，之前保存的都还在。请再试一次。",
  blocked:
    "Linli is still open in another tab (an older version), and this page cannot read its data until that tab closes. Close the other Linli tabs; this page will carry on by itself.",
  upgraded: "邻里已在另一个页面更新。请刷新本页再继续；数据都在这台手机上，没有丢失。",
};

/**
 * Every `put` into the object store named by `globalThis.linliFault.store` fails: `throw`
 * throws a QuotaExceededError before any request is made (the transaction's other requests
 * are made already); `abort` makes the request, then the browser aborts the transaction.
 */
function injectFaults() {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (...args) {
    const fault = globalThis.linliFault;
    if (!fault || fault.store !== this.name) return put.apply(this, args);
    if (fault.how === "throw") throw new DOMException("injected: the disk is full", "QuotaExceededError");
    const request = put.apply(this, args);
    this.transaction.abort();
    return request;
  };
}

/** The origin's storage quota (`Storage.overrideQuotaForOrigin`), set before its first use. */
const QUOTA = 20 * 1024 * 1024;

/**
 * Fills the origin's storage as another database would, up to its quota (less than 256
 * bytes are left); `free` deletes it again. Random bytes: IndexedDB compresses its values.
 */
function fill(page) {
  return page.evaluate(async () => {
    const open = indexedDB.open("filler", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("s");
    const db = await new Promise((ok, no) => ((open.onsuccess = () => ok(open.result)), (open.onerror = () => no(open.error))));
    const random = (size) => {
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
      return bytes;
    };
    let n = 0;
    for (const size of [1 << 20, 1 << 16, 1 << 12, 1 << 8]) {
      for (;;) {
        const kept = await new Promise((done) => {
          const tx = db.transaction(["s"], "readwrite");
          tx.objectStore("s").put(random(size), n++);
          tx.onabort = () => done(false);
          tx.oncomplete = () => done(true);
        });
        if (!kept) break;
      }
    }
    db.close();
  });
}

function free(page) {
  return page.evaluate(() => new Promise((ok) => (indexedDB.deleteDatabase("filler").onsuccess = ok)));
}

/**
 * Founds a community on a new phone; resolves once it is synced. With `quota`, the origin's
 * storage is limited to that many bytes from the start.
 */
async function founder(name, { quota } = {}) {
  const phone = await newPhone(browser);
  if (quota) {
    const cdp = await phone.context.newCDPSession(phone.page);
    await cdp.send("Storage.overrideQuotaForOrigin", { origin: hub.url, quotaSize: quota });
  }
  const app = new Shell(phone.page, hub.url, phone.errors);
  await app.open("/create");
  await phone.page.locator("input[name=name]").fill(name);
  await phone.page.locator("input[name=founder]").fill("吴主任");
  await phone.page.getByRole("button", { name: "创建" }).tap();
  await phone.page.getByTestId("community").waitFor();
  await app.syncNow();
  return { ...phone, app };
}

/** 同步与数据, reached in the app (no page load: it works offline). */
async function counts(app) {
  await app.page.getByTestId("sync-badge").tap();
  await app.page.waitForURL(app.baseUrl + "/sync");
  await app.page.getByTestId("event-count").waitFor();
  await app.page.waitForTimeout(300);
  const problem = app.page.getByTestId("sync-problem");
  return {
    events: Number(await app.page.getByTestId("event-count").innerText()),
    unsent: Number(await app.page.getByTestId("unsent").innerText()),
    hash: await app.page.getByTestId("state-hash").innerText(),
    problem: (await problem.count()) ? await problem.innerText() : null,
  };
}

/**
 * Tries to invite a neighbour (household `household`) from home, in whatever language the
 * phone is in: the invitation link, or the error the form shows.
 */
async function tryInvite(app, household) {
  const { page } = app;
  await page.locator("nav.nav a").first().tap();
  await page.waitForURL(app.baseUrl + "/");
  await page.locator('a[href="/invite"]').first().tap();
  await page.locator("input[name=household]").fill(household);
  // The first form is the invitation (the second prints a sheet of them).
  await page.locator("main form").first().locator("button[type=submit]").tap();
  const error = page.locator("main .field__error[role=alert]").first();
  await page.getByTestId("invite-link").or(error).first().waitFor();
  if (await page.getByTestId("invite-link").count()) return { link: await page.getByTestId("invite-link").innerText() };
  return { error: await error.innerText() };
}

/** Syncs from 同步与数据 until the sync is over (in either language). */
async function syncNow(app) {
  await counts(app);
  await app.page.getByRole("button", { name: /^(立即同步|Sync now)$/ }).tap();
  await app.page.waitForFunction(() => !/同步中|Syncing/.test(document.querySelector("[data-testid=sync-detail]")?.textContent ?? ""));
  return counts(app);
}

/** What the hub holds: events and the state check code, as `linli-hub audit` reads them. */
function audit(space) {
  const report = JSON.parse(execFileSync(hubBin(), ["audit", `${hub.url}/spaces/${space}`, "--json"]).toString());
  return { events: report.events.accepted + report.events.rejected, hash: report.state_hash };
}

test("a full disk: the act is refused and said so; nothing kept is lost; the outbox goes out once there is room", async () => {
  const a = await founder("满盘社区", { quota: QUOTA });
  await precached(a.page);
  // A council member on another phone, for events that arrive while the disk is full.
  const link = await a.app.invite("议事会成员", "B-02");
  const space = /s=([0-9a-f]{64})/.exec(link)[1];
  await a.app.syncNow();
  const b = await newPhone(browser);
  const appB = new Shell(b.page, hub.url, b.errors);
  await appB.join(invitationLink(hub.url, { space, secret: /k=([0-9a-f]+)/.exec(link)[1] }), "李建国");

  // Offline, A invites: kept, waiting for the hub.
  await a.context.setOffline(true);
  assert.ok((await tryInvite(a.app, "C-03")).link);
  const before = await counts(a.app);
  assert.equal(before.unsent, 1);

  // The phone's storage fills up.
  await fill(a.page);
  assert.deepEqual(await tryInvite(a.app, "D-04"), { error: TEXT.quota.zh });
  assert.deepEqual(await counts(a.app), before, "nothing lost, nothing half-kept");
  await a.app.screenshot("storage-quota-zh");

  // Read back from storage: the same, with the unsent invitation still queued.
  await a.app.reload();
  assert.deepEqual(await counts(a.app), before);

  // In English: choosing it cannot be saved either, and the banner says why in English.
  await a.page.locator("nav.nav a").last().tap();
  await a.app.chooseLanguage("English");
  assert.equal(await a.page.getByTestId("store-error").locator("p").innerText(), TEXT.quota.en);
  await a.page.getByTestId("store-error").getByRole("button").tap();
  assert.deepEqual(await tryInvite(a.app, "D-04"), { error: TEXT.quota.en });

  // Back online, still full: B's new events cannot be kept; the sync says so, A loses nothing.
  await appB.invite("居民", "E-05");
  await appB.syncNow();
  await a.context.setOffline(false);
  let r = await syncNow(a.app);
  assert.match(r.problem ?? "", /This phone is out of storage/);
  assert.deepEqual([r.events, r.hash], [before.events, before.hash]);
  assert.equal(r.unsent, 1, "still queued: its acknowledgement could not be kept either");

  // Room again: everything goes out, everything comes in, and the act can be made.
  await free(a.page);
  r = await syncNow(a.app);
  assert.equal(r.problem, null);
  assert.equal(r.unsent, 0);
  assert.ok((await tryInvite(a.app, "D-04")).link);
  r = await syncNow(a.app);
  const hubNow = audit(space);
  assert.deepEqual([r.events, r.hash, r.unsent], [hubNow.events, hubNow.hash, 0], "A and the hub agree");
  assert.equal(r.events, before.events + 3, "B's join and invitation, then A's");
  for (const p of [a, b]) assert.deepEqual(p.errors.filter((e) => e.startsWith("page:")), []);
  for (const p of [a, b]) await p.context.close();
});

test("an aborted transaction and a write that throws half-way: said so, nothing half-written, no fork", async () => {
  const a = await founder("中断社区");
  await a.context.addInitScript(injectFaults);
  await a.app.reload();
  const space = /s=([0-9a-f]{64})/.exec((await tryInvite(a.app, "A-01")).link)[1];
  await a.app.syncNow();
  const before = await counts(a.app);
  assert.equal(before.unsent, 0);

  // The browser aborts the transaction that keeps the act (its outbox write).
  await a.page.evaluate(() => (globalThis.linliFault = { store: "outbox", how: "abort" }));
  assert.deepEqual(await tryInvite(a.app, "A-02"), { error: TEXT.write });
  assert.deepEqual(await counts(a.app), before);
  await a.app.screenshot("storage-aborted-zh");

  // The outbox write throws after the log's chunk was written in the same transaction: that
  // write must not be kept on its own (it would be an event never sent, whose number the
  // next act would sign again).
  await a.page.evaluate(() => (globalThis.linliFault = { store: "outbox", how: "throw" }));
  assert.deepEqual(await tryInvite(a.app, "A-02"), { error: TEXT.quota.zh });
  await a.app.reload(); // the fault is gone with the page
  assert.deepEqual(await counts(a.app), before, "read back: nothing of either attempt");

  assert.ok((await tryInvite(a.app, "A-02")).link);
  const r = await syncNow(a.app);
  const hubNow = audit(space);
  assert.deepEqual([r.events, r.unsent], [before.events + 1, 0]);
  assert.deepEqual([r.events, r.hash], [hubNow.events, hubNow.hash], "the phone and the hub agree: no fork");
  assert.deepEqual(a.errors.filter((e) => e.startsWith("page:")), []);
  await a.context.close();
});

test("an upgrade blocked by an older tab: said so in the language last shown; carries on with everything", async () => {
  const phone = await newPhone(browser);
  const app = new Shell(phone.page, hub.url, phone.errors);
  await app.open("/me");
  await app.chooseLanguage("English");
  await app.tapNav("Home");
  // The home screen, as last shown, is kept for the next start (with its language).
  await phone.page.waitForFunction(() => localStorage.getItem("linli-home")?.includes('"lang":"en"'));
  await phone.page.close();

  // A tab of an older Linli, whose database was version 1 (settings only), stays open and
  // never lets go for an upgrade.
  const old = await phone.context.newPage();
  await old.goto(hub.url + "/parts.json");
  await old.evaluate(async () => {
    const done = (q) => new Promise((ok, no) => ((q.onsuccess = () => ok(q.result)), (q.onerror = () => no(q.error))));
    await done(indexedDB.deleteDatabase("linli"));
    const q = indexedDB.open("linli", 1);
    q.onupgradeneeded = () => q.result.createObjectStore("settings");
    const db = await done(q);
    const tx = db.transaction(["settings"], "readwrite");
    tx.objectStore("settings").put("en", "lang");
    tx.objectStore("settings").put(true, "large_text");
    await new Promise((ok) => (tx.oncomplete = ok));
    globalThis.oldTab = db;
  });

  const page = await phone.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(hub.url + "/");
  const banner = page.getByTestId("store-error");
  await banner.waitFor({ timeout: 30_000 });
  assert.equal(await banner.locator("p").innerText(), TEXT.blocked);
  await new Shell(page, hub.url).screenshot("storage-blocked-en");

  await old.close();
  await banner.waitFor({ state: "detached" });
  await new Shell(page, hub.url, errors).ready();
  assert.equal(await page.locator("html").getAttribute("lang"), "en", "the settings of version 1 are kept");
  assert.ok(await page.locator("html.large-text").count(), "both of them");
  assert.deepEqual(errors, []);
  await phone.context.close();
});

test("another tab asks for a newer version: this one lets go at once, says to reload, and loses nothing", async () => {
  const a = await founder("升级社区");
  const space = /s=([0-9a-f]{64})/.exec((await tryInvite(a.app, "A-01")).link)[1];
  // The hub cannot be reached: acts wait in the outbox.
  await a.context.route("**/spaces/**", (route) => route.abort());
  assert.ok((await tryInvite(a.app, "A-02")).link);
  const before = await counts(a.app);
  assert.equal(before.unsent, 1);

  // A newer Linli opens in another tab and asks for version 3 of the database.
  const other = await a.context.newPage();
  await other.goto(hub.url + "/parts.json");
  const ask = (abort) =>
    other.evaluate(
      (abort) =>
        new Promise((ok) => {
          const q = indexedDB.open("linli", 3);
          q.onblocked = () => ok("blocked");
          q.onupgradeneeded = () => {
            // Said before the upgrade goes on: here it gives up (the database stays as it is).
            if (abort) q.transaction.abort();
            else q.transaction.oncomplete = () => ok("upgraded");
            if (abort) ok("upgrading");
          };
          q.onerror = (e) => e.preventDefault();
        }),
      abort,
    );
  assert.equal(await ask(true), "upgrading", "not blocked by the open app");
  const banner = a.page.getByTestId("store-error");
  await banner.waitFor();
  assert.equal(await banner.locator("p").innerText(), TEXT.upgraded);
  await a.app.screenshot("storage-upgraded-zh");
  // Until it reloads, an act says the same, and nothing is taken for kept.
  assert.deepEqual(await tryInvite(a.app, "A-03"), { error: TEXT.upgraded });

  // Reloading finds everything, the unsent invitation included, which goes out once the hub
  // answers again.
  await banner.getByRole("button", { name: "刷新" }).tap();
  await a.app.ready();
  assert.deepEqual(await counts(a.app), before);
  await a.context.unroute("**/spaces/**");
  const r = await syncNow(a.app);
  assert.deepEqual([r.unsent, r.events], [0, before.events]);
  assert.deepEqual([r.events, r.hash], Object.values(audit(space)));

  // The newer version really upgrades: this (older) app now says to reload rather than that
  // storage is unavailable, and the data is all there for the newer one.
  assert.equal(await ask(false), "upgraded");
  await banner.waitFor();
  await a.page.reload();
  await a.page.getByTestId("store-error").waitFor();
  assert.equal(await a.page.getByTestId("store-error").locator("p").innerText(), TEXT.upgraded);
  const kept = await other.evaluate(
    () =>
      new Promise((ok) => {
        const q = indexedDB.open("linli");
        q.onsuccess = () => {
          const tx = q.result.transaction(["spaces"], "readonly");
          const all = tx.objectStore("spaces").getAll();
          all.onsuccess = () => ok(all.result.map((s) => s.events));
        };
      }),
  );
  assert.deepEqual(kept, [before.events]);
  assert.deepEqual(a.errors.filter((e) => e.startsWith("page:")), []);
  await a.context.close();
});
