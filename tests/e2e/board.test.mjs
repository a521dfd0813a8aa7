// 公开 — the public board and the funds ledger, on three phones: the admin posts a notice
// (its text, with markup in it, shown as text); a ballot is proposed, opened, voted and closed
// and its result posted on the board in one tap (once: the button goes); the admin records
// income and spending, a field typed wrong is named beside itself, voiding their own entry is
// refused (self_dealing) and a council member voids it with a reason; a worker's entry is
// refused (not_permitted) with what was typed kept; the totals per month and year and the
// balance; both print pages; the audit tool agrees.
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

const XSS = "<img src=x onerror=alert(1)>";

/** Today as the phone writes it (YYYY-MM-DD, local time), and its month. */
function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** 记一笔 on /funds: spending unless `income`; waits for 已记账. */
async function enter(app, { title, yuan, category, income = false }) {
  const form = app.page.getByTestId("funds-form");
  await form.getByRole("button", { name: income ? "收入" : "支出", exact: true }).tap();
  await form.locator("input[name=funds_title]").fill(title);
  await form.locator("input[name=amount]").fill(yuan);
  await form.getByRole("button", { name: category, exact: true }).tap();
  await form.getByRole("button", { name: "记账" }).tap();
  await form.getByTestId("funds-done").waitFor();
  await app.page.getByTestId("entries").getByText(title, { exact: true }).waitFor();
}

test("a notice, a ballot's result in one tap, the funds ledger voided by another council member; a worker's entry and a void of one's own refused", async () => {
  const [a, b, c] = [await newPhone(browser), await newPhone(browser), await newPhone(browser)];
  const alerts = [];
  for (const p of [a, b, c]) p.page.on("dialog", (d) => { alerts.push(d.message()); d.dismiss(); });
  const admin = new Shell(a.page, hub.url, a.errors);
  const council = new Shell(b.page, hub.url, b.errors);
  const worker = new Shell(c.page, hub.url, c.errors);
  await admin.open("/create");
  await a.page.locator("input[name=name]").fill("公开社区");
  await a.page.locator("input[name=founder]").fill("林书记");
  await a.page.locator("input[name=min_quorum]").fill("0");
  await a.page.locator("input[name=min_seconds]").fill("0");
  await a.page.getByRole("button", { name: "创建" }).tap();
  await a.page.getByTestId("community").waitFor();
  const linkB = await admin.invite("议事会成员", "1-101");
  const linkC = await admin.invite("网格员", "");
  const space = (linkB.match(/s=([0-9a-f]{64})/) ?? [])[1];
  await council.join(linkB, "吴建华");
  await worker.join(linkC, "钱网格员");
  await admin.syncNow();

  // A notice, from home: 公开, 发布; markup in it is shown as text.
  await admin.open("/");
  await a.page.getByRole("link", { name: "公开", exact: true }).tap();
  await a.page.getByRole("link", { name: "发布", exact: true }).tap();
  await a.page.getByTestId("new-post").getByRole("button", { name: "通知", exact: true }).tap();
  await a.page.locator("input[name=title]").fill(`周六停水通知 ${XSS}`);
  await a.page.locator("textarea[name=body]").fill(`本周六 9:00–12:00 全小区停水，请提前储水。\n${XSS}`);
  await a.page.getByRole("button", { name: "发布", exact: true }).last().tap();
  await a.page.waitForURL(hub.url + "/board");
  const notice = a.page.getByTestId("post").filter({ hasText: "周六停水通知" });
  await notice.waitFor();
  assert.equal(await notice.getByTestId("post-title").innerText(), `周六停水通知 ${XSS}`);
  assert.match(await notice.getByTestId("post-body").innerText(), /<img src=x onerror=alert\(1\)>/);
  assert.equal(await a.page.locator("main img").count(), 0, "no markup made it into the page");

  // A ballot: proposed, opened, voted and closed (no seconds needed, no quorum).
  // (Through the navigation, without reloading: the form starts at the standing rules once
  // the community is read, and the community is read by now.)
  await admin.tapNav("议事");
  await a.page.getByRole("link", { name: "我要提议" }).tap();
  await a.page.locator("input[name=title]").fill("更换2号楼单元门禁");
  await a.page.locator("textarea[name=body]").fill("门禁损坏三个月，建议用维修基金更换。");
  await a.page.locator("input[name=category]").fill("维修");
  await a.page.locator("input[name=quorum]").fill("0");
  await a.page.locator("input[name=seconds]").fill("0");
  await a.page.getByRole("button", { name: "提交议题" }).tap();
  await a.page.getByTestId("seconds").waitFor();
  const proposalPath = new URL(a.page.url()).pathname;
  await a.page.getByRole("button", { name: "开始表决" }).tap();
  await a.page.getByTestId("confirm-open").tap();
  await a.page.getByRole("button", { name: "赞成", exact: true }).tap();
  await a.page.getByTestId("confirm-vote").tap();
  await a.page.getByTestId("my-vote").waitFor();
  await a.page.getByRole("button", { name: "结束表决并计票" }).tap();
  await a.page.getByTestId("confirm-close").tap();
  await a.page.getByTestId("outcome").getByText("表决通过").waitFor();

  // 公布结果: one tap; then the button is gone and the board has the result, naming the
  // proposal.
  await a.page.getByTestId("publish-result").tap();
  await a.page.getByTestId("result-published").waitFor();
  assert.equal(await a.page.getByTestId("publish-result").count(), 0);
  await admin.screenshot("board-result-published-zh");
  await admin.open("/board");
  const result = a.page.locator("[data-testid=post][data-category=result]");
  await result.waitFor();
  assert.equal(await result.getByTestId("post-title").innerText(), "表决结果：更换2号楼单元门禁");
  assert.match(await result.getByTestId("post-body").innerText(), /表决通过。参与 1 \/ 3（33.3%）。赞成 1 票，反对 0 票，弃权 0 票。/);
  assert.equal(await result.getByRole("link", { name: "查看议题" }).getAttribute("href"), proposalPath);
  // Newest first; the chips filter by category.
  const titles = await a.page.getByTestId("post-title").allInnerTexts();
  assert.deepEqual(titles, ["表决结果：更换2号楼单元门禁", `周六停水通知 ${XSS}`]);
  await a.page.getByTestId("board-filter").filter({ hasText: "通知" }).tap();
  assert.deepEqual(await a.page.getByTestId("post-title").allInnerTexts(), [`周六停水通知 ${XSS}`]);
  await a.page.getByTestId("board-filter").filter({ hasText: "政策" }).tap();
  await a.page.getByTestId("board-empty").waitFor();
  await a.page.getByTestId("board-filter").filter({ hasText: "全部" }).tap();
  await admin.screenshot("board-zh");

  // The post's notice for the wall board.
  await result.getByRole("link", { name: "打印张贴" }).tap();
  const printed = await a.page.getByTestId("notice").innerText();
  assert.match(printed, /公开社区 · 公开栏/);
  assert.match(printed, /议事结果/);
  assert.match(printed, /表决结果：更换2号楼单元门禁/);
  await admin.screenshot("board-print-zh");

  // The funds ledger: a wrong amount is named beside its field, nothing typed is lost.
  await admin.open("/funds");
  const form = a.page.getByTestId("funds-form");
  await form.locator("input[name=funds_title]").fill("楼道灯维修");
  await form.locator("input[name=amount]").fill("三百五");
  await form.getByRole("button", { name: "维修", exact: true }).tap();
  await form.getByRole("button", { name: "记账" }).tap();
  await form.getByText("“金额（元）”请填数字，最多两位小数").waitFor();
  assert.equal(await form.locator("input[name=amount]").getAttribute("aria-invalid"), "true");
  assert.equal(await form.locator("input[name=funds_title]").inputValue(), "楼道灯维修");
  await form.locator("input[name=amount]").fill("0");
  await form.getByRole("button", { name: "记账" }).tap();
  await form.locator("[data-field='funds.entry/amount_fen'][aria-invalid=true]").waitFor();
  await form.locator("input[name=amount]").fill("350");
  await form.getByRole("button", { name: "记账" }).tap();
  await form.getByTestId("funds-done").waitFor();
  await enter(admin, { title: "党群服务经费", yuan: "20,000", category: "上级拨款", income: true });
  await enter(admin, { title: `重复录入 ${XSS}`, yuan: "350.50", category: "维修" });

  // Voiding one's own entry is refused, saying why, with its code.
  const dup = a.page.getByTestId("funds-entry").filter({ hasText: "重复录入" });
  await dup.getByTestId("void").tap();
  await dup.locator("input[name=void_reason]").fill("重复");
  await dup.getByTestId("void-confirm").tap();
  const refusedVoid = dup.getByTestId("void-refused");
  await refusedVoid.getByText("不能作废自己录入的账目：请另一位议事会成员核对后作废。").waitFor();
  assert.equal(await refusedVoid.getAttribute("data-code"), "self_dealing");
  assert.equal(await dup.locator("input[name=void_reason]").inputValue(), "重复");
  await admin.screenshot("funds-void-own-zh");
  await admin.syncNow();

  // Another council member voids it: a reason is required.
  await council.syncNow();
  await council.open("/funds");
  const dupB = b.page.getByTestId("funds-entry").filter({ hasText: "重复录入" });
  await dupB.getByTestId("void").tap();
  await dupB.getByTestId("void-confirm").tap();
  await dupB.locator("[data-field='funds.void/reason'][aria-invalid=true]").waitFor();
  await dupB.locator("input[name=void_reason]").fill("与楼道灯维修重复录入");
  await dupB.getByTestId("void-confirm").tap();
  await b.page.locator("[data-testid=funds-entry][data-voided=true]").getByText("已作废：与楼道灯维修重复录入").waitFor();
  await council.syncNow();

  // A worker's entry is refused with its code; what was typed stays.
  await worker.syncNow();
  await worker.open("/funds");
  const wform = c.page.getByTestId("funds-form");
  await wform.getByText("记账和作废由管理员或议事会成员办理。").waitFor();
  await wform.locator("input[name=funds_title]").fill("买扫帚");
  await wform.locator("input[name=amount]").fill("45");
  await wform.getByRole("button", { name: "办公", exact: true }).tap();
  await wform.getByRole("button", { name: "记账" }).tap();
  const refused = wform.getByTestId("funds-refused");
  await refused.getByText("只有管理员和议事会成员可以记账，这一笔没有记上（填的内容还在）。").waitFor();
  assert.equal(await refused.getAttribute("data-code"), "not_permitted");
  assert.equal(await wform.locator("input[name=funds_title]").inputValue(), "买扫帚");
  assert.equal(await wform.locator("input[name=amount]").inputValue(), "45");
  assert.equal(await c.page.getByTestId("void").count(), 0, "a worker voids nothing");
  await worker.screenshot("funds-worker-refused-zh");

  // The totals, the month's bars and the year, as every phone shows them.
  await admin.syncNow();
  const month = today().slice(0, 7);
  for (const [app, page] of [[admin, a.page], [council, b.page], [worker, c.page]]) {
    await app.open("/funds");
    await page.locator("[data-testid=funds-entry][data-voided=true]").waitFor();
    assert.equal(await page.getByTestId("total-income").innerText(), "20,000.00");
    assert.equal(await page.getByTestId("total-spending").innerText(), "350.00");
    assert.equal(await page.getByTestId("balance").innerText(), "19,650.00");
    const m = await page.locator(`[data-testid=funds-months] [data-period='${month}']`).innerText();
    assert.match(m, /\+20,000\.00/);
    assert.match(m, /−350\.00/);
    const y = await page.locator(`[data-testid=funds-years] tr[data-period='${month.slice(0, 4)}']`).innerText();
    assert.match(y.replace(/\s+/g, " "), /20,000\.00 350\.00 19,650\.00/);
    const amounts = await page.getByTestId("amount").allInnerTexts();
    assert.deepEqual(amounts.sort(), ["+20,000.00", "−350.00", "−350.50"].sort());
  }
  const entry = a.page.getByTestId("funds-entry").filter({ hasText: "重复录入" });
  assert.equal(await entry.getByText(`重复录入 ${XSS}`, { exact: true }).count(), 1);
  await a.page.getByTestId("funds-months").scrollIntoViewIfNeeded();
  await admin.screenshot("funds-zh");

  // The ledger's notice for the wall: the totals, and the voided entry marked.
  await a.page.getByRole("link", { name: "打印张贴" }).tap();
  const sheet = await a.page.getByTestId("notice").innerText();
  assert.match(sheet, /资金收支公开/);
  assert.match(sheet, /19,650\.00/);
  assert.match(sheet, /已作废：与楼道灯维修重复录入/);
  assert.ok(!/林书记|吴建华|钱网格员/.test(sheet), "no names on the notice");
  await admin.screenshot("funds-print-zh");

  // In English.
  await council.open("/me");
  await council.chooseLanguage("English");
  await council.open("/funds");
  await b.page.getByRole("heading", { name: "Funds ledger" }).waitFor();
  await b.page.getByText("Voided: 与楼道灯维修重复录入").waitFor();
  await council.screenshot("funds-en");

  const audit = JSON.parse(execFileSync(hubBin(), ["audit", `${hub.url}/spaces/${space}`, "--json"]).toString());
  assert.deepEqual(audit.rejections, []);
  assert.deepEqual(audit.funds, { income_fen: 2_000_000, spending_fen: 35_000, balance_fen: 1_965_000 });
  assert.deepEqual(alerts, [], "no script ran from the texts");
  const offline = (e) => e.includes("ERR_INTERNET_DISCONNECTED") || e.includes("Failed to fetch");
  for (const p of [a, b, c]) assert.deepEqual(p.errors.filter((e) => !offline(e)), []);
});
