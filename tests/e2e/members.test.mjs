// 成员名单 in the demo community (5,000+ members) at 390×844: a council member searches by
// name and by household, filters by role with the counts per role, and pages forward; a
// resident sees masked names only, never a household, and searching a full name or a
// household finds nobody.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { invitationLink, launchBrowser, makeDemo, newPhone, Shell, startHub } from "./support.mjs";

let demo;
let hub;
let browser;
/** What the council member saw of one resident: the full name and the household. */
let seen;

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

/** Joins the demo with the first invitation of `role`, then opens 成员名单 from the home screen. */
async function membersAs(role, name) {
  const phone = await newPhone(browser);
  const app = new Shell(phone.page, hub.url, phone.errors);
  await app.join(invitationLink(hub.url, demo.invites.find((i) => i.role === role)), name);
  await phone.page.getByRole("link", { name: "成员名单" }).tap();
  await phone.page.locator("[data-testid=members] li").first().waitFor();
  return { ...phone, app };
}

/** The role chips as { label: count }, e.g. { 全部: 5021, 居民: 5001, … }. */
async function chips(page) {
  const texts = await page.locator(".members__chip").allInnerTexts();
  return Object.fromEntries(
    texts.map((t) => {
      const m = /^(.+?)\s+(\d+)$/.exec(t.trim());
      assert.ok(m, `a chip reads "role count": ${t}`);
      return [m[1], Number(m[2])];
    }),
  );
}

/** Types a search; the page is computed as the input event is handled, drawn by the next frames. */
async function search(page, text) {
  await page.locator("input[name=q]").fill(text);
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
}

async function rows(page) {
  return page.$$eval("[data-testid=members] li", (lis) =>
    lis.map((li) => ({
      name: li.querySelector(".members__name").firstChild.textContent.trim(),
      household: li.querySelector(".members__household")?.textContent.replace(/^户号\s*/, "") ?? null,
      role: li.querySelector(".members__role").textContent.trim(),
    })),
  );
}

test("a council member searches by name and household, filters by role and pages forward", async () => {
  const { page, app, errors } = await membersAs("council", "名单测试");
  assert.match(await page.locator(".intro").innerText(), /能看到全名和户号/);

  // The counts per role add up to everyone, and the first page says how many pages.
  const counts = await chips(page);
  assert.ok(counts["全部"] > 5000, JSON.stringify(counts));
  assert.equal(counts["管理员"] + counts["议事会成员"] + counts["网格员"] + counts["居民"], counts["全部"]);
  assert.equal(counts["网格员"], 12);
  assert.equal(await page.getByTestId("members-count").innerText(), `共 ${counts["全部"]} 人`);
  const pages = Math.ceil(counts["全部"] / 50);
  assert.equal(await page.getByTestId("members-page").innerText(), `第 1 / ${pages} 页`);
  assert.equal((await rows(page)).length, 50);

  // Filter: the grid workers, all twelve on one page.
  await page.locator(".members__chip", { hasText: "网格员" }).tap();
  await page.waitForFunction(() => document.querySelector("[data-testid=members-count]").innerText === "共 12 人");
  const workers = await rows(page);
  assert.equal(workers.length, 12);
  assert.ok(workers.every((r) => r.role === "网格员"), JSON.stringify(workers));
  assert.equal((await page.locator(".members__chip[aria-pressed=true]").innerText()).replace(/\s+/g, " "), "网格员 12");
  assert.equal(await page.getByTestId("members-page").count(), 0, "one page: no pager");

  // Residents, page forward: a new page of names, the pager says where it is.
  await page.locator(".members__chip", { hasText: "居民" }).tap();
  await page.waitForFunction((n) => document.querySelector("[data-testid=members-count]").innerText === `共 ${n} 人`, counts["居民"]);
  const first = await rows(page);
  await page.getByRole("button", { name: "下一页" }).tap();
  await page.waitForFunction(() => document.querySelector("[data-testid=members-page]").innerText.startsWith("第 2 /"));
  const second = await rows(page);
  assert.equal(second.length, 50);
  assert.ok(second.every((r) => r.role === "居民"));
  assert.ok(!second.some((r) => first.some((f) => f.name === r.name && f.household === r.household)), "a new page");
  assert.ok(await page.getByRole("button", { name: "上一页" }).isEnabled());
  assert.equal(await page.evaluate(() => scrollY), 0, "a new page starts at the top");
  await app.screenshot("members-council-zh");

  // Staff see full names (no stars) and households.
  const resident = second.find((r) => r.household && !r.name.includes("*") && [...r.name].length >= 3);
  assert.ok(resident, `a resident with a full name and a household: ${JSON.stringify(second.slice(0, 3))}`);
  seen = resident;

  // Search by name: the resident is found (with the filter still on 居民), back on page 1.
  await search(page, resident.name);
  const byName = await rows(page);
  assert.ok(byName.some((r) => r.name === resident.name && r.household === resident.household), JSON.stringify(byName));
  assert.ok(byName.every((r) => r.name.includes(resident.name)));
  const afterSearch = await chips(page);
  assert.ok(afterSearch["全部"] >= 1 && afterSearch["全部"] < counts["全部"], JSON.stringify(afterSearch));

  // Search by household.
  await search(page, resident.household);
  const byHousehold = await rows(page);
  assert.ok(byHousehold.some((r) => r.name === resident.name), JSON.stringify(byHousehold));
  assert.ok(byHousehold.every((r) => r.household.includes(resident.household) || r.name.includes(resident.household)));

  // Nobody: said so.
  await search(page, "没有这个人");
  assert.equal(await page.getByTestId("members-count").innerText(), "没有找到符合的成员");
  assert.deepEqual(await app.smallTapTargets(), [], "every tap target at least 44 px");
  assert.deepEqual(errors, []);
});

test("a resident sees masked names only: no households, and no full name or household finds anyone", async () => {
  assert.ok(seen, "the council member's test ran first");
  const { page, app, errors } = await membersAs("resident", "张三丰");
  assert.match(await page.locator(".intro").innerText(), /打码/);
  assert.equal(await page.locator(".members__household").count(), 0);
  const shown = await rows(page);
  assert.equal(shown.length, 50);
  // 张*明, 王*: the first character, stars, and the last (a one- or two-character name ends in a star).
  assert.ok(shown.every((r) => /^.\*+.?$/u.test(r.name) && r.household === null), JSON.stringify(shown.slice(0, 5)));
  assert.match(await page.locator("input[name=q]").evaluate((el) => el.closest("label").innerText), /打码/);

  // The resident's own row is marked 我, masked too.
  await search(page, "张*丰");
  const me = await rows(page);
  assert.ok(me.some((r) => r.name === "张*丰"), JSON.stringify(me));
  assert.equal(await page.locator(".members__me").count(), 1);

  // A full name, a household, a hidden middle: nothing, and the page never holds them.
  for (const secret of [seen.name, seen.household, "三丰"]) {
    await search(page, secret);
    assert.equal(await page.getByTestId("members-count").innerText(), "没有找到符合的成员", `searching ${secret}`);
    assert.deepEqual(Object.values(await chips(page)), [0, 0, 0, 0, 0]);
  }
  await search(page, "");
  for (let i = 0; i < 3; i++) {
    const html = await page.content();
    assert.ok(!html.includes(seen.name), "the full name is nowhere on the page");
    assert.ok(!html.includes(seen.household), "the household is nowhere on the page");
    await page.getByRole("button", { name: "下一页" }).tap();
  }
  // The first character of the masked name still finds it (what a resident can see).
  const masked = [...seen.name][0];
  await search(page, masked);
  assert.ok((await rows(page)).every((r) => r.name.startsWith(masked) || r.name.endsWith(masked)));
  await page.evaluate(() => scrollTo(0, 0));
  await app.screenshot("members-resident-zh");
  assert.deepEqual(await app.smallTapTargets(), []);
  assert.deepEqual(errors, []);
});
