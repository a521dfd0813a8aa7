// 台账 — the monthly ledger, on the demo community as a council member: from home in one tap,
// the current month first; ‹ back through every month of the demo, whose figures add up to
// what the audit tool says of the same space (requests opened and rated, funds, points, volunteer
// minutes, every ballot, meeting and poll by id, both lists); the CSV of the busiest month (UTF-8
// with a BOM, one row per figure, the same figures as the screen); printing in one tap
// (window.print, stubbed to count the call) with the print layout (no navigation, the community
// and the month at the top, the events and the state check code at the foot — the audit's);
// a resident sees a notice instead. Screenshots for the README.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ARTIFACTS, hubBin, invitationLink, launchBrowser, makeDemo, newPhone, Shell, startHub } from "./support.mjs";

let demo;
let hub;
let browser;

before(async () => {
  demo = makeDemo();
  hub = await startHub({ data: demo.data });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (process.exitCode) console.error(`hub log:\n${hub?.log.join("") ?? ""}`);
  if (hub) await hub.stop();
  if (demo) rmSync(demo.data, { recursive: true, force: true });
});

/** `year × 12 + month − 1` of a `YYYY-MM`, and back. */
const monthOf = (s) => Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7)) - 1;
const param = (m) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
/** The first ms of a month in UTC+8. */
const monthStart = (m) => Date.UTC(Math.floor(m / 12), m % 12, 1) - 8 * 3_600_000;

/** Every figure on the screen: { section, key, id, raw, label, value }. */
function figures(page) {
  return page.$$eval("[data-testid^=ledger-] .ledger__figure", (els) =>
    els.map((el) => ({
      section: el.closest("section").dataset.testid.replace("ledger-", ""),
      key: el.dataset.k,
      id: el.dataset.id,
      raw: Number(el.dataset.v),
      label: el.querySelector("dt").innerText,
      value: el.querySelector("dd").innerText,
    })),
  );
}

test("the monthly ledger: from the log alone, the audit's figures, a CSV, printed in one tap", async () => {
  const { page, errors } = await newPhone(browser);
  const app = new Shell(page, hub.url, errors);
  await app.join(invitationLink(hub.url, demo.invites.find((i) => i.role === "council")), "台账测试");
  // From home: one tap to the ledger, which opens on the current month.
  let taps = 0;
  await page.getByRole("link", { name: "台账" }).tap();
  taps++;
  await page.getByTestId("ledger").waitFor();
  const now = Date.now();
  const thisMonth = (() => {
    const d = new Date(now + 8 * 3_600_000);
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  })();
  assert.equal(await page.getByTestId("ledger").getAttribute("data-month"), param(thisMonth));
  assert.equal(await page.getByTestId("next-month").count(), 0, "no month after this one");

  // Back month by month to the demo's founding (March 2025), adding every month up.
  const first = 2025 * 12 + 2;
  const months = new Map();
  for (let m = thisMonth; ; m--) {
    await page.locator(`[data-testid=ledger][data-month="${param(m)}"]`).waitFor();
    months.set(m, await figures(page));
    if (m === first) break;
    await page.getByTestId("prev-month").tap();
  }
  // The foot: how many events, and the state check code (computed once the phone has stored
  // what it read, which takes a while on a busy machine).
  const foot = page.getByTestId("ledger-foot").getByText(/状态校验码 [0-9a-f]{12}/);
  await foot.waitFor({ timeout: 180_000 });
  const [, events, hash] = /根据 (\d+) 条事件生成 · 状态校验码 ([0-9a-f]{12})/.exec(await foot.innerText());
  // The audit of the same space, once the hub has this phone's join too.
  let audit;
  for (let tries = 0; ; tries++) {
    const out = execFileSync(hubBin(), ["audit", `${hub.url}/spaces/${demo.space}`, "--json"], { maxBuffer: 1 << 30 });
    audit = JSON.parse(out.toString());
    if (audit.events.accepted + audit.events.rejected === Number(events) || tries > 30) break;
    await page.waitForTimeout(2000);
  }
  assert.equal(audit.events.accepted + audit.events.rejected, Number(events));
  assert.equal(hash, audit.state_hash, "the audit prints the same state check code");

  const all = [...months.values()].flat();
  const sum = (key) => all.filter((f) => f.key === key).reduce((n, f) => n + f.raw, 0);
  const lines = (key) => all.filter((f) => f.key === key);

  // Requests: every one opened in some month; every rating, and the 4–5 star ones.
  assert.equal(sum("opened"), audit.requests.length);
  assert.equal(sum("ratings"), audit.requests.filter((r) => r.stars !== null).length);
  assert.equal(sum("satisfied"), audit.requests.filter((r) => r.stars >= 4).length);
  // Funds: the months' income and spending are the audit's totals.
  assert.equal(sum("income"), audit.funds.income_fen);
  assert.equal(sum("spending"), audit.funds.spending_fen);
  // Points: every counted entry dated in some month.
  const counted = audit.points.entries.filter((e) => e.status === "counted");
  assert.equal(sum("entries"), counted.length);
  assert.equal(sum("awarded"), counted.filter((e) => e.amount > 0).reduce((n, e) => n + e.amount, 0));
  assert.equal(sum("deducted"), -counted.filter((e) => e.amount < 0).reduce((n, e) => n + e.amount, 0));
  // Volunteer minutes: the audit's per volunteer, the ledger's per activity.
  assert.equal(sum("hours"), audit.volunteers.reduce((n, v) => n + v.minutes, 0));
  // Every decided ballot once, with the audit's turnout; every meeting with its check-ins;
  // every closed poll with its answers.
  const decided = audit.ballots.filter((b) => b.outcome);
  assert.ok(decided.length > 0);
  assert.deepEqual(
    lines("ballot").map((f) => [f.id, f.raw]).sort(),
    decided.map((b) => [b.proposal, b.cast]).sort(),
  );
  for (const f of lines("ballot")) {
    const b = decided.find((x) => x.proposal === f.id);
    assert.ok(f.value.endsWith(` ${b.cast}/${b.eligible}`), f.value);
  }
  assert.deepEqual(
    lines("meeting").map((f) => [f.id, f.raw]).sort(),
    audit.meetings.map((m) => [m.id, m.attendance.length]).sort(),
  );
  const polls = lines("poll");
  assert.ok(polls.length >= 10, `${polls.length} polls closed`);
  for (const f of polls) {
    assert.equal(f.raw, audit.polls.find((p) => p.poll === f.id).answered, f.label);
  }
  // Each poll's options follow it, with the audit's counts.
  for (const fs of months.values()) {
    fs.forEach((f, i) => {
      if (f.key !== "poll") return;
      const counts = audit.polls.find((p) => p.poll === f.id).counts;
      assert.deepEqual(fs.slice(i + 1, i + 1 + counts.length).map((o) => [o.key, o.raw]), counts.map((n) => ["option", n]));
    });
  }
  // Both lists as they stand: the red list now, the black list visible by the month's end.
  const current = months.get(thisMonth);
  const figure = (fs, key) => fs.find((f) => f.key === key);
  assert.equal(figure(current, "red_list").raw, audit.points.red_list.length);
  assert.equal(
    figure(current, "black_list").raw,
    audit.points.black_list.filter((b) => b.visible_from < monthStart(thisMonth + 1)).length,
  );

  // The busiest month (the most requests opened), from the address.
  const [busiest] = [...months].sort((a, b) => figure(b[1], "opened").raw - figure(a[1], "opened").raw || a[0] - b[0])[0];
  await app.open(`/ledger?m=${param(busiest)}`);
  await page.locator(`[data-testid=ledger][data-month="${param(busiest)}"]`).waitFor();
  const shown = await figures(page);
  assert.deepEqual(shown, months.get(busiest));
  await page.getByTestId("ledger-foot").getByText(`状态校验码 ${hash}`).waitFor({ timeout: 60_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await app.screenshot("ledger-zh");

  // 下载 CSV: UTF-8 with a BOM, a header, one row per figure.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("csv").tap({ timeout: 60_000 })]);
  assert.equal(download.suggestedFilename(), `台账-${param(busiest)}.csv`);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "a BOM first");
  const rows = bytes.toString("utf8").slice(1).split("\r\n").filter(Boolean);
  assert.equal(rows[0], "栏目,项目,数值");
  assert.equal(rows[2], `台账,events,${events}`);
  assert.equal(rows[3], `台账,state_hash,${hash}`);
  assert.equal(rows.length, 4 + shown.length);
  const unquote = (s) => (s.startsWith('"') ? s.slice(1, -1).replaceAll('""', '"') : s);
  const income = shown.find((f) => f.key === "income");
  assert.ok(rows.includes(`资金,${unquote(income.label)},${income.value}`), `${income.label} ${income.value}`);
  const opened = shown.find((f) => f.key === "opened");
  assert.ok(rows.includes(`求助,新求助,${opened.raw}`));

  // 打印台账: one tap on the ledger calls window.print once.
  await page.evaluate(() => {
    window.__printed = 0;
    window.print = () => {
      window.__printed++;
    };
  });
  let printTaps = 0;
  await page.getByTestId("print").tap();
  printTaps++;
  assert.equal(await page.evaluate(() => window.__printed), 1);
  assert.equal(printTaps, 1);
  // Taps from home to the printed ledger of this month: 台账, 打印台账.
  assert.equal(taps + printTaps, 2);

  // The print layout: the same page without the app around it.
  await page.emulateMedia({ media: "print" });
  for (const hidden of ["nav.nav", "header.topbar", "[data-testid=print]", "[data-testid=csv]", "[data-testid=prev-month]"]) {
    assert.equal(await page.locator(hidden).isVisible(), false, `${hidden} is not printed`);
  }
  assert.equal(await page.locator("h1.page__title").innerText(), `${param(busiest).replace(/^(\d+)-0?(\d+)$/, "$1年$2月")}工作台账`);
  assert.equal(await page.locator(".ledger__org").innerText(), audit.name);
  assert.ok(await page.getByTestId("ledger-foot").isVisible());
  assert.equal(await page.locator("[data-testid^=ledger-].ledger__section").count(), 6);
  await page.screenshot({ path: join(ARTIFACTS, "ledger-print-zh.png"), fullPage: true });
  await page.emulateMedia({ media: "screen" });

  // 求助's overdue view: every request someone took and has not resolved is long overdue by
  // now (the demo's year ended months ago), each with who has it.
  await app.open("/help");
  const late = page.getByTestId("late");
  const taken = audit.requests.filter((r) => r.status === "taken").length;
  assert.ok(taken > 0);
  await late.getByRole("heading", { name: `超时未办结（${taken}）` }).waitFor();
  assert.equal(await late.getByTestId("request-row").count(), taken);
  assert.equal(await late.getByTestId("owner").count(), taken, "who has each");

  // In English.
  await app.open("/me");
  await app.chooseLanguage("English");
  await app.open(`/ledger?m=${param(busiest)}`);
  await page.getByRole("heading", { name: /Monthly ledger, / }).waitFor();
  await page.getByTestId("ledger-foot").getByText(/state check code [0-9a-f]{12}/).waitFor({ timeout: 60_000 });
  await app.screenshot("ledger-en");
  assert.deepEqual(errors, []);
});

test("a resident sees a notice: the ledger is for community workers", async () => {
  const { page, errors } = await newPhone(browser);
  const app = new Shell(page, hub.url, errors);
  await app.join(invitationLink(hub.url, demo.invites.find((i) => i.role === "resident")), "居民甲");
  assert.equal(await page.getByRole("link", { name: "台账" }).count(), 0, "no link on a resident's home");
  await app.open("/ledger");
  await page.getByTestId("staff-only").waitFor();
  assert.equal(await page.getByTestId("ledger").count(), 0);
  assert.deepEqual(errors, []);
});
