// Shared by the end-to-end tests: the hub as a child process, Debian's Chromium through
// playwright-core, and a page object for the app shell.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

export const ROOT = resolve(import.meta.dirname, "../..");
export const ARTIFACTS = join(ROOT, "tests/e2e/artifacts");
/** The reference screen: a mid-range phone. */
export const PHONE = { width: 390, height: 844 };

/**
 * Starts `linli-hub serve` on a port the OS picks (127.0.0.1 only) with a fresh data folder.
 * Resolves once the hub prints its address.
 */
export async function startHub({ data = mkdtempSync(join(tmpdir(), "linli-e2e-")) } = {}) {
  const bin = process.env.LINLI_HUB ?? join(ROOT, "target/debug/linli-hub");
  const dist = process.env.LINLI_DIST ?? join(ROOT, "dist");
  const child = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--dist", dist, "--data", data], {
    stdio: ["ignore", "inherit", "pipe"],
  });
  const log = [];
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`hub did not start:\n${log.join("")}`)), 60_000);
    child.on("error", (err) => fail(new Error(`cannot run ${bin}: ${err.message}`)));
    child.on("exit", (code) => fail(new Error(`hub exited with ${code}:\n${log.join("")}`)));
    child.stderr.on("data", (chunk) => {
      log.push(chunk.toString());
      const m = /serving (http:\/\/[\d.]+:\d+) /.exec(log.join(""));
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
  });
  return {
    url,
    data,
    log,
    /** Stops the hub with SIGTERM; resolves to its exit code (0 on a clean shutdown). */
    stop: () =>
      new Promise((ok) => {
        child.removeAllListeners("exit");
        child.on("exit", (code) => ok(code));
        child.kill("SIGTERM");
      }),
  };
}

/** Debian's Chromium, headless, with nothing that phones home. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A phone-sized context whose console errors and page errors are collected. */
export async function newPhone(browser) {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`page: ${err.message}`));
  // A load cut short by navigating on (ERR_ABORTED) is the test's doing, not the app's.
  page.on("requestfailed", (req) => {
    const why = req.failure()?.errorText ?? "";
    if (!why.includes("ERR_ABORTED")) errors.push(`request failed: ${req.url()} ${why}`);
  });
  return { context, page, errors };
}

/** How long the app may take to mount: generous, since CI machines can be busy. */
const MOUNT_TIMEOUT_MS = 45_000;

/** Page object for the app shell. */
export class Shell {
  /** `errors` (from `newPhone`) is quoted when the app fails to mount. */
  constructor(page, baseUrl, errors = []) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.errors = errors;
  }

  /** Opens a path and waits until the app has mounted. */
  async open(path = "/") {
    await this.page.goto(this.baseUrl + path);
    await this.ready();
  }

  async reload() {
    await this.page.reload();
    await this.ready();
  }

  async ready() {
    try {
      // Mounted, and the settings read from IndexedDB (or failed to be).
      await this.page.locator(".shell[data-ready=true]").waitFor({ timeout: MOUNT_TIMEOUT_MS });
    } catch (err) {
      const body = await this.page.locator("body").innerHTML().catch(() => "(no body)");
      throw new Error(
        `the app did not mount at ${this.page.url()}: ${err.message}\n` +
          `errors: ${JSON.stringify(this.errors)}\nbody: ${body.slice(0, 500)}`,
      );
    }
  }

  /** Taps a bottom-navigation entry by its visible label. */
  async tapNav(label) {
    await this.page.locator("nav.nav").getByRole("link", { name: label, exact: true }).tap();
  }

  heading() {
    return this.page.locator("h1.page__title").innerText();
  }

  htmlLang() {
    return this.page.locator("html").getAttribute("lang");
  }

  currentNav() {
    return this.page.locator('nav.nav a[aria-current="page"]').innerText();
  }

  navLabels() {
    return this.page.locator("nav.nav .nav__label").allInnerTexts();
  }

  badge() {
    return this.page.locator(".badge").innerText();
  }

  async chooseLanguage(nativeName) {
    await this.page.locator(".segmented__option", { hasText: nativeName }).tap();
  }

  /**
   * Every interactive element whose tap area is smaller than `min` px either way. A control
   * inside a <label> is measured by its label, since tapping anywhere on the label works.
   */
  smallTapTargets(min = 44) {
    return this.page.$$eval(
      "a, button, input, [role=switch]",
      (els, min) =>
        els
          .map((el) => ({ el, r: (el.closest("label") ?? el).getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && (r.width < min || r.height < min))
          .map(({ el, r }) => `${el.outerHTML.slice(0, 60)} ${r.width}x${r.height}`),
      min,
    );
  }

  async screenshot(name) {
    mkdirSync(ARTIFACTS, { recursive: true });
    await this.page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  }
}
