// 积分, first screens: the council adopts rules (积分细则); staff record points (记分) by name
// search, rule tap and a confirmation naming person, points and rule; the resident sees the
// balance and history, and appeals a deduction inside its 15 days (it stops counting while
// pending). Text in rule titles and notes is shown as text.
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

test("rules, an award, a deduction appealed: the resident's balance and history", async () => {
  const a = await newPhone(browser);
  const admin = new Shell(a.page, hub.url, a.errors);
  await admin.open("/create");
  await a.page.locator("input[name=name]").fill("积分社区");
  await a.page.locator("input[name=founder]").fill("周主任");
  await a.page.getByRole("button", { name: "创建" }).tap();
  await a.page.getByTestId("community").waitFor();

  // The council's catalogue.
  await admin.open("/points/rules");
  await a.page.getByTestId("new-rule").waitFor();
  await admin.addRule("清理楼道堆物", 5, "红榜");
  await admin.addRule("乱扔垃圾", -5, "黑榜");
  await admin.addRule("<b>粗体</b>", 1, "不上榜");
  {
    const form = a.page.getByTestId("new-rule");
    await form.locator("input[name=rule_title]").fill("参加垃圾分类宣传");
    await form.locator("input[name=points]").fill("3");
    await form.getByRole("button", { name: "红榜", exact: true }).tap();
    await form.getByRole("switch").check();
    await form.getByRole("button", { name: "保存规则" }).tap();
    await a.page.getByTestId("rules").getByText("参加垃圾分类宣传", { exact: true }).waitFor();
  }
  // A deduction on the red list is the domain's to refuse, before signing.
  await a.page.getByTestId("new-rule").locator("input[name=rule_title]").fill("错误规则");
  await a.page.getByTestId("new-rule").locator("input[name=points]").fill("-3");
  await a.page.getByTestId("new-rule").getByRole("button", { name: "红榜", exact: true }).tap();
  await a.page.getByRole("button", { name: "保存规则" }).tap();
  await a.page.locator("p.field__error[role=alert]").waitFor();
  assert.equal(await a.page.getByTestId("rules").getByText("错误规则").count(), 0);
  await admin.screenshot("points-rules-zh");

  // A resident joins.
  await admin.open("/invite");
  await a.page.locator("input[name=household]").fill("H-WU");
  await a.page.getByRole("button", { name: "生成邀请" }).tap();
  const link = await a.page.getByTestId("invite-link").innerText();
  const b = await newPhone(browser);
  const resident = new Shell(b.page, hub.url, b.errors);
  await resident.join(link, "吴阿姨");
  await admin.syncNow();

  // 记分: find her, tap the rule, say how many times, record.
  await admin.open("/points");
  await a.page.getByRole("link", { name: "记分" }).tap();
  await a.page.waitForURL(hub.url + "/points/award");
  await a.page.locator("input[name=who]").fill("吴");
  await a.page.getByTestId("candidates").getByRole("button", { name: "选这位" }).tap();
  await a.page.getByTestId("award-member").getByText("吴阿姨").waitFor();
  await a.page.getByTestId("award-rules").getByRole("button", { name: "清理楼道堆物 +5" }).tap();
  await a.page.locator("input[name=qty]").fill("2");
  const dialog = a.page.getByRole("dialog", { name: "为 吴阿姨 记 +10 分（清理楼道堆物）？" });
  await dialog.waitFor();
  await admin.screenshot("points-award-zh");
  await a.page.getByTestId("confirm-award").tap();
  await a.page.getByTestId("award-done").waitFor();
  assert.equal(await a.page.getByTestId("award-done").innerText(), "已为 吴阿姨 记 +10 分");
  await a.page.getByTestId("award-rules").getByRole("button", { name: "乱扔垃圾 −5" }).tap();
  await a.page.getByTestId("confirm-award").tap();
  await a.page.waitForFunction(() => document.querySelector("[data-testid=award-done]")?.textContent.includes("−5"));
  await a.page.getByTestId("award-rules").getByRole("button", { name: "<b>粗体</b> +1" }).tap();
  await a.page.locator("input[name=note]").fill("<img src=x onerror=alert(1)>");
  await a.page.getByTestId("confirm-award").tap();
  await a.page.waitForFunction(() => document.querySelector("[data-testid=award-done]")?.textContent.includes("+1"));
  await admin.syncNow();

  // The resident's points: 10 − 5 + 1, the history newest first, text shown as text.
  await resident.syncNow();
  await resident.open("/points");
  await b.page.getByTestId("balance").waitFor();
  assert.equal(await b.page.getByTestId("balance").innerText(), "6");
  const history = b.page.getByTestId("history").locator("li");
  assert.equal(await history.count(), 3);
  assert.match(await history.nth(0).innerText(), /<b>粗体<\/b>[\s\S]*<img src=x onerror=alert\(1\)>[\s\S]*\+1/);
  assert.equal(await b.page.locator("main b, main img").count(), 0, "no markup from a title or a note");
  assert.equal(await b.page.getByRole("link", { name: "记分" }).count(), 0, "residents do not record points");
  await resident.screenshot("points-mine-zh");

  // Appeal the deduction: a reason is required; then it is suspended and stops counting.
  const deduction = b.page.getByTestId("history").locator("li", { hasText: "乱扔垃圾" });
  assert.match(await deduction.innerText(), /可在 \d{4}-\d\d-\d\d 前申诉/);
  await deduction.getByRole("button", { name: "申诉" }).tap();
  await b.page.getByTestId("confirm-appeal").tap();
  await b.page.locator("[id='points.appeal/reason-error']").waitFor();
  await b.page.locator("input[name=reason]").fill("那天我不在家");
  await b.page.getByTestId("confirm-appeal").tap();
  await b.page.getByTestId("history").locator("li", { hasText: "乱扔垃圾" }).getByText("申诉中").waitFor();
  assert.equal(await b.page.getByTestId("balance").innerText(), "11");

  // Everyone reads the catalogue; only the council edits it. A claimable rule is claimed.
  await resident.open("/points/rules");
  await b.page.getByTestId("rules").getByText("清理楼道堆物").waitFor();
  assert.equal(await b.page.getByTestId("new-rule").count(), 0);
  const claimable = b.page.getByTestId("rules").locator("li", { hasText: "参加垃圾分类宣传" });
  assert.equal(await b.page.getByTestId("rules").getByRole("button", { name: "申报" }).count(), 1, "only the claimable rule");
  await claimable.getByRole("button", { name: "申报" }).tap();
  await b.page.locator("input[name=note]").fill("周六上午在小区门口");
  await b.page.getByTestId("confirm-claim").tap();
  await claimable.getByText("已申报，等待审核").waitFor();
  await resident.syncNow();

  // The admin approves in one tap; the appeal of the deduction they recorded is not theirs
  // to decide.
  await admin.syncNow();
  await admin.open("/points/review");
  const claims = a.page.getByTestId("claims");
  await claims.getByText("吴阿姨 · 参加垃圾分类宣传 × 1").waitFor();
  assert.equal(await a.page.getByTestId("appeals").count(), 0);
  await admin.screenshot("points-review-zh");
  await claims.getByRole("button", { name: "通过", exact: true }).tap();
  await claims.getByText("没有待审核的申报。").waitFor();
  await admin.syncNow();
  await resident.syncNow();
  await resident.open("/points");
  await b.page.getByTestId("balance").waitFor();
  assert.equal(await b.page.getByTestId("balance").innerText(), "14");

  // 我的积分码: a worker who scans it records points in two taps (a rule, the confirmation).
  await resident.open("/points");
  await b.page.getByRole("button", { name: "我的积分码" }).tap();
  await b.page.getByTestId("my-code").locator("svg.qr").waitFor();
  const code = await b.page.getByTestId("my-code").getAttribute("data-link");
  assert.match(code, /\/points\/award\?m=[0-9a-f]{64}$/);
  await a.page.goto(code);
  await admin.ready();
  await a.page.getByTestId("award-member").getByText("吴阿姨").waitFor();
  await a.page.getByTestId("award-rules").getByRole("button", { name: "清理楼道堆物 +5" }).tap();
  await a.page.getByTestId("confirm-award").tap();
  await a.page.getByTestId("award-done").waitFor();
  await admin.syncNow();

  // 红黑榜: masked names only; the appealed deduction is not on the black list.
  await admin.open("/points/lists");
  await a.page.getByTestId("red-list").waitFor();
  assert.equal(await a.page.getByTestId("red-list").innerText(), "1. 吴*姨\t18");
  assert.equal(await a.page.getByTestId("black-list").locator("tr").count(), 0);
  assert.ok(!(await a.page.locator("main").innerText()).includes("吴阿姨"), "never the full name");
  await admin.screenshot("points-lists-zh");

  // She keeps off the red list; her points stay.
  await resident.open("/points");
  await b.page.locator("input[name=red_list]").uncheck();
  await b.page.waitForFunction(() => document.querySelector("input[name=red_list]")?.checked === false);
  await resident.syncNow();
  await admin.syncNow();
  await admin.open("/points/lists");
  await a.page.getByTestId("notice").waitFor();
  assert.equal(await a.page.getByTestId("red-list").locator("tr").count(), 0);
  await resident.open("/points");
  assert.equal(await b.page.getByTestId("balance").innerText(), "19");

  // Staff reverse an entry recorded by mistake, with a reason (required).
  await admin.open("/points/review");
  const wrong = a.page.getByTestId("recent").locator("li", { hasText: "<b>粗体</b>" });
  await wrong.getByRole("button", { name: "撤销" }).tap();
  await a.page.getByTestId("confirm-reverse").tap();
  await a.page.locator("[id='points.reverse/reason-error']").waitFor();
  await a.page.locator("input[name=reverse_reason]").fill("记错了人");
  await a.page.getByTestId("confirm-reverse").tap();
  await a.page.getByTestId("recent").locator("li", { hasText: "<b>粗体</b>" }).waitFor({ state: "detached" });
  await admin.syncNow();
  await resident.syncNow();
  await resident.open("/points");
  await b.page.getByTestId("balance").waitFor();
  assert.equal(await b.page.getByTestId("balance").innerText(), "18");
  assert.match(await b.page.getByTestId("history").locator("li", { hasText: "<b>粗体</b>" }).innerText(), /已撤销/);

  for (const p of [a, b]) assert.deepEqual(p.errors, []);
  for (const p of [a, b]) await p.context.close();
});
