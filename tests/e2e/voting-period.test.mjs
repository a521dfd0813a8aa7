// 表决期限 — a ballot says when voting ends: the council chooses the period when it opens the
// ballot; the proposal, the council's list and home show the time left and the live turnout;
// ballots past their end come first for the council (the demo's, opened in March 2026); home
// shows the next council meeting. The end is display only: the close still fixes the result.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { invitationLink, launchBrowser, makeDemo, newPhone, Shell, startHub } from "./support.mjs";

let hub;
let browser;
let demo;

before(async () => {
  demo = makeDemo();
  hub = await startHub({ data: demo.data });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (process.exitCode) console.error(`hub log:\n${hub?.log.join("") ?? ""}`);
  if (hub) await hub.stop();
});

/** `YYYY-MM-DDTHH:MM` in local time, as a datetime-local input takes it. */
function localInput(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

test("voting periods: chosen at the open, time left and turnout everywhere, overdue first, next meeting on home", async () => {
  const { page, context, errors } = await newPhone(browser);
  const app = new Shell(page, hub.url, errors);
  await app.join(invitationLink(hub.url, demo.invites.find((i) => i.role === "council")), "期限测试");

  // The demo's open ballots were opened in March 2026 for a week: all past their end.
  await app.open("/council");
  const voting = page.locator("section[data-status=Voting]");
  await voting.waitFor();
  const before = await voting.locator("[data-testid=ballot-progress]").allInnerTexts();
  assert.ok(before.length >= 1, "the demo has open ballots");
  for (const row of before) assert.match(row, /^已投 \d+ \/ \d+（[\d.]+%） · 已过截止时间$/, row);

  // A proposal past its end says so, with the live turnout against the quorum.
  await voting.locator("a.plist__item").first().tap();
  await page.getByTestId("overdue").waitFor();
  assert.match(await page.getByTestId("overdue").innerText(), /等待议事会结束表决并计票/);
  assert.match(await page.getByTestId("turnout").innerText(), /^已投 \d+ \/ \d+（[\d.]+%） · 法定参与比例 \d+%$/);

  // The council opens a new ballot for 14 days.
  await app.open("/council/new");
  await page.locator("input[name=title]").fill("周末开放活动室");
  await page.locator("input[name=seconds]").fill("0");
  await page.getByRole("button", { name: "提交议题" }).tap();
  await page.waitForURL(/\/council\/[0-9a-f]{64}$/);
  await page.getByRole("button", { name: "开始表决" }).tap();
  const dialog = page.getByRole("dialog", { name: "开始表决？" });
  await dialog.waitFor();
  assert.equal(await dialog.getByRole("button", { name: "7 天" }).getAttribute("aria-pressed"), "true", "a week unless changed");
  await dialog.getByRole("button", { name: "14 天" }).tap();
  await app.screenshot("ballot-open-period-zh");
  await page.getByTestId("confirm-open").tap();
  await page.getByTestId("ends").waitFor();
  assert.match(await page.getByTestId("ends").innerText(), /^\d{4}-\d\d-\d\d \d\d:\d\d · 还剩 14 天$/);
  assert.match(await page.getByTestId("turnout").innerText(), /^已投 0 \/ \d+（0%）/);
  assert.equal(await page.getByTestId("overdue").count(), 0);

  // The council's list: the overdue ballots first, the new one (14 days left) last.
  await app.open("/council");
  await voting.waitFor();
  const titles = await voting.locator(".plist__title").allInnerTexts();
  const progress = await voting.locator("[data-testid=ballot-progress]").allInnerTexts();
  assert.equal(titles.at(-1), "周末开放活动室");
  assert.match(progress.at(-1), /还剩 14 天$/);
  assert.match(progress[0], /已过截止时间$/);
  await app.screenshot("council-list-periods-zh");

  // Home: the ballot waiting for this member's vote with its time left; after voting, the
  // turnout counts the vote.
  await app.tapNav("首页");
  const toVote = page.getByTestId("to-vote");
  await toVote.waitFor();
  const row = toVote.locator("li", { hasText: "周末开放活动室" });
  assert.match(await row.getByTestId("ballot-progress").innerText(), /^已投 0 \/ \d+（0%） · 还剩 14 天$/);
  await row.locator("a").tap();
  await page.getByRole("button", { name: "赞成" }).tap();
  await page.getByTestId("confirm-vote").tap();
  await page.getByTestId("my-vote").waitFor();
  assert.match(await page.getByTestId("turnout").innerText(), /^已投 1 \//);
  await app.tapNav("首页");
  await page.waitForFunction(() =>
    /^已投 1 \//.test(
      [...document.querySelectorAll("[data-testid=to-vote] li")]
        .find((li) => li.textContent.includes("周末开放活动室"))
        ?.querySelector("[data-testid=ballot-progress]")?.textContent ?? "",
    ),
  );

  // The next council meeting shows on home.
  assert.equal(await page.getByTestId("next-meeting").count(), 0, "the demo's meeting is long past");
  await app.open("/meetings/new");
  await page.locator("input[name=title]").fill("十二月居民议事会");
  const tomorrow = Date.now() + 86_400_000;
  await page.locator("input[name=at]").fill(localInput(tomorrow));
  await page.locator("input[name=place]").fill("党群服务中心");
  await page.getByRole("button", { name: "发布会议" }).tap();
  await page.waitForURL(/\/meetings\/[0-9a-f]{64}$/);
  await app.tapNav("首页");
  const next = page.getByTestId("next-meeting");
  await next.waitFor();
  const text = await next.innerText();
  assert.match(text, /下次议事会/);
  assert.match(text, /十二月居民议事会/);
  assert.ok(text.includes(localInput(tomorrow).replace("T", " ")), text);
  assert.match(text, /党群服务中心/);
  await app.screenshot("home-next-meeting-zh");

  // In English the time left reads as such.
  await app.open("/me");
  await app.chooseLanguage("English");
  await app.open("/");
  await page.getByTestId("to-vote").waitFor();
  const en = page.getByTestId("to-vote").locator("li", { hasText: "周末开放活动室" });
  assert.match(await en.getByTestId("ballot-progress").innerText(), /^Voted 1 of \d+ \([\d.]+%\) · 14 days left$/);
  assert.match(await page.getByTestId("next-meeting").innerText(), /Next council meeting/);

  assert.deepEqual(errors, []);
  await context.close();
});
