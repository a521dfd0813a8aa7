// 志愿, as the "done when" asks: a worker posts an activity with 2 slots and a wait
// list and assigns the matcher's suggestion in one tap; a third volunteer waits and moves up
// when one withdraws; volunteers check in by the worker's QR code (pasted here: headless
// Chromium has no camera) after the app refuses a code of another activity, an expired code
// and a phone whose clock is off; they check out; the worker confirms the roster's hours in
// a few taps (counted); the volunteers' phones, the worker's and the audit tool show the same
// hours and points. All phones in China's time zone, their clocks set by the test.
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

const CST = { timezoneId: "Asia/Shanghai" };
/** A Saturday in China: 2026-12-05 at `hhmm`. */
const sat = (hhmm) => new Date(`2026-12-05T${hhmm}:00+08:00`);

async function at(phones, hhmm) {
  for (const p of phones) await p.page.clock.setFixedTime(sat(hhmm));
}

/** 我的志愿者资料: 助老, free on Saturday mornings. */
async function profile(app) {
  await app.open("/volunteer/profile");
  await app.page.getByTestId("skills").getByRole("button", { name: "助老" }).tap();
  await app.page.getByRole("button", { name: "六 上午" }).tap();
  await app.page.locator("input[name=grid]").fill("3网格");
  await app.page.getByRole("button", { name: "保存" }).tap();
  await app.page.getByTestId("profile-saved").waitFor();
}

test("an activity filled by the matcher, a wait list that moves up, check-in by QR, hours in a few taps", async () => {
  const phones = [];
  for (let i = 0; i < 4; i++) phones.push(await newPhone(browser, CST));
  await at(phones, "07:00");
  const [a, b, c, d] = phones;
  const worker = new Shell(a.page, hub.url, a.errors);
  const [vb, vc, vd] = [b, c, d].map((p) => new Shell(p.page, hub.url, p.errors));

  await worker.open("/create");
  await a.page.locator("input[name=name]").fill("志愿流程社区");
  await a.page.locator("input[name=founder]").fill("周社工");
  await a.page.getByRole("button", { name: "创建" }).tap();
  await a.page.getByTestId("community").waitFor();
  const links = [];
  for (const h of ["B-1", "C-1", "D-1"]) links.push(await worker.invite("居民", h));
  const space = (links[0].match(/s=([0-9a-f]{64})/) ?? [])[1];
  await worker.open("/points/rules");
  await worker.addRule("志愿服务", 10, "红榜");
  await worker.syncNow();
  await vb.join(links[0], "吴阿姨");
  await vc.join(links[1], "郑师傅");
  await vd.join(links[2], "孙老师");
  await profile(vb);
  await profile(vc);
  for (const v of [vb, vc]) await v.syncNow();
  await worker.syncNow();

  // The worker posts the activity: Saturday 09:00–11:00, 2 slots, 助老, the points rule, a
  // wait list.
  await worker.open("/volunteer/new");
  await a.page.locator("input[name=title]").fill("助老探访");
  await a.page.locator("input[name=place]").fill("3栋活动室");
  await a.page.locator("input[name=date]").fill("2026-12-05");
  await a.page.locator("input[name=from]").fill("09:00");
  await a.page.locator("input[name=to]").fill("11:00");
  await a.page.locator("input[name=slots]").fill("2");
  await a.page.getByRole("button", { name: "助老", exact: true }).tap();
  await a.page.getByRole("button", { name: "发布" }).tap();
  await a.page.getByTestId("activity").waitFor();
  const activityUrl = new URL(a.page.url()).pathname;

  // The matcher ranks both volunteers, with reasons, and suggests both: one tap assigns them.
  const match = a.page.getByTestId("match");
  await assert.doesNotReject(match.getByText("吴阿姨").waitFor());
  assert.equal(await match.getByTestId("candidate").count(), 2);
  assert.match(await match.innerText(), /有特长：助老.*时间合适.*还没服务过/s);
  await match.evaluate((el) => el.scrollIntoView());
  await worker.screenshot("volunteer-match-zh");
  await match.getByRole("button", { name: "按建议安排 2 人" }).tap();
  await a.page.getByTestId("slots").getByText("已报 2/2 人").waitFor();
  await worker.syncNow();

  // A third volunteer waits; one withdraws; the third moves up.
  await vd.syncNow();
  await vd.open(activityUrl);
  await d.page.getByTestId("signup").getByText("报名候补").tap();
  await d.page.getByTestId("mine").getByText("已排入候补第 1 位").waitFor();
  await vd.screenshot("volunteer-waitlist-zh");
  await vd.syncNow();
  await vc.syncNow();
  await vc.open(activityUrl);
  await c.page.getByTestId("withdraw").tap();
  await c.page.getByTestId("confirm-withdraw").tap();
  await c.page.getByTestId("signup").waitFor();
  await vc.syncNow();
  await vd.syncNow();
  await vd.open(activityUrl);
  await d.page.getByTestId("mine").getByText("报名成功").waitFor();

  // On the day: the worker's QR code; the volunteers paste it.
  await at(phones, "08:50");
  await worker.syncNow();
  await worker.open(activityUrl);
  const code = await a.page.getByTestId("checkin-code").innerText();
  assert.match(code, /^linli:checkin:[0-9a-f]{64}:\d+$/);
  await a.page.getByTestId("checkin-qr").evaluate((el) => el.scrollIntoView());
  await worker.screenshot("volunteer-activity-staff-zh");
  const checkin = async (app, text) => {
    await app.open(activityUrl);
    await app.page.locator("textarea[name=checkin-code]").fill(text);
    await app.page.getByTestId("checkin").getByRole("button", { name: "签到", exact: true }).tap();
  };
  // Another activity's code, an expired code, a phone 20 minutes behind: refused, nothing signed.
  await checkin(vb, code.replace(/checkin:[0-9a-f]{64}/, `checkin:${"ab".repeat(32)}`));
  await b.page.getByTestId("checkin-refused").getByText("这是另一个活动的签到码").waitFor();
  await b.page.clock.setFixedTime(sat("09:05"));
  await checkin(vb, code);
  await b.page.getByTestId("checkin-refused").getByText("签到码已过期").waitFor();
  await b.page.clock.setFixedTime(sat("08:30"));
  await checkin(vb, code);
  await b.page.getByTestId("checkin-refused").getByText("手机时间与社工的相差 20 分钟").waitFor();
  await vb.screenshot("volunteer-clock-off-zh");
  await b.page.clock.setFixedTime(sat("08:51"));
  await checkin(vb, code);
  await b.page.getByTestId("checked-in").waitFor();
  await d.page.clock.setFixedTime(sat("08:52"));
  await checkin(vd, code);
  await d.page.getByTestId("checked-in").waitFor();

  await at(phones, "11:02");
  for (const [p, v] of [[b, vb], [d, vd]]) {
    await v.open(activityUrl);
    await p.page.getByTestId("checkout").tap();
    await p.page.getByTestId("checked-out").waitFor();
    await v.syncNow();
  }
  await worker.syncNow();

  // Hours for the roster, prefilled from check-in to check-out (08:51/08:52 → 11:02: 130 min);
  // the taps from home are counted.
  await worker.open("/");
  let taps = 0;
  const tap = async (locator) => {
    taps += 1;
    await locator.tap();
  };
  await tap(a.page.locator("nav.nav").getByRole("link", { name: "志愿", exact: true }));
  await tap(a.page.getByTestId("to-confirm").getByRole("link", { name: "确认服务时长" }));
  await a.page.getByTestId("hours-row").first().waitFor();
  const minutes = await a.page.locator("input[name=minutes]").evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(minutes, ["130", "130"]);
  await worker.screenshot("volunteer-hours-zh");
  await tap(a.page.getByTestId("hours-submit"));
  await tap(a.page.getByTestId("confirm-hours"));
  await a.page.getByTestId("hours-saved").getByText("已确认 2 人的时长").waitFor();
  assert.ok(taps <= 12, `${taps} taps`);
  console.log(`hours for the roster: ${taps} taps from home`);
  await worker.syncNow();

  // The volunteers' phones: 130 minutes = 2.2 hours, ⌊10 × 130 / 60⌋ = 21 points.
  for (const v of [vb, vd]) {
    await v.syncNow();
    await v.open("/volunteer");
    await v.page.getByTestId("my-hours-total").getByText("2.2 小时 · 1 次活动 · 换得 21 分").waitFor();
    await v.open("/points");
    assert.equal(await v.page.getByTestId("balance").innerText(), "21");
  }
  await vb.open("/volunteer");
  await vb.screenshot("volunteer-my-hours-zh");

  // The audit tool agrees.
  const audit = JSON.parse(execFileSync(hubBin(), ["audit", `${hub.url}/spaces/${space}`, "--json"]).toString());
  assert.equal(audit.rejections.length, 0, JSON.stringify(audit.rejections));
  assert.equal(audit.activities.length, 1);
  assert.equal(audit.activities[0].confirmed.length, 2);
  assert.deepEqual(audit.activities[0].waitlist, []);
  assert.deepEqual(audit.volunteers.map((x) => [x.minutes, x.activities]), [[130, 1], [130, 1]]);
  assert.deepEqual(audit.points.balances.map((x) => x.balance), [21, 21]);
  for (const p of phones) assert.deepEqual(p.errors, []);
});

test("hours for a roster of ten in at most 12 taps from home", async () => {
  const w = await newPhone(browser, CST);
  await w.page.clock.setFixedTime(sat("07:00"));
  const worker = new Shell(w.page, hub.url, w.errors);
  await worker.open("/create");
  await w.page.locator("input[name=name]").fill("十人社区");
  await w.page.locator("input[name=founder]").fill("何社工");
  await w.page.getByRole("button", { name: "创建" }).tap();
  await w.page.getByTestId("community").waitFor();
  const links = [];
  for (let i = 0; i < 10; i++) links.push(await worker.invite("居民", `E-${i}`));
  const space = (links[0].match(/s=([0-9a-f]{64})/) ?? [])[1];
  await worker.open("/points/rules");
  await worker.addRule("志愿服务", 10, "红榜");
  await worker.open("/volunteer/new");
  await w.page.locator("input[name=title]").fill("社区大扫除");
  await w.page.locator("input[name=date]").fill("2026-12-05");
  await w.page.locator("input[name=from]").fill("09:00");
  await w.page.locator("input[name=to]").fill("11:00");
  await w.page.locator("input[name=slots]").fill("10");
  await w.page.getByRole("button", { name: "发布" }).tap();
  await w.page.getByTestId("activity").waitFor();
  const activityUrl = new URL(w.page.url()).pathname;
  await worker.syncNow();

  // Ten neighbours sign up on their own phones; nobody checks in, so every row is prefilled
  // with the activity's length (2 h).
  for (let i = 0; i < 10; i++) {
    const p = await newPhone(browser, CST);
    await p.page.clock.setFixedTime(sat("07:00"));
    const v = new Shell(p.page, hub.url, p.errors);
    await v.join(links[i], `邻居${i}`);
    await v.open(activityUrl);
    await p.page.getByTestId("signup").tap();
    await p.page.getByTestId("mine").getByText("报名成功").waitFor();
    await v.syncNow();
    assert.deepEqual(p.errors, []);
    await p.context.close();
  }
  await worker.syncNow();

  await w.page.clock.setFixedTime(sat("11:30"));
  await worker.open("/");
  let taps = 0;
  const tap = async (locator) => {
    taps += 1;
    await locator.tap();
  };
  await tap(w.page.locator("nav.nav").getByRole("link", { name: "志愿", exact: true }));
  await tap(w.page.getByTestId("to-confirm").getByRole("link", { name: "确认服务时长" }));
  await w.page.getByTestId("hours-row").nth(9).waitFor();
  // One came late: the worker corrects their minutes (typing is not a tap; focusing is).
  const late = w.page.locator("input[name=minutes]").nth(3);
  await tap(late);
  await late.fill("90");
  await tap(w.page.getByTestId("hours-submit"));
  await tap(w.page.getByTestId("confirm-hours"));
  await w.page.getByTestId("hours-saved").getByText("已确认 10 人的时长").waitFor({ timeout: 60_000 });
  console.log(`hours for a roster of ten: ${taps} taps from home`);
  assert.ok(taps <= 12, `${taps} taps from home`);
  await worker.syncNow();

  const audit = JSON.parse(execFileSync(hubBin(), ["audit", `${hub.url}/spaces/${space}`, "--json"]).toString());
  assert.equal(audit.rejections.length, 0, JSON.stringify(audit.rejections));
  const minutes = audit.volunteers.map((x) => x.minutes).sort((x, y) => x - y);
  assert.deepEqual(minutes, [90, 120, 120, 120, 120, 120, 120, 120, 120, 120]);
  const balances = audit.points.balances.map((x) => x.balance).sort((x, y) => x - y);
  assert.deepEqual(balances, [15, 20, 20, 20, 20, 20, 20, 20, 20, 20]);
  assert.deepEqual(w.errors, []);
});

test("two phones take the last place, one offline: the order decides and the other is told why", async () => {
  const w = await newPhone(browser, CST);
  const pb = await newPhone(browser, CST);
  const pc = await newPhone(browser, CST);
  for (const p of [w, pb, pc]) await p.page.clock.setFixedTime(sat("07:00"));
  const worker = new Shell(w.page, hub.url, w.errors);
  const [vb, vc] = [pb, pc].map((p) => new Shell(p.page, hub.url, p.errors));
  await worker.open("/create");
  await w.page.locator("input[name=name]").fill("抢名额社区");
  await w.page.locator("input[name=founder]").fill("钱社工");
  await w.page.getByRole("button", { name: "创建" }).tap();
  await w.page.getByTestId("community").waitFor();
  const links = [await worker.invite("居民", "F-1"), await worker.invite("居民", "F-2")];
  const space = (links[0].match(/s=([0-9a-f]{64})/) ?? [])[1];
  await worker.open("/volunteer/new");
  await w.page.locator("input[name=title]").fill("义诊引导");
  await w.page.locator("input[name=date]").fill("2026-12-05");
  await w.page.locator("input[name=from]").fill("09:00");
  await w.page.locator("input[name=to]").fill("11:00");
  await w.page.locator("input[name=slots]").fill("1");
  await w.page.locator("input[name=waitlist]").uncheck();
  await w.page.getByRole("button", { name: "发布" }).tap();
  await w.page.getByTestId("activity").waitFor();
  const activityUrl = new URL(w.page.url()).pathname;
  await worker.syncNow();
  await vb.join(links[0], "冯大哥");
  await vc.join(links[1], "陈大姐");
  await vc.open(activityUrl);
  await pc.context.setOffline(true);
  await pc.page.getByTestId("signup").tap();
  await pc.page.getByTestId("mine").getByText("报名成功").waitFor();
  await vb.open(activityUrl);
  await pb.page.getByTestId("signup").tap();
  await pb.page.getByTestId("mine").getByText("报名成功").waitFor();
  await vb.syncNow();
  await pc.context.setOffline(false);
  await vc.syncNow();
  await vb.syncNow();

  // One place, two sign-ups: the total order confirms one; the other phone says why.
  const confirmed = [];
  for (const v of [vb, vc]) {
    await v.open(activityUrl);
    await v.page.getByTestId("slots").getByText("已报 1/1 人").waitFor();
    confirmed.push((await v.page.getByTestId("mine").count()) === 1);
  }
  assert.equal(confirmed.filter(Boolean).length, 1, "one phone confirmed, the other not");
  const loser = confirmed[0] ? vc : vb;
  await loser.open(activityUrl);
  await loser.page.getByTestId("refused").getByText("你的报名没有成功：名额已满").waitFor();
  await loser.screenshot("volunteer-refused-zh");
  const audit = JSON.parse(execFileSync(hubBin(), ["audit", `${hub.url}/spaces/${space}`, "--json"]).toString());
  assert.deepEqual(audit.rejections.map((r) => r.code), ["activity_full"]);
  assert.equal(audit.activities[0].confirmed.length, 1);
  // The offline phone's failed pushes are the only errors.
  const offline = (e) => e.includes("ERR_INTERNET_DISCONNECTED") || e.includes("Failed to fetch");
  for (const p of [w, pb, pc]) assert.deepEqual(p.errors.filter((e) => !offline(e)), []);
});
