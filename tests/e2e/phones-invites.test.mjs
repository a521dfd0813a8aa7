// 换手机 and invitations in bulk. A lost phone is not a lost identity: the new phone opens
// the community read-only and shows its code; a council member adds it to the member and
// stops the old phone in the same step; the new phone then takes part as that member, and
// the old one says it was stopped. A worker makes a printable sheet of invitation QR codes
// for a building; invitations not used yet are listed and can be withdrawn.
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

async function found(app, name) {
  const a = await newPhone(browser);
  const admin = new Shell(a.page, hub.url, a.errors);
  await admin.open("/create");
  await a.page.locator("input[name=name]").fill(name);
  await a.page.locator("input[name=founder]").fill("周主任");
  await a.page.getByRole("button", { name: "创建" }).tap();
  await a.page.getByTestId("community").waitFor();
  return { ...a, app: admin };
}

async function role(app) {
  await app.open("/");
  await app.page.locator("[data-testid=community][data-loaded=true]").waitFor();
  return app.page.getByTestId("community").locator("dd").nth(1).innerText();
}

test("换手机: the council adds the new phone and stops the old one", async () => {
  const a = await found(browser, "换机社区");
  const admin = a.app;

  // A resident joins on their old phone.
  await admin.open("/invite");
  await a.page.locator("input[name=household]").fill("H-LI");
  await a.page.getByRole("button", { name: "生成邀请" }).tap();
  const link = await a.page.getByTestId("invite-link").innerText();
  const b = await newPhone(browser);
  const old = new Shell(b.page, hub.url, b.errors);
  await old.join(link, "李建国");
  assert.equal(await role(old), "居民");
  await old.open("/me");
  assert.match(await b.page.getByTestId("change-phone").innerText(), /换手机怎么办[\s\S]*添加新手机/, "the Me page explains it");

  // The council member finds them and opens 添加新手机: step 1 is the link the new phone opens.
  await admin.syncNow();
  await admin.open("/members");
  await a.page.getByRole("link", { name: /李建国/ }).first().tap();
  await a.page.waitForURL(/\/members\/[0-9a-f]{64}$/);
  assert.equal(await a.page.getByTestId("member-name").innerText(), "李建国", "staff see the full name");
  assert.equal(await a.page.getByTestId("member-phones").innerText(), "1");
  const follow = await a.page.getByTestId("follow-link").innerText();
  assert.ok(!follow.includes("&k="), "no invitation in the link");

  // The new phone opens it, follows read-only, and shows its code.
  const c = await newPhone(browser);
  const fresh = new Shell(c.page, hub.url, c.errors);
  await c.page.goto(follow);
  await fresh.ready();
  await c.page.getByRole("button", { name: "只看不加入" }).tap();
  await c.page.getByTestId("community").waitFor();
  await fresh.open("/me");
  const code = await c.page.getByTestId("device-code").innerText();
  assert.match(code, /^linli-device:[0-9a-f]{64}$/);
  await fresh.screenshot("phone-new-code-zh");

  // A wrong code is named beside the field; the right one, confirmed, adds the phone and
  // stops the old one.
  await a.page.locator("textarea[name=device]").fill("这不是码");
  await a.page.getByRole("button", { name: "添加新手机" }).tap();
  const err = a.page.locator("[id='member.add_device/device-error'], [id='member.device_add/device-error']");
  await err.waitFor();
  assert.match(await err.innerText(), /这不是一台手机的码/);
  await a.page.locator("textarea[name=device]").fill(code);
  await a.page.getByRole("button", { name: "添加新手机" }).tap();
  const dialog = a.page.getByRole("dialog", { name: "把这台新手机加给 李建国？" });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /旧手机从此不能再代表/);
  await admin.screenshot("phone-add-confirm-zh");
  await a.page.getByTestId("confirm-phone").tap();
  await a.page.getByTestId("phone-added").waitFor();
  assert.equal(await a.page.getByTestId("member-phones").innerText(), "1", "the new one in, the old one out");
  await admin.syncNow();

  // The new phone takes part as the member; the old one says it was stopped.
  await fresh.syncNow();
  assert.equal(await role(fresh), "居民");
  await old.syncNow();
  assert.equal(await role(old), "这台手机已被停用（已换新手机）");

  for (const p of [a, b, c]) assert.deepEqual(p.errors, []);
  for (const p of [a, b, c]) await p.context.close();
});

test("a building's invitations on a printable sheet; open invitations withdrawn", async () => {
  const a = await found(browser, "整楼社区");
  const admin = a.app;
  await admin.open("/invite");
  const form = a.page.getByTestId("sheet-form");
  await form.locator("input[name=building]").fill("3-2");
  await form.locator("input[name=from]").fill("1");
  await form.locator("input[name=to]").fill("30");
  await form.locator("input[name=per]").fill("6");
  await form.getByRole("button", { name: "生成二维码表" }).tap();
  await a.page.locator("[id='sheet/per-error']").waitFor();
  assert.match(await a.page.locator("[id='sheet/per-error']").innerText(), /最多 120 户/);
  await form.locator("input[name=to]").fill("3");
  await form.locator("input[name=per]").fill("2");
  await form.getByRole("button", { name: "生成二维码表" }).tap();
  await a.page.waitForURL(hub.url + "/invite/sheet");
  const cells = a.page.getByTestId("sheet").locator("li");
  await cells.first().waitFor();
  assert.equal(await cells.count(), 6);
  assert.deepEqual(
    await a.page.locator(".sheet__flat").allInnerTexts(),
    ["3-2-101", "3-2-102", "3-2-201", "3-2-202", "3-2-301", "3-2-302"],
  );
  for (const c of await a.page.locator(".sheet__code").allInnerTexts()) assert.match(c, /^户号 H[2-9A-HJKMNP-Z]{6}$/);
  assert.equal(await a.page.locator(".sheet svg.qr").count(), 6);
  await admin.screenshot("invite-sheet-zh");
  const links = await cells.evaluateAll((els) => els.map((e) => e.dataset.link));

  // Someone scans a code from the sheet and joins; their household is the code, not the flat.
  const d = await newPhone(browser);
  const neighbour = new Shell(d.page, hub.url, d.errors);
  await neighbour.join(links[0], "赵阿姨");
  assert.equal(await role(neighbour), "居民");

  // The other five are open; the council withdraws one, and its code no longer works.
  await admin.syncNow();
  await admin.open("/invite");
  const open = a.page.getByTestId("open-invites");
  await open.waitFor();
  assert.equal(await open.locator(".count").innerText(), "5");
  const households = await a.page.locator(".sheet__code").count(); // not on this page
  assert.equal(households, 0, "the invite page lists household codes, never flats");
  assert.ok(!/3-2-\d{3}/.test(await open.innerText()), "no flat numbers");
  await open.getByRole("button", { name: "撤销" }).first().tap();
  await a.page.getByTestId("confirm-revoke").tap();
  await a.page.waitForFunction(() => document.querySelector("[data-testid=open-invites] .count")?.textContent === "4");
  await admin.screenshot("open-invites-zh");

  for (const p of [a, d]) assert.deepEqual(p.errors, []);
  for (const p of [a, d]) await p.context.close();
});
