// 积分超市: the last item redeemed by two phones, one of them offline. Each phone alone thinks
// it got it; after sync the community's total order decides, both phones and the audit tool
// agree on the stock and every balance, and the phone that lost says why.
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

async function storeState(app) {
  await app.open("/points/store");
  await app.page.getByTestId("items").waitFor();
  return {
    balance: await app.page.getByTestId("store-balance").innerText(),
    stock: await app.page.getByTestId("items").locator("li", { hasText: "洗衣液" }).innerText(),
  };
}

test("two phones redeem the last item; the order decides and the loser is told why", async () => {
  const a = await newPhone(browser);
  const admin = new Shell(a.page, hub.url, a.errors);
  await admin.open("/create");
  await a.page.locator("input[name=name]").fill("超市社区");
  await a.page.locator("input[name=founder]").fill("周主任");
  await a.page.getByRole("button", { name: "创建" }).tap();
  await a.page.getByTestId("community").waitFor();
  const space = ((await admin.invite("居民", "H-B")).match(/s=([0-9a-f]{64})/) ?? [])[1];
  const linkB = await admin.invite("居民", "H-B2");
  const linkC = await admin.invite("居民", "H-C");

  await admin.open("/points/rules");
  const form = a.page.getByTestId("new-rule");
  await form.locator("input[name=rule_title]").fill("志愿服务");
  await form.locator("input[name=points]").fill("20");
  await form.getByRole("button", { name: "保存规则" }).tap();
  await a.page.getByTestId("rules").getByText("志愿服务", { exact: true }).waitFor();
  await admin.open("/points/store");
  await a.page.locator("input[name=item_title]").fill("洗衣液");
  await a.page.locator("input[name=cost]").fill("15");
  await a.page.locator("input[name=stock]").fill("1");
  await a.page.getByRole("button", { name: "上架" }).tap();
  await a.page.getByTestId("items").getByText("洗衣液").waitFor();

  const b = await newPhone(browser);
  const c = await newPhone(browser);
  const phoneB = new Shell(b.page, hub.url, b.errors);
  const phoneC = new Shell(c.page, hub.url, c.errors);
  await phoneB.join(linkB, "王大爷");
  await phoneC.join(linkC, "李阿姨");
  await admin.syncNow();
  await admin.award("王大爷", "志愿服务 +20");
  await admin.award("李阿姨", "志愿服务 +20");
  await admin.syncNow();
  await phoneB.syncNow();
  await phoneC.syncNow();

  // C goes offline; both redeem the last bottle; each thinks it got it.
  await c.context.setOffline(true);
  for (const phone of [phoneB, phoneC]) {
    await phone.open("/points/store");
    const item = phone.page.getByTestId("items").locator("li", { hasText: "洗衣液" });
    await item.getByRole("button", { name: "兑换" }).tap();
    await phone.page.getByTestId("confirm-redeem").tap();
    await phone.page.getByTestId("my-redemptions").getByText("待领取").waitFor();
    assert.match(await phone.page.getByTestId("store-balance").innerText(), /我的积分：5$/);
  }
  await phoneB.syncNow();
  await c.context.setOffline(false);
  await phoneC.syncNow();
  await phoneB.syncNow();
  await admin.syncNow();

  // After sync: one got it, the other was refused with the reason, both agree.
  const sb = await storeState(phoneB);
  const sc = await storeState(phoneC);
  assert.match(sb.stock, /库存 0/);
  assert.match(sc.stock, /库存 0/);
  const balances = [sb.balance, sc.balance].sort();
  assert.deepEqual(balances, ["我的积分：20", "我的积分：5"]);
  const loser = sb.balance.endsWith("20") ? phoneB : phoneC;
  await loser.open("/points/store");
  const why = loser.page.getByTestId("refused-why");
  await why.waitFor();
  assert.equal(await why.innerText(), "库存不够了（可能刚被别人兑走）");
  await loser.screenshot("store-refused-zh");

  // The audit tool, reading the hub, agrees.
  const audit = JSON.parse(execFileSync(hubBin(), ["audit", `${hub.url}/spaces/${space}`, "--json"]).toString());
  assert.deepEqual(audit.points.items.map((i) => [i.stock, i.redeemed]), [[0, 1]]);
  assert.deepEqual(audit.points.balances.map((x) => x.balance).sort((x, y) => x - y), [5, 20]);
  assert.equal(audit.rejections.filter((r) => r.code === "out_of_stock").length, 1);

  // The admin hands it over.
  await admin.open("/points/store");
  await a.page.getByTestId("to-fulfil").getByRole("button", { name: "已领取" }).tap();
  await a.page.getByTestId("to-fulfil").waitFor({ state: "detached" });

  // Phone C's sync attempts while offline failed, as they should; nothing else did.
  const unexpected = (p) => p.errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED"));
  for (const p of [a, b, c]) assert.deepEqual(unexpected(p), []);
  for (const p of [a, b, c]) await p.context.close();
});
