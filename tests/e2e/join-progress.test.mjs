// Joining the demo community (39,157 events, about 9 MB on the wire) on a slow phone: the
// network at 1.6 Mbit/s and the CPU 6× slower, through the DevTools protocol. The invitation's
// page never looks frozen: a progress bar with its counts is there within a second of the page,
// the name can be typed (and 加入 tapped) while the community downloads, the role the
// invitation grants is said, and the join completes on its own once everything is read.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Shell, invitationLink, launchBrowser, makeDemo, newPhone, startHub, throttle } from "./support.mjs";

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
});

/** The counts under the bar: { files, filesTotal, verified, total }, or null before the manifest. */
async function counts(page) {
  const text = await page.getByTestId("join-progress-counts").innerText();
  const m = /已读取文件 (\d+) \/ (\d+) · 已核验事件 (\d+) \/ (\d+)/.exec(text);
  return m && { files: +m[1], filesTotal: +m[2], verified: +m[3], total: +m[4], text };
}

test("on a slow phone the join page shows its progress at once, takes the name meanwhile and joins", async () => {
  const { context, page, errors } = await newPhone(browser);
  const app = new Shell(page, hub.url, errors);
  await throttle(context, page);
  const invite = demo.invites.find((i) => i.role === "council");
  const started = Date.now();
  await page.goto(invitationLink(hub.url, invite), { timeout: 180_000 });

  // The page appears (its code arrives over the slow network too)...
  await page.locator("h1.page__title", { hasText: "加入社区" }).waitFor({ timeout: 180_000 });
  const shown = Date.now();
  // ...and within a second a labelled progress bar with counts of files and events.
  const bar = page.getByRole("progressbar", { name: "读取社区的进度" });
  await bar.waitFor({ timeout: 1000 });
  await page.waitForFunction(
    () => /已读取文件 \d+ \/ \d+ · 已核验事件 \d+ \/ \d+/.test(document.querySelector("[data-testid=join-progress-counts]")?.innerText ?? ""),
    null,
    { timeout: Math.max(1, 1000 - (Date.now() - shown)), polling: 50 },
  );
  const barAfter = Date.now() - shown;
  const first = await counts(page);
  assert.ok(first.filesTotal >= 2, first.text);
  assert.ok(first.total >= 17_000, `the manifest's event count: ${first.text}`);
  assert.ok(first.verified < first.total, "the reading has only begun");
  assert.equal(await bar.getAttribute("max"), String(first.total));

  // The name field is there at once: type while it downloads, and tap 加入.
  const name = page.locator("input[name=name]");
  await name.fill("慢网测试");
  await page.getByRole("button", { name: "加入" }).tap();
  const queued = page.getByRole("button", { name: "读取完成后自动加入…" });
  await queued.waitFor({ timeout: 5000 });
  assert.ok(await queued.isDisabled(), "a queued join cannot be tapped twice");
  const during = await counts(page);
  assert.ok(during.verified < during.total, `typed and tapped during the download: ${during.text}`);
  await app.screenshot("join-progress-zh");

  // The counts move, the community's name and the invitation's role appear while it reads.
  await page.getByTestId("join-community").waitFor({ timeout: 180_000 });
  assert.equal(await page.getByTestId("join-community").innerText(), "幸福里社区");
  // Sampled without waiting for anything (an element that is not there yet must not hold the loop).
  const seen = [during.verified];
  let role = null;
  for (;;) {
    const now = await page.evaluate(() => ({
      counts: document.querySelector("[data-testid=join-progress-counts]")?.innerText ?? "",
      role: document.querySelector("[data-testid=join-role]")?.innerText ?? null,
      joined: !!document.querySelector("[data-testid=community][data-loaded=true]"),
    }));
    if (now.joined) break;
    const verified = /已核验事件 (\d+) \//.exec(now.counts)?.[1];
    if (verified !== undefined && +verified !== seen.at(-1)) seen.push(+verified);
    role ??= now.role;
    if (Date.now() - started > 300_000) assert.fail(`no join after 5 minutes: ${seen.join(" → ")}`);
    await page.waitForTimeout(200);
  }
  const joined = Date.now() - shown;
  assert.equal(role, "你将以议事会成员身份加入");
  assert.ok(seen.length >= 4, `the counts moved: ${seen.join(" → ")}`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1], `never backwards: ${seen.join(" → ")}`);

  // Joined as that name, as a council member, without another tap.
  assert.ok(!page.url().includes("k="), "the secret leaves the address bar");
  const home = await page.locator("main").innerText();
  assert.match(home, /议事会成员/);
  console.log(
    `join under throttling: page after ${shown - started} ms, progress bar with counts ${barAfter} ms after the page, ` +
      `joined ${joined} ms after the page; counts seen: ${seen.length} (${seen.slice(0, 6).join(", ")}, …)`,
  );
  const real = errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED"));
  assert.deepEqual(real, [], "no console errors");
});
