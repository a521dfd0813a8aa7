// The app shell at 390×844, served by the hub: five sections, language switch kept across
// reloads, offline badge, tap targets, and not one console error.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, newPhone, Shell, startHub } from "./support.mjs";

const SECTIONS = [
  { path: "/", zh: "首页", en: "Home", h1zh: "首页", h1en: "Home" },
  { path: "/council", zh: "议事", en: "Council", h1zh: "居民议事", h1en: "Resident council" },
  { path: "/points", zh: "积分", en: "Points", h1zh: "积分", h1en: "Points" },
  { path: "/volunteer", zh: "志愿", en: "Volunteer", h1zh: "志愿服务", h1en: "Volunteering" },
  { path: "/me", zh: "我的", en: "Me", h1zh: "我的", h1en: "Me" },
];

let hub;
let browser;

before(async () => {
  hub = await startHub();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (process.exitCode) console.error(`hub log:\n${hub?.log.join("") ?? ""}`);
  if (hub) assert.equal(await hub.stop(), 0, "the hub shuts down cleanly on SIGTERM");
});

test("five sections, language kept across reloads, no console errors", async () => {
  const { context, page, errors } = await newPhone(browser);
  const app = new Shell(page, hub.url, errors);

  await app.open("/");
  assert.equal(await app.htmlLang(), "zh-CN", "Chinese by default");
  assert.deepEqual(await app.navLabels(), SECTIONS.map((s) => s.zh));
  assert.equal(await app.badge(), "在线");
  await app.screenshot("home-zh");

  for (const s of SECTIONS) {
    await app.tapNav(s.zh);
    await page.waitForURL(hub.url + s.path);
    assert.equal(await app.heading(), s.h1zh, s.path);
    assert.equal(await app.currentNav(), s.zh, s.path);
    assert.deepEqual(await app.smallTapTargets(), [], `tap targets on ${s.path}`);
  }
  await app.screenshot("me-zh");

  const fontSize = await page.evaluate(() => getComputedStyle(document.body).fontSize);
  assert.ok(parseFloat(fontSize) >= 16, `base font ${fontSize}`);

  await app.chooseLanguage("English");
  assert.equal(await app.htmlLang(), "en");
  assert.equal(await app.heading(), "Me");
  assert.deepEqual(await app.navLabels(), SECTIONS.map((s) => s.en));
  await app.screenshot("me-en");

  await app.languageStored();
  await app.reload();
  assert.equal(await app.htmlLang(), "en", "English survives a reload");
  assert.equal(await app.heading(), "Me", "the deep link /me reloads into the same section");
  for (const s of SECTIONS) {
    await app.tapNav(s.en);
    await page.waitForURL(hub.url + s.path);
    assert.equal(await app.heading(), s.h1en, s.path);
  }
  await app.tapNav("Council");
  await app.screenshot("council-en");

  await app.tapNav("Me");
  await app.chooseLanguage("中文");
  assert.equal(await app.htmlLang(), "zh-CN");
  await app.languageStored();
  await app.reload();
  assert.equal(await app.htmlLang(), "zh-CN", "Chinese survives a reload too");
  assert.equal(await app.heading(), "我的");

  assert.deepEqual(errors, [], "no console errors, page errors or failed requests");
  await context.close();
});

test("deep links open their section directly", async () => {
  const { context, page, errors } = await newPhone(browser);
  const app = new Shell(page, hub.url, errors);
  for (const s of SECTIONS) {
    await app.open(s.path);
    assert.equal(await app.heading(), s.h1zh, s.path);
  }
  await app.open("/no/such/page");
  assert.equal(await app.heading(), "找不到这个页面");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the badge follows the network, and large text persists", async () => {
  const { context, page, errors } = await newPhone(browser);
  const app = new Shell(page, hub.url, errors);
  await app.open("/me");
  await context.setOffline(true);
  await page.locator(".badge--offline").waitFor();
  assert.equal(await app.badge(), "离线");
  await app.screenshot("me-offline-zh");
  await context.setOffline(false);
  await page.locator(".badge:not(.badge--offline)").waitFor();

  await page.locator("input.switch").tap();
  assert.equal(await page.locator("html").getAttribute("class"), "large-text");
  const big = await page.evaluate(() => getComputedStyle(document.body).fontSize);
  assert.ok(parseFloat(big) >= 20, `large text font ${big}`);
  await app.screenshot("me-large-zh");
  await app.reload();
  assert.equal(await page.locator("html").getAttribute("class"), "large-text", "kept across reload");
  assert.equal(await page.locator("input.switch").isChecked(), true);
  assert.deepEqual(await app.smallTapTargets(), [], "tap targets in large-text mode");
  assert.deepEqual(errors, []);
  await context.close();
});

test("without IndexedDB the app still opens and says settings will not be saved", async () => {
  const { context, page, errors } = await newPhone(browser);
  // As in some private-browsing modes: no IndexedDB at all.
  await context.addInitScript(() => {
    Object.defineProperty(window, "indexedDB", { get: () => undefined });
  });
  const app = new Shell(page, hub.url, errors);
  await app.open("/me");
  const banner = page.locator(".banner[role=alert]");
  assert.match(await banner.innerText(), /本机存储不可用/);
  assert.match(await page.locator(".card__muted").last().innerText(), /设置只在这次打开时有效/);
  await app.screenshot("me-no-storage-zh");
  await app.chooseLanguage("English");
  assert.equal(await app.htmlLang(), "en", "the choice still applies for this visit");
  assert.match(await banner.innerText(), /storage is unavailable/);
  await page.locator(".banner__close").tap();
  assert.equal(await banner.count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
