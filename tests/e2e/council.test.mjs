// A resident council on four phones: a resident proposes, two neighbours second, the admin
// opens the ballot, three votes (one changed), a phone that is offline votes and syncs after
// the close (not counted), the admin closes — and every phone shows the same tally, outcome
// and state code. Counts the taps from the home screen to a cast vote and to a close.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { execFileSync } from "node:child_process";
import { join as pathJoin } from "node:path";
import { launchBrowser, newPhone, ROOT, Shell, startHub } from "./support.mjs";

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

async function toHome(app) {
  await app.tapNav("首页");
  await app.page.waitForURL(app.baseUrl + "/");
}

async function syncNow(app) {
  await app.page.getByTestId("sync-badge").tap();
  await app.page.waitForURL(app.baseUrl + "/sync");
  await app.page.getByRole("button", { name: "立即同步" }).tap();
  await app.page.waitForFunction(() => !document.querySelector("[data-testid=sync-detail]")?.textContent.includes("同步中"));
  await app.page.waitForTimeout(200);
  return {
    hash: await app.page.getByTestId("state-hash").innerText(),
    unsent: Number(await app.page.getByTestId("unsent").innerText()),
  };
}

async function converge(apps) {
  let got;
  for (let i = 0; i < 15; i++) {
    got = [];
    for (const a of apps) got.push(await syncNow(a));
    if (got.every((g) => g.hash === got[0].hash && g.unsent === 0)) return got[0].hash;
    await apps[0].page.waitForTimeout(1000);
  }
  assert.fail(`no convergence: ${JSON.stringify(got)}`);
}

async function join(app, link, name) {
  await app.page.goto(link);
  await app.ready();
  await app.page.getByTestId("join-community").waitFor();
  await app.page.locator("input[name=name]").fill(name);
  await app.page.getByRole("button", { name: "加入" }).tap();
  await app.page.getByTestId("community").waitFor();
}

/** From the home screen: opens the proposal under voting and votes, counting taps. */
async function voteFromHome(app, title, option) {
  let taps = 0;
  await toHome(app);
  await app.page.getByTestId("to-vote").getByRole("link", { name: title }).tap();
  taps++;
  await app.page.getByRole("button", { name: option, exact: true }).tap();
  taps++;
  // The confirmation names the choice, is a dialog with that name, and takes focus; the
  // option stays highlighted.
  await app.page.getByRole("dialog", { name: `确认投「${option}」？` }).waitFor();
  assert.equal(await app.page.evaluate(() => document.activeElement?.dataset.testid), "confirm-vote");
  assert.equal(await app.page.getByRole("button", { name: option, exact: true }).getAttribute("aria-pressed"), "true");
  await app.page.getByTestId("confirm-vote").tap();
  taps++;
  await app.page.getByTestId("my-vote").filter({ hasText: option }).waitFor();
  return taps;
}

test("propose, second, open, vote (one changed, one late), close: every phone agrees", async () => {
  const phones = await Promise.all([0, 1, 2, 3].map(() => newPhone(browser)));
  const [admin, b, c, d] = phones.map((p) => new Shell(p.page, hub.url, p.errors));

  await admin.open("/create");
  await admin.page.locator("input[name=name]").fill("和谐家园");
  await admin.page.locator("input[name=founder]").fill("周主任");
  // A small test community: standing rules lower than the recommended ones.
  await admin.page.locator("input[name=min_quorum]").fill("0");
  await admin.page.locator("input[name=min_seconds]").fill("2");
  await admin.page.getByRole("button", { name: "创建" }).tap();
  await admin.page.getByTestId("community").waitFor();
  const linkB = await admin.invite("议事会成员", "1-101");
  const space = (linkB.match(/s=([0-9a-f]{64})/) ?? [])[1];
  await join(b, linkB, "吴建华");
  await join(c, await admin.invite("居民", "2-202"), "郑秀英");
  await join(d, await admin.invite("居民", "3-303"), "冯志强");
  await converge([admin, b, c, d]);

  // C proposes (two seconds needed).
  await c.tapNav("议事");
  await c.page.getByRole("link", { name: "我要提议" }).tap();
  await c.page.locator("input[name=title]").fill("在3号楼前加装充电桩");
  await c.page.locator("textarea[name=body]").fill("电动车在楼道充电有火灾隐患。");
  await c.page.locator("input[name=category]").fill("安全");
  await c.page.locator("input[name=quorum]").fill("0");
  await c.page.locator("input[name=seconds]").fill("2");
  await c.page.getByRole("button", { name: "提交议题" }).tap();
  await c.page.getByTestId("seconds").waitFor();
  const proposalUrl = c.page.url();
  await converge([admin, b, c, d]);

  // B and D second; the admin opens.
  for (const p of [b, d]) {
    await p.page.goto(proposalUrl);
    await p.ready();
    await p.page.getByRole("button", { name: "附议", exact: true }).tap();
    await p.page.getByRole("button", { name: "已附议" }).waitFor();
  }
  await converge([admin, b, c, d]);
  await admin.page.goto(proposalUrl);
  await admin.ready();
  await admin.page.getByRole("button", { name: "开始表决" }).tap();
  // An irreversible act asks first, naming itself.
  await admin.page.getByRole("dialog", { name: "开始表决？" }).waitFor();
  await admin.page.getByTestId("confirm-open").tap();
  await admin.page.getByTestId("ballot").waitFor();
  await converge([admin, b, c, d]);

  // Votes: C yes; D no, then yes; B goes offline and votes no — after the close.
  const tapsToVote = await voteFromHome(c, "在3号楼前加装充电桩", "赞成");
  await voteFromHome(d, "在3号楼前加装充电桩", "反对");
  await voteFromHome(d, "在3号楼前加装充电桩", "赞成");
  await converge([admin, c, d]);
  await phones[1].context.setOffline(true);
  await voteFromHome(b, "在3号楼前加装充电桩", "反对");

  // The admin closes: from the home screen, taps counted.
  await toHome(admin);
  let tapsToClose = 0;
  await admin.page.getByTestId("to-vote").getByRole("link", { name: "在3号楼前加装充电桩" }).tap();
  tapsToClose++;
  await admin.page.getByRole("button", { name: "结束表决并计票" }).tap();
  tapsToClose++;
  // The confirmation shows the turnout now and whether the quorum is met.
  const closing = admin.page.getByRole("dialog", { name: "结束表决并计票？" });
  await closing.waitFor();
  assert.match(await closing.innerText(), /现在参与 2 \/ 4（50%），法定参与比例 0%：已达到/);
  await admin.screenshot("close-confirm-zh");
  await admin.page.getByTestId("confirm-close").tap();
  tapsToClose++;
  await admin.page.getByTestId("outcome").waitFor();
  // The outcome says why, in a sentence.
  assert.match(await admin.page.getByTestId("outcome-why").innerText(), /赞成 2 票，需要超过全部 2 票（弃权也计入）的一半：达到，通过/);
  await phones[1].context.setOffline(false);
  const hash = await converge([admin, b, c, d]);
  assert.match(hash, /^[0-9a-f]{12}$/);

  for (const p of [admin, b, c, d]) {
    await p.page.goto(proposalUrl);
    await p.ready();
    assert.equal(await p.page.getByTestId("outcome").innerText(), "表决通过");
    const tally = await p.page.getByTestId("tally").innerText();
    assert.match(tally.replace(/\s+/g, " "), /赞成 2 反对 0 弃权 0/, tally);
  }
  await c.screenshot("proposal-zh");
  // The audit tool, reading the hub, agrees with the phones.
  const hubBin = process.env.LINLI_HUB ?? pathJoin(ROOT, "target/debug/linli-hub");
  const audit = JSON.parse(execFileSync(hubBin, ["audit", `${hub.url}/spaces/${space}`, "--json"]).toString());
  assert.equal(audit.ballots.length, 1);
  assert.deepEqual(
    [audit.ballots[0].status, audit.ballots[0].counts, audit.ballots[0].cast, audit.ballots[0].eligible, audit.ballots[0].outcome],
    ["decided", [2, 0, 0], 2, 4, "passed"],
  );
  // The notice for the wall board (公示栏): counts only, no names.
  await c.page.getByRole("link", { name: "打印公示" }).tap();
  const notice = await c.page.getByTestId("notice").innerText();
  assert.match(notice, /和谐家园/);
  assert.match(notice, /表决通过/);
  assert.ok(!/郑秀英|冯志强|吴建华/.test(notice), "no names on the notice");
  await c.screenshot("print-zh");
  await c.tapNav("议事");
  await c.screenshot("council-list-zh");

  console.log(`taps: home → cast vote ${tapsToVote}, home → close ballot ${tapsToClose}`);
  assert.ok(tapsToVote <= 3 && tapsToClose <= 3, "3 taps each, the last one the confirmation");
  for (const p of phones) {
    const real = p.errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED") && !e.includes("Failed to fetch"));
    assert.deepEqual(real, [], "no console errors");
  }
});

test("a council meeting: schedule with a check-in code, check in, minutes, print", async () => {
  const phones = await Promise.all([0, 1].map(() => newPhone(browser)));
  const [admin, r] = phones.map((p) => new Shell(p.page, hub.url, p.errors));
  await admin.open("/create");
  await admin.page.locator("input[name=name]").fill("幸福里");
  await admin.page.locator("input[name=founder]").fill("周主任");
  await admin.page.getByRole("button", { name: "创建" }).tap();
  await admin.page.getByTestId("community").waitFor();
  await join(r, await admin.invite("居民", "5-501"), "陈桂兰");
  await converge([admin, r]);

  await admin.tapNav("议事");
  await admin.page.getByRole("link", { name: "安排会议" }).tap();
  await admin.page.locator("input[name=title]").fill("十二月居民议事会");
  await admin.page.locator("input[name=at]").fill("2026-12-05T19:30");
  await admin.page.locator("input[name=place]").fill("社区活动室");
  await admin.page.getByRole("button", { name: "发布会议" }).tap();
  const code = (await admin.page.getByTestId("checkin-code").innerText()).trim();
  // One date-time format: the date once, then the time.
  assert.equal(await admin.page.getByTestId("meeting-time").innerText(), "2026-12-05 19:30");
  assert.match(code, /^[2-9A-Z]{8}$/);
  await admin.screenshot("meeting-zh");
  const meetingUrl = admin.page.url();
  await converge([admin, r]);

  await r.page.goto(meetingUrl);
  await r.ready();
  await r.page.locator("input[name=code]").fill("WRONG222");
  await r.page.getByRole("button", { name: "签到" }).tap();
  await r.page.getByText("签到码不对").waitFor();
  await r.page.locator("input[name=code]").fill(code.toLowerCase());
  await r.page.getByRole("button", { name: "签到" }).tap();
  await r.page.getByTestId("checked-in").waitFor();
  await converge([admin, r]);

  await admin.page.goto(meetingUrl);
  await admin.ready();
  assert.equal(await admin.page.getByTestId("attendance").innerText(), "1");
  await admin.page.locator("textarea[name=minutes]").fill("一、通过充电桩方案；二、下月讨论停车。");
  await admin.page.getByRole("button", { name: "发布纪要" }).tap();
  await admin.page.getByTestId("minutes").waitFor();
  await admin.page.getByRole("link", { name: "打印纪要" }).tap();
  const notice = await admin.page.getByTestId("notice").innerText();
  assert.match(notice, /会议纪要/);
  assert.equal(await admin.page.getByTestId("meeting-time").innerText(), "2026-12-05 19:30 · 社区活动室");
  assert.match(notice, /通过充电桩方案/);
  for (const p of phones) {
    const real = p.errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED") && !e.includes("Failed to fetch"));
    assert.deepEqual(real, [], "no console errors");
  }
});

test("irreversible acts ask first and say what they do: withdrawing, and hiding with a reason", async () => {
  const phones = await Promise.all([0, 1].map(() => newPhone(browser)));
  const [admin, r] = phones.map((p) => new Shell(p.page, hub.url, p.errors));
  await admin.open("/create");
  await admin.page.locator("input[name=name]").fill("平安里");
  await admin.page.locator("input[name=founder]").fill("周主任");
  await admin.page.locator("input[name=min_quorum]").fill("0");
  await admin.page.locator("input[name=min_seconds]").fill("0");
  await admin.page.getByRole("button", { name: "创建" }).tap();
  await admin.page.getByTestId("community").waitFor();
  await join(r, await admin.invite("居民", "6-601"), "孙丽");

  // The resident proposes and comments twice.
  await r.tapNav("议事");
  await r.page.getByRole("link", { name: "我要提议" }).tap();
  await r.page.locator("input[name=title]").fill("小区门口设立快递柜");
  await r.page.locator("input[name=quorum]").fill("0");
  await r.page.locator("input[name=seconds]").fill("1");
  await r.page.getByRole("button", { name: "提交议题" }).tap();
  await r.page.getByTestId("seconds").waitFor();
  const url = r.page.url();
  for (const text of ["楼上装修太吵了", "快递员电话 13800000000"]) {
    await r.page.locator("textarea[name=comment]").fill(text);
    await r.page.getByRole("button", { name: "发表" }).tap();
    await r.page.getByText(text).waitFor();
  }
  await converge([admin, r]);

  // The council hides one with a reason chosen, the other with a reason typed.
  await admin.page.goto(url);
  await admin.ready();
  await admin.page.getByRole("button", { name: "隐藏" }).first().tap();
  const hiding = admin.page.getByRole("dialog", { name: "隐藏这条意见？" });
  await hiding.waitFor();
  assert.match(await hiding.innerText(), /意见不会被删除/);
  await hiding.getByRole("button", { name: "与议题无关" }).tap();
  await admin.screenshot("hide-confirm-zh");
  await admin.page.getByTestId("confirm-hide").tap();
  await admin.page.getByText("已被议事会隐藏：与议题无关").waitFor();
  await admin.page.getByRole("button", { name: "隐藏" }).first().tap();
  await hiding.getByRole("button", { name: "其他原因（请写明）" }).tap();
  await hiding.locator("input[name=reason]").fill("公开了他人的电话号码");
  await admin.page.getByTestId("confirm-hide").tap();
  await admin.page.getByText("已被议事会隐藏：公开了他人的电话号码").waitFor();
  await converge([admin, r]);

  // The proposer withdraws: asked first; cancelling changes nothing.
  await r.page.goto(url);
  await r.ready();
  await r.page.getByRole("button", { name: "撤回议题" }).tap();
  const withdrawing = r.page.getByRole("dialog", { name: "撤回这个议题？" });
  await withdrawing.waitFor();
  await withdrawing.getByRole("button", { name: "取消" }).tap();
  assert.equal(await withdrawing.count(), 0);
  assert.equal(await r.page.locator(".status").innerText(), "征集附议");
  await r.page.getByRole("button", { name: "撤回议题" }).tap();
  await r.page.getByTestId("confirm-withdraw").tap();
  await r.page.locator(".status", { hasText: "已撤回" }).waitFor();
  for (const p of phones) {
    const real = p.errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED") && !e.includes("Failed to fetch"));
    assert.deepEqual(real, [], "no console errors");
  }
});
