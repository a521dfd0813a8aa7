// 议事规则 — standing rules the proposer cannot undercut: a new community adopts the
// recommended rules with its genesis; a resident's propose form shows the minimums and only
// the voters a resident may choose; a proposal below the rules is refused before it is signed,
// with the reason; the council changes the rules on their own screen.
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

test("standing rules: adopted at founding, shown on the form, enforced before signing, changed by the council", async () => {
  const a = await newPhone(browser);
  const b = await newPhone(browser);
  const admin = new Shell(a.page, hub.url, a.errors);
  const resident = new Shell(b.page, hub.url, b.errors);

  // Founding proposes the recommended rules.
  await admin.open("/create");
  assert.equal(await a.page.locator("input[name=min_quorum]").inputValue(), "30");
  assert.equal(await a.page.locator("input[name=min_seconds]").inputValue(), "3");
  await a.page.locator("input[name=name]").fill("安居里社区");
  await a.page.locator("input[name=founder]").fill("周主任");
  await a.page.getByRole("button", { name: "创建" }).tap();
  await a.page.getByTestId("community").waitFor();

  // A resident joins.
  await a.page.getByRole("link", { name: "邀请邻居" }).tap();
  await a.page.locator("input[name=household]").fill("5-1-101");
  await a.page.getByRole("button", { name: "生成邀请" }).tap();
  const link = await a.page.getByTestId("invite-link").innerText();
  await b.page.goto(link);
  await resident.ready();
  await b.page.getByTestId("join-community").waitFor();
  await b.page.locator("input[name=name]").fill("吴阿姨");
  await b.page.getByRole("button", { name: "加入" }).tap();
  await b.page.getByTestId("community").waitFor();

  // The form says what the rules ask and offers only the voters a resident may choose.
  await resident.open("/council/new");
  await b.page.getByTestId("quorum-hint").waitFor();
  assert.match(await b.page.getByTestId("quorum-hint").innerText(), /至少 30%/);
  assert.match(await b.page.getByTestId("seconds-hint").innerText(), /至少 3 位/);
  const voters = await b.page.locator("fieldset").first().locator(".segmented__option").allInnerTexts();
  assert.deepEqual(voters, ["每位居民一票", "每户一票"], "a resident may not choose council-only voting");
  await resident.screenshot("charter-propose-zh");

  // Below the rules: refused with the reason, and nothing signed.
  await b.page.locator("input[name=title]").fill("楼下空地改成停车位");
  await b.page.locator("input[name=quorum]").fill("10");
  await b.page.getByRole("button", { name: "提交议题" }).tap();
  // Named beside the quorum field, which takes the focus.
  const error = b.page.locator("[id='proposal.create/quorum_pct-error']");
  await error.waitFor();
  assert.equal(await error.innerText(), "议事规则要求“至少多少人参与（%）”至少为 30");
  assert.ok(await b.page.locator("input[name=quorum]").evaluate((el) => el === document.activeElement));
  assert.equal(await unsent(resident), 0, "a refused proposal is never signed");

  // At the rules: accepted.
  await resident.open("/council/new");
  await b.page.getByTestId("quorum-hint").waitFor();
  await b.page.locator("input[name=title]").fill("楼下空地改成停车位");
  await b.page.getByRole("button", { name: "提交议题" }).tap();
  await b.page.waitForURL(/\/council\/[0-9a-f]{64}$/);

  // The council raises the quorum; once synced, the resident's form asks for the new minimum.
  await admin.open("/council/charter");
  await a.page.getByTestId("charter").waitFor();
  await a.page.locator("input[name=min_quorum]").fill("50");
  await a.page.getByRole("button", { name: "保存议事规则" }).tap();
  await a.page.getByText("议事规则已保存").waitFor();
  assert.match(await a.page.getByTestId("charter").innerText(), /50%/);
  await admin.screenshot("charter-zh");
  for (let i = 0; i < 20; i++) {
    await b.page.goto(hub.url + "/sync");
    await resident.ready();
    await b.page.getByRole("button", { name: "立即同步" }).tap();
    await resident.open("/council/new");
    await b.page.getByTestId("quorum-hint").waitFor();
    if (/至少 50%/.test(await b.page.getByTestId("quorum-hint").innerText())) break;
    await b.page.waitForTimeout(500);
  }
  assert.match(await b.page.getByTestId("quorum-hint").innerText(), /至少 50%/);

  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  await a.context.close();
  await b.context.close();
});
