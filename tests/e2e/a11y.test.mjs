// Accessibility: axe-core on every screen at 390×844, in Chinese and English, with normal and
// large text (适老化) — before joining (home, create, join by pasting a link or from an
// invitation, not found), then as a council member of the demo community (home, the council
// list, a proposal in each state, proposing, a decided ballot's notice, scheduling a meeting,
// the meeting and its minutes' notice, points, volunteering, help, polls, the public board and
// the funds ledger with their notices, me, sync, invite, members, the monthly ledger).
// Besides axe's rules, "reflow" (WCAG 1.4.10): nothing on a screen may reach past the 390 px
// width, so no text runs off the side in large text. Fails on any violation, each listed with
// its rule, impact, element and where it was seen; the full axe results are written to
// tests/e2e/artifacts/a11y.json.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  ARTIFACTS,
  invitationLink,
  launchBrowser,
  makeDemo,
  newPhone,
  ROOT,
  Shell,
  startHub,
} from "./support.mjs";

// axe-core's source, evaluated through DevTools: the app's Content-Security-Policy refuses a
// <script> added to the page (what `page.addScriptTag` does), as it should.
const AXE = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
const VARIANTS = [
  { lang: "zh", large: false },
  { lang: "en", large: false },
  { lang: "zh", large: true },
  { lang: "en", large: true },
];
const variantName = (v) => `${v.lang}/${v.large ? "large" : "normal"}`;

let demo;
let hub;
let browser;
let phone;
let app;
/** Every violation seen, one entry per rule × element × screen × variant. */
const found = [];
/** The complete axe results, per screen and variant, for the artifact. */
const report = [];

before(async () => {
  demo = makeDemo();
  hub = await startHub({ data: demo.data });
  browser = await launchBrowser();
  phone = await newPhone(browser);
  app = new Shell(phone.page, hub.url, phone.errors);
});

after(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, "a11y.json"), JSON.stringify(report, null, 1));
  await browser?.close();
  if (process.exitCode) console.error(`hub log:\n${hub?.log.join("") ?? ""}`);
  if (hub) await hub.stop();
  if (demo) rmSync(demo.data, { recursive: true, force: true });
});

/**
 * Sets the language and the text size on 我的 / Me, as a person would, and reloads to be sure
 * they were stored: the settings are written to IndexedDB after the tap.
 */
async function useVariant({ lang, large }) {
  const { page } = app;
  await app.open("/me");
  await app.chooseLanguage(lang === "en" ? "English" : "中文");
  const toggle = page.locator("input.switch");
  if ((await toggle.isChecked()) !== large) await toggle.tap();
  const want = { lang: lang === "en" ? "en" : "zh-CN", large };
  const shows = () =>
    page.waitForFunction(
      (w) => document.documentElement.lang === w.lang && document.documentElement.classList.contains("large-text") === w.large,
      want,
    );
  await shows();
  await page.waitForTimeout(300);
  await app.reload();
  await shows();
}

/**
 * Opens a screen and waits until it has drawn what it is for: `shows` (by default its
 * heading), and no part or data still loading. Screens whose code is in a part not loaded
 * yet say so with `aria-busy`; council screens wait for the community's log to be folded.
 */
async function openScreen(screen) {
  const { page } = app;
  await app.open(screen.path);
  await page.locator(screen.shows ?? "h1.page__title").first().waitFor({ timeout: 60_000 });
  await settled();
}

/** No part still loading, fonts in, and a frame drawn: colours and sizes as a person sees them. */
async function settled() {
  const { page } = app;
  await page.waitForFunction(() => !document.querySelector("[aria-busy=true]"), null, { timeout: 60_000 });
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)))));
}

/** Runs axe on the open page and records its violations under the screen and variant. */
async function check(screen, variant) {
  const { page } = app;
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  // Reflow: an element of the screen drawn past either edge of the viewport (those inside a
  // box that scrolls sideways on purpose, or clipped away for screen readers, excepted).
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (el) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        if (["auto", "scroll"].includes(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    return [...document.querySelectorAll("main *, header *, nav *")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height <= 1) return false;
        if (r.right <= width + 1 && r.left >= -1) return false;
        return !scrolls(el) && getComputedStyle(el).clip === "auto";
      })
      .slice(0, 5)
      .map((el) => ({ html: el.outerHTML.slice(0, 160), target: [el.tagName.toLowerCase() + (el.className ? `.${[...el.classList].join(".")}` : "")] }));
  });
  if (wide.length) {
    result.violations.push({
      id: "reflow",
      impact: "serious",
      help: "Content must fit the screen's width (WCAG 1.4.10): it runs past the edge",
      nodes: wide.map((w) => ({ ...w, failureSummary: "" })),
    });
  }
  report.push({ screen: screen.name, path: screen.path, variant: variantName(variant), violations: result.violations });
  for (const v of result.violations) {
    for (const node of v.nodes) {
      found.push({
        rule: v.id,
        impact: node.impact ?? v.impact,
        // Frames and shadow roots make a target a list of selectors; the app has neither.
        target: node.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : t)).join(" | "),
        // The opening tag: the element's text (a time, a count) differs from screen to screen.
        html: /^<[^>]*>/.exec(node.html)?.[0] ?? node.html.slice(0, 120),
        screen: screen.name,
        path: screen.path,
        variant: variantName(variant),
        help: v.help,
        summary: (node.failureSummary ?? "").split("\n").slice(1).join(" ").trim(),
      });
    }
  }
}

/**
 * Runs every screen in every variant (a screen may bring its own `open`); returns the
 * violations found, for the assertion.
 */
async function audit(screens) {
  const start = found.length;
  for (const variant of VARIANTS) {
    await useVariant(variant);
    for (const screen of screens) {
      await (screen.open ?? openScreen)(screen);
      await check(screen, variant);
    }
  }
  return found.slice(start);
}

/**
 * One entry per rule × element, naming every screen (and, where it is not all of them, the
 * variants) it was seen on, most severe first: what a developer needs to find and fix it.
 */
function listing(violations) {
  const order = ["critical", "serious", "moderate", "minor"];
  const all = VARIANTS.map(variantName).join(", ");
  const groups = new Map();
  for (const v of violations) {
    const key = `${v.rule}\u0000${v.target}`;
    if (!groups.has(key)) groups.set(key, { ...v, screens: new Map(), summaries: new Set() });
    const g = groups.get(key);
    const where = `${v.screen} ${v.path}`;
    if (!g.screens.has(where)) g.screens.set(where, []);
    g.screens.get(where).push(v.variant);
    if (v.summary) g.summaries.add(v.summary);
  }
  return [...groups.values()]
    .sort((a, b) => order.indexOf(a.impact) - order.indexOf(b.impact) || a.rule.localeCompare(b.rule))
    .map((g) => {
      const screens = [...g.screens].map(([where, variants]) => {
        const seen = variants.join(", ");
        return `      ${where}${seen === all ? "" : ` [${seen}]`}`;
      });
      const why = [...g.summaries].slice(0, 3).map((s) => `    - ${s}`);
      return [`  ${g.rule} (${g.impact}): ${g.target}  ${g.html}`, `    ${g.help}`, ...why, `    on ${g.screens.size} screens (in ${all} unless noted):`, ...screens].join("\n");
    })
    .join("\n");
}

function assertNone(violations, where) {
  if (violations.length) {
    assert.fail(`${violations.length} accessibility violations ${where} (by rule and element):\n${listing(violations)}`);
  }
}

test("every screen before joining a community", async () => {
  const link = invitationLink(hub.url, demo.invites.find((i) => i.role === "council"));
  const screens = [
    { name: "home", path: "/", shows: "section.empty" },
    { name: "create", path: "/create", shows: "input[name=founder]" },
    { name: "join (paste a link)", path: "/join", shows: "textarea[name=link]" },
    {
      name: "join (from an invitation)",
      path: "/#e=…&s=…&k=…",
      // The invitation's page reads the whole community before it offers to join.
      open: async () => {
        await app.page.goto(link);
        await app.ready();
        await app.page.getByTestId("join-community").waitFor({ timeout: 120_000 });
        await settled();
      },
    },
    { name: "not found", path: "/no/such/page" },
  ];
  assertNone(await audit(screens), "before joining");
});

test("every screen of a joined community, as a council member", async () => {
  const { page } = app;
  // Joining taps 加入: the phone must be in Chinese for that.
  await useVariant({ lang: "zh", large: false });
  await app.join(invitationLink(hub.url, demo.invites.find((i) => i.role === "council")), "无障碍测试");

  // The demo's proposals, one per state, and its meeting, from the council's own list.
  await openScreen({ path: "/council", shows: "section[data-status]" });
  const byStatus = await page.$$eval("section[data-status]", (sections) =>
    sections.map((s) => [s.dataset.status, s.querySelector("a[href^='/council/']").getAttribute("href")]),
  );
  const meeting = await page.locator("[data-testid=meetings] a[href^='/meetings/']:not([href='/meetings/new'])").first().getAttribute("href");
  const statuses = byStatus.map(([status]) => status);
  for (const s of ["Voting", "Collecting", "Deliberating", "Implementing", "Decided", "Done", "Withdrawn"]) {
    assert.ok(statuses.includes(s), `the demo has a proposal in state ${s}: ${statuses}`);
  }
  assert.ok(meeting, "the demo has a meeting");
  const decided = byStatus.find(([status]) => status === "Decided")[1];
  await openScreen({ path: "/members", shows: "[data-testid=members] li" });
  const member = await page.locator("[data-testid=members] a[href^='/members/']").nth(1).getAttribute("href");
  // The demo's 学雷锋 activity (March 2026, begun by now): its page and its hours to confirm.
  await openScreen({ path: "/volunteer", shows: "[data-testid=to-confirm] a" });
  const hours = await page.locator("[data-testid=to-confirm] a").first().getAttribute("href");
  const activity = hours.replace(/\/hours$/, "");
  // One of the demo's requests nobody has taken yet.
  await openScreen({ path: "/help", shows: "[data-testid=queue] a" });
  const request = await page.locator("[data-testid=queue] a").first().getAttribute("href");
  // One of the demo's polls (closed by now: its results show).
  await openScreen({ path: "/polls", shows: "[data-testid=poll-row] a" });
  const poll = await page.locator("[data-testid=poll-row] a").first().getAttribute("href");
  // One of the demo's board posts, for its printable page.
  await openScreen({ path: "/board", shows: "[data-testid=post]" });
  const postPrint = await page.locator("[data-testid=post] a[href$='/print']").first().getAttribute("href");

  const screens = [
    { name: "home", path: "/", shows: "[data-testid=community][data-loaded=true]" },
    { name: "council", path: "/council", shows: "section[data-status]" },
    ...byStatus.map(([status, path]) => ({ name: `proposal (${status})`, path, shows: `.status-line [data-status=${status}]` })),
    { name: "propose", path: "/council/new", shows: "input[name=title]" },
    { name: "ballot notice", path: `${decided}/print`, shows: "[data-testid=notice]" },
    { name: "schedule a meeting", path: "/meetings/new", shows: "input[name=place]" },
    { name: "meeting", path: meeting, shows: "[data-testid=attendance]" },
    { name: "minutes notice", path: `${meeting}/print`, shows: "[data-testid=notice]" },
    { name: "points", path: "/points" },
    { name: "volunteer", path: "/volunteer", shows: "[data-testid=open-activities]" },
    { name: "volunteer profile", path: "/volunteer/profile", shows: "[data-testid=availability]" },
    { name: "new activity", path: "/volunteer/new", shows: "input[name=title]" },
    { name: "match all", path: "/volunteer/match" },
    { name: "activity", path: activity, shows: "[data-testid=people]" },
    { name: "confirm hours", path: hours, shows: "[data-testid=hours-rows]" },
    { name: "help", path: "/help", shows: "[data-testid=new-request]" },
    { name: "request", path: request, shows: "[data-testid=steps]" },
    { name: "polls", path: "/polls", shows: "[data-testid=poll-row]" },
    { name: "new poll", path: "/polls/new", shows: "input[name=question]" },
    { name: "poll", path: poll, shows: "[data-testid=results]" },
    { name: "poll result notice", path: `${poll}/print`, shows: "[data-testid=notice]" },
    { name: "board", path: "/board", shows: "[data-testid=post]" },
    { name: "new board post", path: "/board/new", shows: "input[name=title]" },
    { name: "board post notice", path: postPrint, shows: "[data-testid=notice]" },
    { name: "funds", path: "/funds", shows: "[data-testid=funds-entry]" },
    { name: "funds notice", path: "/funds/print", shows: "[data-testid=notice]" },
    { name: "me", path: "/me", shows: "input.switch" },
    { name: "sync", path: "/sync", shows: "[data-testid=state-hash]" },
    { name: "invite", path: "/invite", shows: "input[name=household]" },
    { name: "members", path: "/members", shows: "[data-testid=members] li" },
    { name: "member (add a phone)", path: member, shows: "[data-testid=add-phone]" },
    { name: "invitation sheet (none yet)", path: "/invite/sheet" },
    { name: "points rules", path: "/points/rules", shows: "[data-testid=new-rule]" },
    { name: "record points", path: "/points/award", shows: "input[name=who]" },
    { name: "points to review", path: "/points/review", shows: "[data-testid=claims]" },
    { name: "points store", path: "/points/store", shows: "[data-testid=new-item]" },
    { name: "red and black lists", path: "/points/lists", shows: "[data-testid=notice]" },
    { name: "monthly ledger", path: "/ledger?m=2026-01", shows: "[data-testid=ledger-foot] p:not(:empty)" },
  ];
  assertNone(await audit(screens), "in a joined community");
});
