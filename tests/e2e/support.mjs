// Shared by the end-to-end tests and the browser benchmarks: the hub as a child process, the
// demo community, Debian's Chromium through playwright-core, joining from an invitation, and
// a page object for the app shell.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach } from "node:test";
import { chromium } from "playwright-core";

export const ROOT = resolve(import.meta.dirname, "../..");
export const ARTIFACTS = join(ROOT, "tests/e2e/artifacts");
/** The reference screen: a mid-range phone. */
export const PHONE = { width: 390, height: 844 };

/** The hub binary: `LINLI_HUB`, else the debug build (read at call time: scripts may set it). */
export function hubBin() {
  return process.env.LINLI_HUB ?? join(ROOT, "target/debug/linli-hub");
}

/** The bundle the hub serves: `LINLI_DIST`, else `dist/`. */
export function distDir() {
  return process.env.LINLI_DIST ?? join(ROOT, "dist");
}

/**
 * Writes the deterministic demo community (`linli-hub demo`: 39,157 events, proposals in every
 * state, a meeting with minutes, a year of points with both lists and a store) into a fresh
 * temporary folder, ready for `startHub({ data })`.
 * `invites` are its open invitations ({ space, role, household, secret }); each joins once.
 * With `checkpoint`, it ends with a counted checkpoint whose snapshot is published
 * (`snapshots.json`), so that phones can join fast; with `falseCheckpoint` too, the council
 * signed a false state (the community's name changed in it) and that snapshot is published.
 */
export function makeDemo({ checkpoint = false, falseCheckpoint = false } = {}) {
  const data = mkdtempSync(join(tmpdir(), "linli-demo-"));
  const args = [
    "demo",
    "--out",
    data,
    ...(checkpoint || falseCheckpoint ? ["--checkpoint"] : []),
    ...(falseCheckpoint ? ["--false-checkpoint"] : []),
  ];
  execFileSync(hubBin(), args, { stdio: ["ignore", "pipe", "pipe"] });
  const invites = JSON.parse(readFileSync(join(data, "demo-invites.json"), "utf8"));
  return { data, space: invites[0].space, invites };
}

/** A slow phone: 1.6 Mbit/s down, 750 kbit/s up, 150 ms of latency, a CPU 6× slower. */
export async function throttle(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6e6 / 8) | 0,
    uploadThroughput: (750e3 / 8) | 0,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 6 });
  return cdp;
}

/** The link an invitation is shared as: the secret stays in the fragment, never sent. */
export function invitationLink(base, invite) {
  return `${base}/#e=${encodeURIComponent(base)}&s=${invite.space}&k=${invite.secret}`;
}

/**
 * Starts `linli-hub serve` on a port the OS picks (127.0.0.1 only) with a fresh data folder
 * and `args` (more flags). Resolves once the hub prints its address. With `store`
 * (`s3://bucket/prefix`, the AWS_* variables in the environment) the spaces are in that
 * bucket instead of a folder; `addr` fixes the address (e.g. when `--public-url` names it).
 */
export async function startHub({ data = mkdtempSync(join(tmpdir(), "linli-e2e-")), args = [], store, addr = "127.0.0.1:0" } = {}) {
  const bin = hubBin();
  const dist = distDir();
  const where = store ? ["--store", store] : ["--data", data];
  const child = spawn(bin, ["serve", "--addr", addr, "--dist", dist, ...where, ...args], {
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
    /**
     * Resolves once the hub has written the brotli (quality 11) and gzip siblings of the
     * bundle, which it does in the background at start-up: until then it compresses on the
     * fly at its fastest level, and sizes measured then are not what it serves for good.
     */
    precompressed: async (timeoutMs = 300_000) => {
      const done = /linli-hub: (\d+ files in .*, \d+ newly compressed|cannot precompress .*)/;
      for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
        const m = done.exec(log.join(""));
        if (m) {
          if (m[1].startsWith("cannot")) throw new Error(`hub: ${m[1]}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("the hub did not finish compressing the bundle");
    },
    /** Stops the hub with SIGTERM; resolves to its exit code (0 on a clean shutdown). */
    stop: () =>
      new Promise((ok) => {
        child.removeAllListeners("exit");
        child.on("exit", (code) => ok(code));
        child.kill("SIGTERM");
      }),
  };
}

/** The browser: Debian's Chromium unless `CHROMIUM` names another. */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
/** Headless, with nothing that phones home: the machines here have no outside network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
/** What makes a context a phone: the reference screen, touch, mobile viewport rules. */
const PHONE_CONTEXT = { viewport: PHONE, deviceScaleFactor: 2, hasTouch: true, isMobile: true };

/** Debian's Chromium, headless, with nothing that phones home; `args`: more flags. */
export function launchBrowser(args = []) {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...args] });
}

/**
 * A phone-sized context whose console errors, page errors and Content-Security-Policy
 * violations are collected (`watch`).
 */
export async function newPhone(browser, options = {}) {
  return watch(await browser.newContext({ ...PHONE_CONTEXT, ...options }));
}

/**
 * A phone whose profile lives in `userDataDir` and outlasts the browser (IndexedDB, the
 * service worker and its caches), for runs that reopen the same phone, e.g. with Lighthouse.
 * Closing its `context` closes that browser.
 */
export async function newPersistentPhone(userDataDir) {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    ...PHONE_CONTEXT,
  });
  return watch(context, context.pages()[0]);
}

/** A violation of the page's Content-Security-Policy, as `errors` holds it. */
const CSP = "csp: ";
/** Every phone's `errors`, for the check after each test. */
const watched = [];

/**
 * The context's page (a new one unless given), its errors collected as `newPhone` says.
 *
 * Content-Security-Policy violations go into `errors` as `csp: …`, whatever the test filters:
 * each `securitypolicyviolation` event of the context's documents (what the policy blocked or
 * reported), and each console line Chromium writes about the policy (which also covers what no
 * event reaches, such as a refused frame). `Shell.ready` fails on them, and so does every test
 * (`afterEach` below) unless it took the ones it caused with `takeCspViolations`.
 */
async function watch(context, existing) {
  const page = existing ?? (await context.newPage());
  const errors = [];
  watched.push(errors);
  await context.exposeBinding("__linliCspViolation", ({ frame }, what) => {
    errors.push(`${CSP}${what} (in ${frame.url()})`);
  });
  await context.addInitScript(() => {
    addEventListener(
      "securitypolicyviolation",
      (e) => {
        const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}` : "";
        window.__linliCspViolation?.(
          `${e.disposition} ${e.effectiveDirective} blocked ${e.blockedURI || "(none)"}${where}: ${e.sample}`,
        );
      },
      true,
    );
  });
  page.on("console", (msg) => {
    if (/Content.Security.Policy/i.test(msg.text())) errors.push(`${CSP}console: ${msg.text()}`);
    // A Permissions-Policy the browser cannot read is only a warning: an error here.
    else if (msg.type() === "error" || /Permissions.Policy/i.test(msg.text())) errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`page: ${err.message}`));
  // A load cut short by navigating on (ERR_ABORTED) is the test's doing, not the app's.
  page.on("requestfailed", (req) => {
    const why = req.failure()?.errorText ?? "";
    if (why.includes("BLOCKED_BY_CSP")) errors.push(`${CSP}request refused: ${req.url()} ${why}`);
    else if (!why.includes("ERR_ABORTED")) errors.push(`request failed: ${req.url()} ${why}`);
  });
  return { context, page, errors };
}

/**
 * Removes the Content-Security-Policy violations from `errors` (a phone's) and returns them:
 * for a test that causes some on purpose, so that they fail nothing else.
 */
export function takeCspViolations(errors) {
  const taken = errors.filter((e) => e.startsWith(CSP));
  const rest = errors.filter((e) => !e.startsWith(CSP));
  errors.splice(0, errors.length, ...rest);
  return taken;
}

// Under `node --test`, every test fails on a violation of the policy by any of its phones
// (taken, so that the next test starts clean). Scripts that are not tests (the benchmarks)
// skip this.
if (process.env.NODE_TEST_CONTEXT) {
  afterEach(() => {
    const found = watched.flatMap((errors) => takeCspViolations(errors));
    if (found.length) throw new Error(`Content-Security-Policy violations:\n${found.join("\n")}`);
  });
}

/** How long the app may take to mount: generous, since CI machines can be busy. */
const MOUNT_TIMEOUT_MS = 45_000;
/** Reading, verifying and folding the demo's 39,157 events takes about 7 s here (the hub's compression is optimised even in its debug build). */
const JOIN_TIMEOUT_MS = 120_000;

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

  /**
   * Opens an invitation link and joins as `name` (the phone in Chinese, which it is unless
   * set otherwise); resolves once the community is on the home screen with its whole log read
   * and folded (a demo community takes a few seconds).
   */
  async join(link, name) {
    await this.page.goto(link);
    await this.ready();
    await this.page.getByTestId("join-community").waitFor({ timeout: JOIN_TIMEOUT_MS });
    await this.page.locator("input[name=name]").fill(name);
    await this.page.getByRole("button", { name: "加入" }).tap();
    await this.page.locator("[data-testid=community][data-loaded=true]").waitFor({ timeout: JOIN_TIMEOUT_MS });
  }

  async ready() {
    try {
      // Mounted, and the settings read from IndexedDB (or failed to be)...
      await this.page.locator(".shell[data-ready=true]").waitFor({ timeout: MOUNT_TIMEOUT_MS });
      // ...and the route's screen drawn: its part loaded (or failed to, which it says).
      await this.page.locator("main h1, main .part-error").first().waitFor({ timeout: MOUNT_TIMEOUT_MS });
      await this.page.locator("main [aria-busy=true]").waitFor({ state: "detached", timeout: MOUNT_TIMEOUT_MS });
    } catch (err) {
      const body = await this.page.locator("body").innerHTML().catch(() => "(no body)");
      // Where it stopped: whether the app mounted at all (its shell is appended at the end of
      // the body), the service worker, and the page's loads that never finished.
      const state = await this.page
        .evaluate(() => ({
          shell: document.querySelector(".shell:not(#prepaint .shell)")?.dataset.ready ?? "none",
          main: document.querySelector("main")?.innerText.slice(0, 120) ?? "none",
          worker: navigator.serviceWorker?.controller?.state ?? "none",
          unfinished: performance
            .getEntriesByType("resource")
            .filter((r) => r.responseEnd === 0)
            .map((r) => r.name),
          loaded: performance.getEntriesByType("resource").map((r) => `${r.name.split("/").pop()} ${Math.round(r.duration)}ms`),
        }))
        .catch((e) => `(cannot evaluate: ${e.message})`);
      throw new Error(
        `the app did not mount at ${this.page.url()}: ${err.message}\n` +
          `errors: ${JSON.stringify(this.errors)}\nstate: ${JSON.stringify(state)}\nbody: ${body.slice(0, 500)}`,
      );
    }
    const csp = this.errors.filter((e) => e.startsWith(CSP));
    if (csp.length) throw new Error(`Content-Security-Policy violations at ${this.page.url()}:\n${csp.join("\n")}`);
  }

  /** Opens 同步与数据, syncs now and waits until the sync is over (the phone in Chinese). */
  async syncNow() {
    await this.open("/sync");
    await this.page.getByRole("button", { name: "立即同步" }).tap();
    await this.page.waitForFunction(() => !document.querySelector("[data-testid=sync-detail]")?.textContent.includes("同步中"));
    await this.page.waitForTimeout(300);
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
   * Resolves once IndexedDB holds the language the page shows. A choice is applied at once and
   * stored a moment later (its transaction commits after the tap): a reload in between would
   * reload the language stored before, as it would for a person that fast.
   */
  async languageStored() {
    const tag = await this.htmlLang();
    await this.page.waitForFunction(
      (tag) =>
        new Promise((done) => {
          const open = indexedDB.open("linli");
          open.onerror = () => done(false);
          open.onsuccess = () => {
            const db = open.result;
            try {
              const get = db.transaction("settings").objectStore("settings").get("lang");
              get.onsuccess = () => done(get.result === tag);
              get.onerror = () => done(false);
            } catch {
              done(false);
            } finally {
              db.close();
            }
          };
        }),
      tag,
      { timeout: 10_000 },
    );
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

  /**
   * From home (reached through the navigation, without reloading), invites a neighbour as
   * `roleLabel` (the choice as shown: 居民, 议事会成员, …) in `household`; resolves to the link.
   */
  async invite(roleLabel, household) {
    await this.tapNav("首页");
    await this.page.waitForURL(this.baseUrl + "/");
    await this.page.getByRole("link", { name: "邀请邻居" }).tap();
    await this.page.getByRole("button", { name: roleLabel, exact: true }).tap();
    await this.page.locator("input[name=household]").fill(household);
    await this.page.getByRole("button", { name: "生成邀请" }).tap();
    const link = await this.page.getByTestId("invite-link").innerText();
    if (!/#e=.+&s=[0-9a-f]{64}&k=[0-9a-f]+$/.test(link)) throw new Error(`not an invitation link: ${link}`);
    return link;
  }

  /** 积分细则 open: the council adds a rule (`list`: 不上榜, 红榜 or 黑榜) and sees it listed. */
  async addRule(title, points, list) {
    const form = this.page.getByTestId("new-rule");
    await form.locator("input[name=rule_title]").fill(title);
    await form.locator("input[name=points]").fill(String(points));
    await form.getByRole("button", { name: list, exact: true }).tap();
    await form.getByRole("button", { name: "保存规则" }).tap();
    await this.page.getByTestId("rules").getByText(title, { exact: true }).waitFor();
  }

  /** 记分: finds `who` by name, taps the rule button (e.g. "清理楼道堆物 +5") and records it. */
  async award(who, rule) {
    await this.open("/points/award");
    await this.page.locator("input[name=who]").fill(who);
    await this.page.getByTestId("candidates").getByRole("button", { name: "选这位" }).tap();
    await this.page.getByTestId("award-rules").getByRole("button", { name: rule }).tap();
    await this.page.getByTestId("confirm-award").tap();
    await this.page.getByTestId("award-done").waitFor();
  }

  async screenshot(name) {
    mkdirSync(ARTIFACTS, { recursive: true });
    await this.page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  }
}

/**
 * Resolves once the service worker has precached the page's build and controls the page (it
 * precaches while installing and claims the page only once activated: until then the page's
 * requests still go to the network), and has recorded the build as cached — its last step:
 * a deploy before that makes the precache fail half-way, and the worker drops the half-filled
 * build. Polled from here with `page.evaluate`, which awaits the check: `waitForFunction` takes
 * an async check's promise itself for a truthy answer, so it returned at once and the deploy
 * test deployed mid-precache now and then (CI caught it: the last files 404, the build gone).
 */
export async function precached(page, timeout = 60_000) {
  // What is still missing ("" once nothing is).
  const check = async () => {
    if (!navigator.serviceWorker.controller) return "no controller";
    const build = document.querySelector("meta[name=linli-build]")?.content;
    if (!build || !(await caches.has(`linli-build-${build}`))) return `no cache for ${build}`;
    const builds = await (await caches.open("linli-meta")).match("/builds");
    const known = builds ? await builds.json() : [];
    if (!known.includes(build)) return `${build} not recorded (${known})`;
    const parts = await (await fetch("/parts.json", { cache: "no-store" })).json();
    // As the worker serves them: from any build kept (a file that did not change between two
    // builds, such as the icon, is cached once).
    for (const f of parts.files) if (!(await caches.match(f, { ignoreVary: true }))) return `${f} not cached`;
    return "";
  };
  const until = Date.now() + timeout;
  for (let missing = await page.evaluate(check); missing; missing = await page.evaluate(check)) {
    if (Date.now() > until) throw new Error(`the service worker did not precache the build in ${timeout} ms: ${missing}`);
    await page.waitForTimeout(250);
  }
}

/**
 * For a script that starts things (a hub, a browser, temporary folders): `cleanups` takes a
 * function per thing, `cleanUp()` runs them newest first, and Ctrl-C or SIGTERM runs them too.
 */
export function onExit() {
  const cleanups = [];
  async function cleanUp() {
    while (cleanups.length) {
      try {
        await cleanups.pop()();
      } catch {}
    }
  }
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => cleanUp().finally(() => process.exit(130)));
  }
  return { cleanups, cleanUp };
}
