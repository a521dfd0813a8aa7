// A read-only follower is told what it is (not "joining sent"), is offered nothing to act on,
// and cannot leave an unsent event behind; an event the hub refuses for good is shown with
// the reason until dismissed, and leaves the unsent count.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, newPhone, Shell, startHub } from "./support.mjs";

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

async function unsent(app) {
  await app.page.goto(app.baseUrl + "/sync");
  await app.ready();
  return Number(await app.page.getByTestId("unsent").innerText());
}

test("a follower is read-only, and a refused event is shown with its reason until dismissed", async () => {
  const a = await newPhone(browser);
  const f = await newPhone(browser);
  const founder = new Shell(a.page, hub.url, a.errors);
  const follower = new Shell(f.page, hub.url, f.errors);
  await founder.open("/create");
  await a.page.locator("input[name=name]").fill("和睦里");
  await a.page.locator("input[name=founder]").fill("钱主任");
  await a.page.getByRole("button", { name: "创建" }).tap();
  await a.page.getByTestId("community").waitFor();
  const space = await a.page.evaluate(async () => {
    const db = await new Promise((ok) => {
      const r = indexedDB.open("linli");
      r.onsuccess = () => ok(r.result);
    });
    const all = await new Promise((ok) => {
      const r = db.transaction("spaces").objectStore("spaces").getAll();
      r.onsuccess = () => ok(r.result);
    });
    db.close();
    return all[0].space;
  });

  // Following from a link without a secret.
  await f.page.goto(`${hub.url}/#e=${encodeURIComponent(hub.url)}&s=${space}`);
  await follower.ready();
  await f.page.getByTestId("join-community").waitFor();
  await f.page.getByRole("button", { name: "只看不加入" }).tap();
  await f.page.getByTestId("community").waitFor();
  await f.page.locator("[data-testid=community][data-loaded=true]").waitFor();
  assert.match(await f.page.getByTestId("community").innerText(), /只读查看（没有加入）/);
  assert.doesNotMatch(await f.page.locator("main").innerText(), /加入申请已发出|邀请邻居/);
  await follower.screenshot("follower-home-zh");
  await follower.tapNav("议事");
  await f.page.locator("h1.page__title", { hasText: "居民议事" }).waitFor();
  await f.page.locator("main .button").first().waitFor();
  assert.equal(await f.page.getByRole("link", { name: "我要提议" }).count(), 0, "nothing to act on");

  // Even by address, a proposal is refused before it is signed: no unsent event is left.
  await follower.open("/council/new");
  await f.page.locator("input[name=title]").fill("试试看");
  await f.page.getByRole("button", { name: "提交议题" }).tap();
  await f.page.locator(".field__error[role=alert]").waitFor();
  assert.match(await f.page.locator(".field__error[role=alert]").innerText(), /还不是社区成员/);
  assert.equal(await unsent(follower), 0);

  // A member's outbox holds an event the hub will refuse for good (a forged signature).
  await a.page.evaluate(async (space) => {
    const db = await new Promise((ok) => {
      const r = indexedDB.open("linli");
      r.onsuccess = () => ok(r.result);
    });
    // The body is `{}` (base64url "e30"): its id is SHA-256 of those two bytes.
    const id = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    const envelope = JSON.stringify({ v: 1, body: "e30", sig: "A".repeat(86) });
    await new Promise((ok) => {
      const tx = db.transaction("outbox", "readwrite");
      tx.objectStore("outbox").put({ id, envelope, tries: 0 }, `${space}/${id}`);
      tx.oncomplete = ok;
    });
    db.close();
  }, space);
  await founder.reload();
  await a.page.goto(hub.url + "/sync");
  await founder.ready();
  await a.page.getByRole("button", { name: "立即同步" }).tap();
  const refused = a.page.getByTestId("refused");
  await refused.waitFor();
  assert.match(await refused.innerText(), /服务器没有接受的记录/);
  assert.match(await a.page.getByTestId("sync-badge").innerText(), /1 被拒绝/);
  assert.equal(await a.page.getByTestId("unsent").innerText(), "0", "refused for good: out of the outbox");
  await founder.screenshot("refused-zh");
  await refused.getByRole("button", { name: "知道了" }).tap();
  await refused.waitFor({ state: "detached" });
  await a.page.waitForFunction(() => !/被拒绝/.test(document.querySelector("[data-testid=sync-badge]").innerText));

  const real = [...a.errors, ...f.errors].filter((e) => !/status of 4\d\d/.test(e));
  assert.deepEqual(real, []);
  await a.context.close();
  await f.context.close();
});
