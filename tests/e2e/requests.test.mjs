// 求助 (困难群众直通车), on three phones: a resident asks for help in three taps from home while
// offline; it syncs; a worker takes it while the admin, offline, takes it too — the community's
// order gives it to one of them (首问负责) and the other phone says who took it first; the owner
// notes progress and resolves it; the resident sees who has it, then rates it; a poll is
// answered and changed; the monthly ledger (台账) shows all of it, and the audit tool agrees.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { hubBin, launchBrowser, newPhone, precached, Shell, startHub } from "./support.mjs";

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

test("an urgent request opened offline in three taps; two staff take it at once, the order gives it to one and the other is told who; resolved and rated; a poll answered and changed; the monthly ledger shows it all as the audit does", async () => {
  const [a, b, c] = [await newPhone(browser), await newPhone(browser), await newPhone(browser)];
  const admin = new Shell(a.page, hub.url, a.errors);
  const resident = new Shell(b.page, hub.url, b.errors);
  const worker = new Shell(c.page, hub.url, c.errors);
  await admin.open("/create");
  await a.page.locator("input[name=name]").fill("求助社区");
  await a.page.locator("input[name=founder]").fill("林书记");
  await a.page.getByRole("button", { name: "创建" }).tap();
  await a.page.getByTestId("community").waitFor();
  const linkB = await admin.invite("居民", "G-1");
  const linkC = await admin.invite("网格员", "");
  const space = (linkB.match(/s=([0-9a-f]{64})/) ?? [])[1];
  await resident.join(linkB, "赵奶奶");
  await worker.join(linkC, "钱网格员");

  // Offline, from home: 求助, 助老, a few words, 提交 — three taps.
  await resident.open("/");
  // Every screen is on the phone (the service worker's precache) before the network goes.
  await precached(b.page);
  await b.context.setOffline(true);
  let taps = 0;
  const tap = async (locator) => {
    taps += 1;
    await locator.tap();
  };
  await tap(b.page.getByRole("link", { name: "求助", exact: true }));
  await tap(b.page.getByTestId("new-request").getByRole("button", { name: "助老", exact: true }));
  await b.page.locator("input[name=words]").fill("帮忙买降压药");
  await b.page.locator("input[name=urgent]").check();
  await tap(b.page.getByTestId("new-request").getByRole("button", { name: "提交" }));
  await b.page.getByTestId("request-sent").waitFor();
  console.log(`a request from home: ${taps} taps`);
  assert.ok(taps <= 3, `${taps} taps`);
  await b.page.getByTestId("my-requests").getByText("帮忙买降压药").waitFor();
  await resident.screenshot("request-new-zh");
  await b.context.setOffline(false);
  await resident.syncNow();
  await resident.open("/help");
  const requestPath = await b.page.getByTestId("my-requests").getByRole("link").first().getAttribute("href");

  // Both staff see it, urgent first. The admin's phone loses its network; the worker takes
  // the request; the admin, not knowing, takes it too.
  await worker.syncNow();
  await admin.syncNow();
  await admin.open("/help");
  await a.page.getByTestId("queue").getByText("帮忙买降压药").waitFor();
  await precached(a.page);
  await a.context.setOffline(true);
  await worker.open("/help");
  const queue = c.page.getByTestId("queue");
  await queue.getByText("帮忙买降压药").waitFor();
  await queue.getByText("急").first().waitFor();
  await worker.screenshot("request-queue-zh");
  await queue.getByTestId("take").tap();
  await c.page.getByTestId("owned").getByText("帮忙买降压药").waitFor();
  await worker.syncNow();
  await a.page.getByTestId("queue").getByTestId("take").tap();
  await a.page.getByTestId("owned").getByText("帮忙买降压药").waitFor();
  await a.context.setOffline(false);
  await admin.syncNow();
  await worker.syncNow();

  // The community's order gives it to one of them (the two takes are concurrent); the other
  // phone says who took it first.
  const phones = [
    { app: admin, page: a.page, name: "林书记" },
    { app: worker, page: c.page, name: "钱网格员" },
  ];
  const lost = [];
  for (const p of phones) {
    await p.app.open(requestPath);
    await p.page.getByTestId("owner").waitFor();
    lost.push((await p.page.getByTestId("taken-by-other").count()) === 1);
  }
  assert.equal(lost.filter(Boolean).length, 1, "one take refused");
  const [owner, loser] = lost[0] ? [phones[1], phones[0]] : [phones[0], phones[1]];
  await loser.app.open(requestPath);
  await loser.page.getByTestId("taken-by-other").getByText(`没接到：已由 ${owner.name} 接手`).waitFor();
  await loser.app.screenshot("request-taken-by-other-zh");

  // The owner notes progress and resolves it.
  await owner.app.open(requestPath);
  await owner.page.locator("textarea[name=note]").fill("已联系药店，下午送到");
  await owner.page.getByRole("button", { name: "记一笔进展" }).tap();
  await owner.page.getByTestId("steps").getByText("已联系药店").waitFor();
  await owner.page.locator("textarea[name=note]").fill("药已送到");
  await owner.page.getByTestId("resolve").tap();
  await owner.page.getByTestId("request-status").getByText("已办结").waitFor();
  await owner.app.syncNow();

  // The resident sees who has it and since when, then rates it.
  await resident.syncNow();
  await resident.open(requestPath);
  await b.page.getByTestId("owner").getByText(`${owner.name} 接手`).waitFor();
  await b.page.getByTestId("reopen").waitFor();
  await b.page.getByTestId("rate").getByRole("button", { name: "5 星" }).tap();
  await b.page.locator("input[name=word]").fill("很及时");
  await b.page.getByTestId("send-rating").tap();
  await b.page.getByTestId("rating").getByText("评价：5 星").waitFor();
  await resident.screenshot("request-rated-zh");
  await resident.syncNow();

  // A poll: the admin asks, the resident answers from home in two taps and changes her mind.
  await admin.open("/polls");
  await a.page.getByRole("link", { name: "发起民调" }).tap();
  const form = a.page.getByTestId("new-poll");
  await form.locator("input[name=question]").fill("便民服务日放在哪天？");
  await form.locator("input[name=option]").nth(0).fill("周六上午");
  await form.locator("input[name=option]").nth(1).fill("周日下午");
  await form.getByRole("button", { name: "1 天", exact: true }).tap();
  await form.getByRole("button", { name: "发布" }).tap();
  await a.page.waitForURL(/\/polls\/[0-9a-f]{64}$/);
  await admin.syncNow();
  await resident.syncNow();
  await resident.open("/");
  await b.page.getByTestId("to-answer").getByRole("link", { name: /便民服务日/ }).tap();
  await b.page.getByTestId("choices").getByRole("button", { name: "周六上午" }).tap();
  await b.page.getByTestId("my-answer").getByText("已提交：周六上午").waitFor();
  await b.page.getByTestId("choices").getByRole("button", { name: "周日下午" }).tap();
  await b.page.getByTestId("my-answer").getByText("已提交：周日下午").waitFor();
  await resident.syncNow();

  // The monthly ledger (the month of the request, and the month the poll closes in: the same
  // one unless this runs on a month's last day) shows all of it, as the audit does.
  await admin.syncNow();
  const monthOf = (ms) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 7);
  const shown = [];
  for (const m of new Set([monthOf(Date.now()), monthOf(Date.now() + 86_400_000)])) {
    await admin.open(`/ledger?m=${m}`);
    await a.page.getByTestId("ledger-requests").waitFor();
    shown.push(
      ...(await a.page.$$eval("[data-testid^=ledger-] .ledger__figure", (els) =>
        els.map((el) => ({ section: el.closest("section").dataset.testid, key: el.dataset.k, raw: Number(el.dataset.v) })),
      )),
    );
  }
  const sum = (section, key) =>
    shown.filter((f) => f.section === `ledger-${section}` && f.key === key).reduce((n, f) => n + f.raw, 0);
  await admin.screenshot("ledger-services-zh");

  const audit = JSON.parse(execFileSync(hubBin(), ["audit", `${hub.url}/spaces/${space}`, "--json"]).toString());
  assert.equal(sum("requests", "opened"), audit.requests.length);
  assert.equal(sum("requests", "resolved"), audit.requests.filter((r) => r.status === "resolved").length);
  assert.equal(sum("requests", "ratings"), audit.requests.filter((r) => r.stars).length);
  assert.equal(sum("requests", "satisfied"), audit.requests.filter((r) => r.stars >= 4).length);
  assert.equal(audit.polls.length, 1);
  assert.equal(sum("polls", "poll"), audit.polls[0].answered);
  assert.deepEqual(
    shown.filter((f) => f.section === "ledger-polls" && f.key === "option").map((f) => f.raw),
    audit.polls[0].counts,
  );
  assert.deepEqual(audit.polls[0].counts, [0, 1], "the changed answer counts, once");
  assert.deepEqual(audit.rejections.map((r) => r.code), ["already_taken"]);
  assert.equal(audit.requests.length, 1);
  assert.equal(audit.requests[0].status, "resolved");
  assert.equal(audit.requests[0].stars, 5);
  const ownerId = audit.members.find((m) => m.role === (owner.app === admin ? "admin" : "worker")).id;
  assert.equal(audit.requests[0].owner, ownerId);
  const offline = (e) => e.includes("ERR_INTERNET_DISCONNECTED") || e.includes("Failed to fetch");
  for (const p of [a, b, c]) assert.deepEqual(p.errors.filter((e) => !offline(e)), []);
});
