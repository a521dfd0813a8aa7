// A deploy while phones have the app open: a tab never mixes parts of two builds. A tab whose
// service worker precached its build keeps opening new screens from that build; a tab
// without one (the worker blocked, or not installed yet) finds its parts gone, says that Linli
// was updated and reloads cleanly into the new build; and a reload takes the new build.
//
// The "new build" is the current one with every content-hashed file renamed (and the
// references to them rewritten): to the browser it is a different build, as a real deploy is.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launchBrowser, newPhone, precached, ROOT, Shell, startHub } from "./support.mjs";

let hub;
let browser;
let dist;

before(async () => {
  dist = mkdtempSync(join(tmpdir(), "linli-deploy-"));
  cpSync(join(ROOT, "dist"), dist, { recursive: true });
  process.env.LINLI_DIST = dist;
  hub = await startHub();
  delete process.env.LINLI_DIST;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (process.exitCode) console.error(`hub log:\n${hub?.log.join("") ?? ""}`);
  if (hub) await hub.stop();
  rmSync(dist, { recursive: true, force: true });
});

/** Renames every hashed file of the build in `dir` and rewrites what names them. */
function deploy(dir) {
  const parts = JSON.parse(readFileSync(join(dir, "parts.json"), "utf8"));
  const renames = new Map();
  for (const f of parts.files) {
    const m = /^\/(.+-)([0-9a-f]{8,16})((?:_bg)?\.(?:js|wasm))$/.exec(f);
    if (m) renames.set(f.slice(1), `${m[1]}${[...m[2]].reverse().join("")}${m[3]}`);
  }
  const rewrite = (file) => {
    let text = readFileSync(join(dir, file), "utf8");
    for (const [from, to] of renames) text = text.replaceAll(from, to);
    writeFileSync(join(dir, file), text);
  };
  rewrite("index.html");
  for (const f of renames.keys()) if (f.endsWith(".js")) rewrite(f);
  const build = [...parts.build].reverse().join("");
  let html = readFileSync(join(dir, "index.html"), "utf8");
  // The rewritten scripts no longer match their integrity hashes; a real build has new ones.
  html = html.replace(/ integrity="[^"]*"/g, "").replace(parts.build, build);
  writeFileSync(join(dir, "index.html"), html);
  for (const [from, to] of renames) renameSync(join(dir, from), join(dir, to));
  // The hub's compressed copies of the old files go too, as with a fresh dist folder.
  for (const name of readdirSync(dir)) if (/\.(br|gz)$/.test(name)) rmSync(join(dir, name));
  parts.build = build;
  parts.files = parts.files.map((f) => "/" + (renames.get(f.slice(1)) ?? f.slice(1)));
  writeFileSync(join(dir, "parts.json"), JSON.stringify(parts));
  return build;
}

test("an open tab keeps its build across a deploy, or reloads cleanly into the new one", async () => {
  // A: the service worker precaches every part after the first paint.
  const a = await newPhone(browser);
  const withWorker = new Shell(a.page, hub.url, a.errors);
  await withWorker.open("/");
  await precached(a.page);
  const before = await a.page.locator("meta[name=linli-build]").getAttribute("content");

  // B: no service worker at all.
  const bContext = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, serviceWorkers: "block" });
  const bPage = await bContext.newPage();
  const noWorker = new Shell(bPage, hub.url);
  await noWorker.open("/");

  const after = deploy(dist);
  assert.notEqual(after, before);

  // A opens screens it never opened: their parts come from its own build, precached.
  const missed = [];
  a.page.on("requestfailed", (r) => missed.push(`${r.url()}: ${r.failure()?.errorText}`));
  a.page.on("response", (r) => r.status() >= 400 && missed.push(`${r.url()}: ${r.status()}`));
  for (const [label, heading] of [["议事", "居民议事"], ["我的", "我的"], ["积分", "积分"]]) {
    const state = async () => ({
      controlled: await a.page.evaluate(() => Boolean(navigator.serviceWorker.controller)),
      caches: await a.page.evaluate(() => caches.keys()),
      main: (await a.page.locator("main").innerText()).slice(0, 200),
      errors: a.errors,
      missed,
    });
    await withWorker.tapNav(label);
    try {
      await a.page.locator(`h1.page__title:has-text("${heading}"), .part-error`).first().waitFor();
    } catch (e) {
      throw new Error(`${label}: ${e.message}\n${JSON.stringify(await state())}`);
    }
    assert.equal(await a.page.locator(".part-error").count(), 0, `${label}: ${JSON.stringify(await state())}`);
  }
  assert.equal(await a.page.locator("meta[name=linli-build]").getAttribute("content"), before);
  assert.deepEqual(a.errors, [], "the old build ran on without an error");
  await withWorker.screenshot("deploy-old-tab-zh");

  // B finds its parts gone: it says Linli was updated, and the reload brings the new build.
  await noWorker.tapNav("议事");
  const notice = bPage.locator(".part-error[role=alert]");
  await notice.waitFor();
  assert.match(await notice.innerText(), /邻里刚刚更新了/);
  await noWorker.screenshot("deploy-reload-zh");
  await notice.getByRole("button", { name: "刷新" }).tap();
  await noWorker.ready();
  await bPage.locator("h1.page__title", { hasText: "居民议事" }).waitFor();
  assert.equal(await bPage.locator("meta[name=linli-build]").getAttribute("content"), after);

  // A reloads: the network-first page load brings the new build, which is precached too,
  // and the old one is kept beside it (a second tab may still be on it).
  await withWorker.reload();
  assert.equal(await a.page.locator("meta[name=linli-build]").getAttribute("content"), after);
  await precached(a.page);
  const builds = await a.page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("linli-build-")).sort());
  assert.deepEqual(builds, [`linli-build-${after}`, `linli-build-${before}`].sort());
  await withWorker.tapNav("议事");
  await a.page.locator("h1.page__title", { hasText: "居民议事" }).waitFor();

  await a.context.close();
  await bContext.close();
});

test("a part that fails to load says so and loads on retry, or by itself when the network is back", async () => {
  // No service worker: every part comes from the network, which this test withholds.
  const { context, page, errors } = await newPhone(browser, { serviceWorkers: "block" });
  const app = new Shell(page, hub.url, errors);
  await app.open("/");
  let blocked = true;
  await page.route(/\/split_council-[0-9a-f]+\.wasm$/, (route) => (blocked ? route.abort() : route.continue()));
  await app.tapNav("议事");
  const failed = page.locator(".part-error[role=alert]");
  await failed.waitFor();
  assert.match(await failed.innerText(), /这部分没能加载/);
  await app.screenshot("part-failed-zh");
  assert.equal(await page.locator(".nav").isVisible(), true, "the rest of the app still works");
  await app.tapNav("我的");
  await page.locator("h1.page__title", { hasText: "我的" }).waitFor();

  // Retry by hand.
  await app.tapNav("议事");
  await failed.waitFor();
  blocked = false;
  await failed.getByRole("button", { name: "重试" }).tap();
  await page.locator("h1.page__title", { hasText: "居民议事" }).waitFor();

  // Or by itself, when the browser comes back online.
  await context.close();
  const second = await newPhone(browser, { serviceWorkers: "block" });
  const app2 = new Shell(second.page, hub.url, second.errors);
  await app2.open("/");
  await second.context.setOffline(true);
  await app2.tapNav("议事");
  await second.page.locator(".part-error[role=alert]").waitFor();
  await second.context.setOffline(false);
  await second.page.locator("h1.page__title", { hasText: "居民议事" }).waitFor();
  await second.context.close();
});
