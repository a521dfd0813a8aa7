// 积分, as the "done when" asks, on three phones: a worker records points in three
// taps from home (快速记分: the rule, the resident, 记录 — counted here); a resident's deduction
// is appealed and granted, with a reason, by a second council member (the one who recorded
// it may not decide); a black-list deduction shows on the wall board once its 15 days have
// passed and leaves it at once when put right (已整改); the council changes a rule (a new
// version) and lets points lapse (积分清零); the audit tool, reading the hub, agrees with the
// phones on every balance and both lists.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { hubBin, launchBrowser, newPhone, Shell, startHub } from "./support.mjs";

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

async function balance(app) {
  await app.open("/points");
  await app.page.getByTestId("balance").waitFor();
  return Number(await app.page.getByTestId("balance").innerText());
}

const DAY = 86_400_000;

test("three taps from home, an appeal granted by a second council member, 整改, a new rule version, 积分清零", async () => {
  const a = await newPhone(browser);
  const b = await newPhone(browser);
  const c = await newPhone(browser);
  const admin = new Shell(a.page, hub.url, a.errors);
  const resident = new Shell(b.page, hub.url, b.errors);
  const member = new Shell(c.page, hub.url, c.errors);
  await admin.open("/create");
  await a.page.locator("input[name=name]").fill("积分流程社区");
  await a.page.locator("input[name=founder]").fill("周主任");
  await a.page.getByRole("button", { name: "创建" }).tap();
  await a.page.getByTestId("community").waitFor();
  const linkC = await admin.invite("议事会成员", "C-1");
  const linkB = await admin.invite("居民", "B-1");
  const space = (linkB.match(/s=([0-9a-f]{64})/) ?? [])[1];

  await admin.open("/points/rules");
  await a.page.getByTestId("new-rule").waitFor();
  await admin.addRule("清理楼道堆物", 5, "红榜");
  await admin.addRule("占用消防通道", -10, "黑榜");
  await admin.addRule("乱扔垃圾", -2, "不上榜");
  await admin.syncNow();
  await resident.join(linkB, "吴阿姨");
  await member.join(linkC, "李委员");
  await admin.syncNow();

  // The first award by search; from then on she is among the people recorded lately.
  await admin.award("吴阿姨", "清理楼道堆物 +5");

  // 快速记分: home → the rule → her (no typing: recent people are offered) → 记录.
  let taps = 0;
  const tap = async (locator) => {
    taps += 1;
    await locator.tap();
  };
  await admin.open("/");
  const quick = a.page.getByTestId("quick-award");
  await quick.waitFor();
  await admin.screenshot("points-quick-award-zh");
  await tap(quick.getByRole("link", { name: "清理楼道堆物 +5" }));
  await a.page.getByTestId("award-rule-chosen").waitFor();
  assert.equal(await a.page.evaluate(() => document.activeElement?.getAttribute("name")), "who", "the search takes the focus");
  await tap(a.page.getByTestId("candidates").locator("li", { hasText: "吴阿姨" }).getByRole("button", { name: "选这位" }));
  assert.equal(await a.page.getByTestId("confirm-award").innerText(), "记录");
  await tap(a.page.getByTestId("confirm-award"));
  await a.page.getByTestId("award-done").waitFor();
  assert.equal(await a.page.getByTestId("award-done").innerText(), "已为 吴阿姨 记 +5 分");
  assert.ok(taps <= 3, `${taps} taps from home to a recorded award`);
  // The rule stays chosen for the next resident; typing finds people without a tap.
  await a.page.getByTestId("award-rule-chosen").waitFor();
  await a.page.keyboard.type("吴");
  await a.page.getByTestId("candidates").getByText("吴阿姨 · B-1").waitFor();

  // Two deductions: one on the black list, one not.
  await admin.award("吴阿姨", "占用消防通道 −10");
  await admin.award("吴阿姨", "乱扔垃圾 −2");
  await admin.syncNow();
  await resident.syncNow();
  assert.equal(await balance(resident), -2);

  // She appeals the small one; the admin recorded it, so the admin may not decide it.
  const row = b.page.getByTestId("history").locator("li", { hasText: "乱扔垃圾" });
  await row.getByRole("button", { name: "申诉" }).tap();
  await b.page.locator("input[name=reason]").fill("那是风吹过来的");
  await b.page.getByTestId("confirm-appeal").tap();
  await row.getByText("申诉中").waitFor();
  await resident.syncNow();
  await admin.syncNow();
  await admin.open("/points/review");
  await a.page.getByTestId("claims").waitFor();
  assert.equal(await a.page.getByTestId("appeals").count(), 0, "not the issuer's to decide");

  // The second council member decides: keeping it needs a reason; granting it takes one too.
  await member.syncNow();
  await member.open("/points/review");
  const appeal = c.page.getByTestId("appeals").locator("li", { hasText: "吴阿姨 · 乱扔垃圾" });
  await appeal.getByText("那是风吹过来的").waitFor();
  await appeal.getByRole("button", { name: "维持扣分" }).tap();
  await c.page.getByTestId("confirm-appeal-decide").tap();
  await c.page.locator("[id='points.appeal_decide/reason-error']").waitFor();
  await c.page.getByRole("button", { name: "取消" }).tap();
  await appeal.getByRole("button", { name: "撤销扣分" }).tap();
  await c.page.locator("input[name=decide_reason]").fill("核实当天大风");
  await member.screenshot("points-appeal-decide-zh");
  await c.page.getByTestId("confirm-appeal-decide").tap();
  await c.page.getByTestId("appeals").waitFor({ state: "detached" });
  await member.syncNow();
  await resident.syncNow();
  assert.equal(await balance(resident), 0);
  const granted = b.page.getByTestId("history").locator("li", { hasText: "乱扔垃圾" });
  assert.match(await granted.innerText(), /申诉成功，已撤销[\s\S]*核实当天大风/);

  // The black list: the deduction waits out its 15 days, then shows with a masked name.
  await b.page.clock.setFixedTime(Date.now() + 16 * DAY);
  await resident.open("/points/lists");
  await b.page.getByTestId("black-list").locator("tr").first().waitFor();
  assert.match(await b.page.getByTestId("black-list").innerText(), /^吴\*姨 · 占用消防通道/);
  assert.ok(!(await b.page.locator("main").innerText()).includes("吴阿姨"), "never the full name");
  // 整改: staff mark it put right; it leaves the list at once, the points stay.
  await admin.open("/points/review");
  const listed = a.page.getByTestId("recent").locator("li", { hasText: "占用消防通道" });
  await listed.getByRole("button", { name: "已整改" }).tap();
  await listed.getByRole("button", { name: "已整改" }).waitFor({ state: "detached" });
  await admin.syncNow();
  await resident.syncNow();
  await resident.open("/points/lists");
  await b.page.getByTestId("red-list").waitFor();
  assert.equal(await b.page.getByTestId("black-list").locator("tr").count(), 0);
  assert.equal(await balance(resident), 0);
  await b.page.clock.setFixedTime(Date.now());

  // A new version of a rule: the old entries keep theirs, the new points apply from now.
  await admin.open("/points/rules");
  const rule = a.page.getByTestId("rules").locator("li", { hasText: "清理楼道堆物" });
  await rule.getByRole("button", { name: "修改" }).tap();
  const form = a.page.getByTestId("new-rule");
  assert.equal(await form.locator("input[name=rule_title]").inputValue(), "清理楼道堆物");
  await form.locator("input[name=points]").fill("6");
  await form.getByRole("button", { name: "保存规则" }).tap();
  await a.page.getByTestId("rules").locator("li", { hasText: "第 2 版" }).waitFor();
  assert.match(await a.page.getByTestId("rules").locator("li", { hasText: "清理楼道堆物" }).innerText(), /第 2 版[\s\S]*\+6/);
  assert.equal(await a.page.getByTestId("rules").locator("li", { hasText: "清理楼道堆物" }).count(), 1, "the old version is retired");
  await admin.award("吴阿姨", "清理楼道堆物 +6");
  await admin.syncNow();
  await resident.syncNow();
  assert.equal(await balance(resident), 6);

  // 积分清零: everything earned before tomorrow (UTC+8) lapses.
  const tomorrow = new Date(Date.now() + 8 * 3_600_000 + DAY).toISOString().slice(0, 10);
  await admin.open("/points/rules");
  const expire = a.page.getByTestId("expire");
  await expire.getByRole("button", { name: "积分清零" }).tap();
  await a.page.locator("[id='points.expire/before-error']").waitFor();
  await expire.locator("input[name=before]").fill(tomorrow);
  await expire.locator("input[name=expire_note]").fill("年度清零");
  await expire.getByRole("button", { name: "积分清零" }).tap();
  await a.page.getByTestId("confirm-expire").tap();
  await expire.getByText("已清零").waitFor();
  await admin.syncNow();
  await resident.syncNow();
  assert.equal(await balance(resident), 0);
  assert.match(await b.page.getByTestId("history").locator("li").first().innerText(), /积分清零[\s\S]*−6/);
  await resident.screenshot("points-history-lapsed-zh");

  // The audit tool agrees with the phones.
  const audit = JSON.parse(execFileSync(hubBin(), ["audit", `${hub.url}/spaces/${space}`, "--json"]).toString());
  assert.deepEqual(audit.points.balances.map((x) => x.balance), [0]);
  assert.deepEqual(audit.points.black_list, []);
  assert.deepEqual(audit.points.red_list.map((x) => x.points), [16]);
  assert.equal(audit.rejections.length, 0);

  for (const p of [a, b, c]) assert.deepEqual(p.errors, []);
  for (const p of [a, b, c]) await p.context.close();
});
