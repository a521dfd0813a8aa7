// The first paint before the code: index.html paints the home screen before the first part
// (~170 KB) has arrived — the template on a first visit, then the screen as this phone last
// showed it — and the app replaces it with the same markup when it mounts.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, newPhone, Shell, startHub } from "./support.mjs";

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

/** The visible text of a shell, whitespace collapsed, without the badge's live details. */
const textOf = (html) =>
  html
    .replace(/<span class="badge__detail"[^]*?<\/span>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

test("the first-visit template is the empty home the app draws, and the app replaces it", async () => {
  const { context, page, errors } = await newPhone(browser);
  const app = new Shell(page, hub.url, errors);
  await app.open("/");
  await page.locator("section.empty").waitFor();
  const template = await page.evaluate(() => document.getElementById("first-visit").innerHTML);
  const drawn = await page.evaluate(() => document.querySelector(".shell[data-ready=true]").outerHTML);
  assert.equal(textOf(template), textOf(drawn), "index.html's template matches the app's empty home (zh)");
  assert.equal(await page.locator(".shell").count(), 1, "the painted picture is gone once the app mounted");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a returning phone paints its last home screen — language and text size too — before the code", async () => {
  // No service worker: it would serve the code from its cache, which this test withholds.
  const { context, page, errors } = await newPhone(browser, { serviceWorkers: "block" });
  const app = new Shell(page, hub.url, errors);
  await app.open("/me");
  await app.chooseLanguage("English");
  await page.locator("input.switch").tap();
  await app.tapNav("Home");
  await page.locator(".shell[data-ready=true] section.empty").waitFor();
  await page.waitForFunction(() => JSON.parse(localStorage.getItem("linli-home") ?? "{}").lang === "en");

  // No code at all this time: what shows is only what index.html painted.
  await page.route(/\.wasm$/, (route) => route.abort());
  await page.goto(hub.url + "/");
  const painted = page.locator("#prepaint .shell");
  await painted.waitFor();
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  assert.equal(await page.locator("html").getAttribute("class"), "large-text");
  assert.equal(await painted.locator("h1").innerText(), "Home");
  assert.match(await painted.innerText(), /You have not joined a community yet/);
  assert.equal(await painted.getAttribute("data-ready"), "false", "never mistaken for the live app");
  assert.equal(await page.locator("#prepaint [data-testid]").count(), 0);
  await app.screenshot("first-paint-en-large");
  await context.close();
});
