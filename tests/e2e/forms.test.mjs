// Forms say what is wrong beside the field, naming it and the limit, and move the focus to it;
// the limits are the domain's, checked before anything is signed, so nothing invalid is ever
// shared (a 5,000-character body used to be signed, refused by every phone and shown as 无效).
// An empty comment says so instead of doing nothing. Chinese, and English where wording
// matters.
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

/** The message beside the input named `name`, and whether that input has the focus. */
async function fieldError(page, name) {
  const input = page.locator(`[name=${name}]`);
  await page.waitForFunction((n) => document.querySelector(`[name=${n}]`)?.getAttribute("aria-invalid") === "true", name);
  const id = await input.getAttribute("aria-describedby");
  const message = await page.locator(`[id="${id}"]`).innerText();
  // The focus moves once the error is drawn (a frame later under load): wait for it, briefly.
  const focused = await page
    .waitForFunction((n) => document.activeElement?.getAttribute("name") === n, name, { timeout: 3_000 })
    .then(
      () => true,
      () => false,
    );
  return { message, focused };
}

/** Puts `text` into a field as a paste that ignores maxlength would (an old keyboard, say). */
async function force(page, name, text) {
  await page.locator(`[name=${name}]`).evaluate((el, text) => {
    el.removeAttribute("maxlength");
    el.value = text;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
}

async function unsent(app) {
  await app.open("/sync");
  return Number(await app.page.getByTestId("unsent").innerText());
}

test("errors beside the field, naming it and the limit, with the focus on it; nothing invalid is signed", async () => {
  const { page, context, errors } = await newPhone(browser);
  const app = new Shell(page, hub.url, errors);

  // Founding: a blank community name is named beside its field.
  await app.open("/create");
  await page.locator("input[name=founder]").fill("周主任");
  await page.getByRole("button", { name: "创建" }).tap();
  let e = await fieldError(page, "name");
  assert.equal(e.message, "请填写“社区名称”");
  assert.ok(e.focused, "the focus moves to the field at fault");
  assert.match(await page.locator("p.field__error[role=alert]").innerText(), /请检查标出的项/);
  // A quorum that is not a number, then one out of range: the form's and the domain's words.
  await page.locator("input[name=name]").fill("表单测试社区");
  await page.locator("input[name=min_quorum]").fill("三十");
  await page.getByRole("button", { name: "创建" }).tap();
  e = await fieldError(page, "min_quorum");
  assert.match(e.message, /请填一个整数$/);
  assert.ok(e.focused);
  await page.locator("input[name=min_quorum]").fill("130");
  await page.getByRole("button", { name: "创建" }).tap();
  await page.waitForFunction(() => /0 到 100/.test(document.querySelector("[id='space.charter/min_quorum_pct-error']")?.textContent ?? ""));
  await page.locator("input[name=min_quorum]").fill("30");
  await page.locator("input[name=min_seconds]").fill("0");
  await page.getByRole("button", { name: "创建" }).tap();
  await page.getByTestId("community").waitFor();

  // Proposing: 5,000 characters in the body are refused before signing, beside the body.
  await app.open("/council/new");
  await page.locator("input[name=title]").fill("楼道堆物清理");
  await force(page, "body", "楼".repeat(5000));
  await page.getByRole("button", { name: "提交议题" }).tap();
  e = await fieldError(page, "body");
  assert.equal(e.message, "“具体内容”最多 2000 字，现在 5000 字");
  assert.ok(e.focused);
  await app.screenshot("form-error-body-zh");
  // A quorum below the standing rules: named beside the quorum.
  await page.locator("textarea[name=body]").fill("周六上午统一清理。");
  await page.locator("input[name=quorum]").fill("10");
  await page.getByRole("button", { name: "提交议题" }).tap();
  e = await fieldError(page, "quorum");
  assert.equal(e.message, "议事规则要求“至少多少人参与（%）”至少为 30");
  assert.ok(e.focused);
  assert.equal(await unsent(app), 0, "nothing refused was signed");

  // Accepted once right; the error goes away on the next attempt.
  await app.open("/council/new");
  await page.locator("input[name=title]").fill("楼道堆物清理");
  await page.getByRole("button", { name: "提交议题" }).tap();
  await page.waitForURL(/\/council\/[0-9a-f]{64}$/);

  // An empty comment says so beside the box, and typed text is never lost to an error.
  await page.getByRole("button", { name: "发表" }).tap();
  e = await fieldError(page, "comment");
  assert.equal(e.message, "请填写“说说你的意见”");
  assert.ok(e.focused);
  await page.locator("textarea[name=comment]").fill("支持，我周六可以帮忙。");
  await page.getByRole("button", { name: "发表" }).tap();
  await page.getByText("支持，我周六可以帮忙。", { exact: true }).waitFor();
  assert.equal(await page.locator("textarea[name=comment]").inputValue(), "", "cleared once sent");
  assert.equal(await page.locator("[name=comment][aria-invalid=true]").count(), 0);

  // In English.
  await app.open("/me");
  await app.chooseLanguage("English");
  await app.languageStored();
  await app.open("/council/new");
  await page.locator("input[name=title]").fill("Hallway clean-up");
  await force(page, "body", "x".repeat(2001));
  await page.getByRole("button", { name: "Submit" }).tap();
  e = await fieldError(page, "body");
  assert.equal(e.message, "“Details” takes at most 2000 characters; this has 2001");
  assert.ok(e.focused);
  await app.screenshot("form-error-body-en");

  assert.deepEqual(errors, []);
  await context.close();
});
