// The Content-Security-Policy and the other security headers, as the hub sends them and as
// Chromium enforces them: the headers on index.html and the app routes; index.html with no
// inline script, its own policy narrowing styles to its <style>, and an integrity hash on
// every script and preload it loads; the app refused inside another site's frame; an injected
// inline script, eval and a style attribute refused and reported. (Every other e2e test fails
// on any violation: tests/e2e/support.mjs.)
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { launchBrowser, newPhone, Shell, startHub, takeCspViolations } from "./support.mjs";

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

/** A policy's directives: name → sources. */
const directives = (policy) =>
  Object.fromEntries(
    (policy ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name, sources]),
  );

/** An element's attributes from its start tag's text. */
const attributes = (attrs) =>
  Object.fromEntries([...attrs.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((m) => [m[1], m[2] ?? ""]));

/**
 * Polls `errors` for up to `ms` until a violation matching `re` is there, lets the other
 * reports of it arrive (the console's and the event's come apart), and takes them all.
 */
async function violations(errors, re, ms = 5_000) {
  const until = Date.now() + ms;
  while (Date.now() < until && !errors.some((e) => e.startsWith("csp: ") && re.test(e))) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 500));
  return takeCspViolations(errors);
}

test("the hub sends the policy, X-Frame-Options and Permissions-Policy with the app and its routes", async () => {
  for (const path of ["/", "/council", "/volunteer", "/index.html"]) {
    const r = await fetch(hub.url + path);
    assert.equal(r.status, 200, path);
    const policy = r.headers.get("content-security-policy");
    const d = directives(policy);
    assert.deepEqual(d["default-src"], ["'self'"], `${path}: ${policy}`);
    assert.deepEqual(d["script-src"], ["'self'", "'wasm-unsafe-eval'"], `${path}: ${policy}`);
    assert.deepEqual(d["connect-src"], ["'self'"], `${path}: ${policy}`);
    assert.deepEqual(d["frame-ancestors"], ["'none'"], `${path}: ${policy}`);
    assert.deepEqual(d["object-src"], ["'none'"], `${path}: ${policy}`);
    assert.deepEqual(d["worker-src"], ["'self'", "blob:"], `${path}: ${policy}`);
    assert.ok(!/'unsafe-eval'/.test(policy), `${path}: ${policy}`);
    assert.equal(r.headers.get("x-frame-options"), "DENY", path);
    const permissions = r.headers.get("permissions-policy") ?? "";
    assert.match(permissions, /(^|, )camera=\(self\)(,|$)/, path);
    for (const off of ["microphone", "geolocation", "payment", "usb"]) {
      assert.match(permissions, new RegExp(`(^|, )${off}=\\(\\)(,|$)`), `${path}: ${off}`);
    }
  }
});

test("index.html runs no inline script, allows only its own <style> elements, and every script and preload carries a correct integrity", async () => {
  const html = await (await fetch(hub.url + "/")).text();

  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 2, "the boot script and the module that starts the app");
  for (const [tag, attrs, body] of scripts) {
    assert.ok(attributes(attrs).src, `an inline script: ${tag.slice(0, 120)}`);
    assert.equal(body.trim(), "", tag.slice(0, 120));
  }
  assert.ok(!/\son\w+=/i.test(html.replace(/<template[\s\S]*?<\/template>/, "")), "no inline event handler");
  assert.ok(!/\sstyle=/i.test(html), "no style attribute");

  // The build's own policy: first in <head>, styles by hash only.
  const meta = /<head>\s*<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(meta, "the policy <meta> right after the charset");
  const d = directives(meta[1]);
  assert.deepEqual(d["script-src"], ["'self'", "'wasm-unsafe-eval'"]);
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    (m) => `'sha256-${createHash("sha256").update(m[1]).digest("base64")}'`,
  );
  assert.ok(styles.length > 0);
  assert.deepEqual(d["style-src"], ["'self'", ...new Set(styles)], "exactly the hashes of the <style> elements");
  assert.ok(!/<style\s[^>]/.test(html), "every <style> is a plain <style>");

  // Subresource integrity on everything the page loads as script or preload.
  const loads = [
    ...scripts.map(([, attrs]) => attributes(attrs)),
    ...[...html.matchAll(/<link\b([^>]*)>/g)]
      .map(([, attrs]) => attributes(attrs))
      .filter((a) => ["modulepreload", "preload", "stylesheet"].includes(a.rel)),
  ];
  assert.ok(loads.length >= 6, JSON.stringify(loads));
  for (const a of loads) {
    const url = a.src ?? a.href;
    assert.match(a.integrity ?? "", /^sha(256|384|512)-[A-Za-z0-9+/]+=*$/, `${url} carries an integrity`);
    const [alg, want] = a.integrity.split(/-(.*)/s);
    const bytes = Buffer.from(await (await fetch(new URL(url, hub.url))).arrayBuffer());
    assert.equal(createHash(alg).update(bytes).digest("base64"), want, `${url}: integrity matches`);
  }

  // Every file the page loads is precached by the service worker.
  const parts = await (await fetch(hub.url + "/parts.json")).json();
  for (const a of loads) assert.ok(parts.files.includes(a.src ?? a.href), `${a.src ?? a.href} in parts.json`);
});

test("another site cannot frame the app", async () => {
  // A page on another origin (another port) that frames the app.
  const site = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<!DOCTYPE html><title>elsewhere</title><iframe src="${hub.url}/" width="390" height="600"></iframe>`);
  });
  await new Promise((ok) => site.listen(0, "127.0.0.1", ok));
  const { context, page, errors } = await newPhone(browser, { serviceWorkers: "block" });
  try {
    await page.goto(`http://127.0.0.1:${site.address().port}/`);
    const frame = await (await page.waitForSelector("iframe")).contentFrame();
    // Refused: Chromium shows its error page in the frame. Allowed: the app paints at once.
    const until = Date.now() + 20_000;
    let shown = 0;
    while (Date.now() < until && !frame.url().startsWith("chrome-error:")) {
      shown = await frame.locator(".shell").count().catch(() => 0);
      if (shown) break;
      await page.waitForTimeout(100);
    }
    assert.equal(shown, 0, "the app drew inside another site's frame");
    assert.match(frame.url(), /^chrome-error:/, "the frame was refused");
    const reported = await violations(errors, /frame-ancestors/);
    assert.ok(
      reported.some((e) => /frame-ancestors 'none'/.test(e)),
      `the refusal names frame-ancestors: ${JSON.stringify(reported)}`,
    );
  } finally {
    await context.close();
    site.close();
  }
});

test("an injected inline script, eval and a style attribute are refused and reported", async () => {
  const { context, page, errors } = await newPhone(browser);
  const app = new Shell(page, hub.url, errors);
  await app.open("/");
  const outcome = await page.evaluate(async () => {
    // What an HTML injection would add: an inline script…
    const s = document.createElement("script");
    s.textContent = "window.__injected = true;";
    document.body.append(s);
    // …string-to-code, from a task of the page's (code evaluated by DevTools itself, as this
    // function is, may eval)…
    const evaluated = await new Promise((answer) =>
      setTimeout(() => {
        try {
          answer((0, eval)("1 + 1") === 2);
        } catch {
          answer(false);
        }
      }),
    );
    // …and a style attribute.
    const div = document.createElement("div");
    div.setAttribute("style", "width: 123px");
    document.body.append(div);
    const width = getComputedStyle(div).width;
    div.remove();
    await new Promise((r) => setTimeout(r, 200));
    return { ran: window.__injected === true, evaluated, width };
  });
  assert.equal(outcome.ran, false, "the injected script ran");
  assert.equal(outcome.evaluated, false, "eval ran");
  assert.notEqual(outcome.width, "123px", "the style attribute applied");
  const reported = await violations(errors, /style-src/);
  for (const directive of ["script-src-elem", "script-src", "style-src-attr"]) {
    assert.ok(
      reported.some((e) => e.includes(`enforce ${directive} `)),
      `a ${directive} violation reported: ${JSON.stringify(reported)}`,
    );
  }
  assert.deepEqual(errors, [], "nothing else went wrong");
  await context.close();
});

test("the app syncs with another origin only when the hub lists it in connect-src", async () => {
  // `hub` lists no other origin; `listing` lists `hub`'s.
  const listing = await startHub({ args: ["--connect-src", hub.url] });
  const { context, page, errors } = await newPhone(browser, { serviceWorkers: "block" });
  try {
    // A request from a task of the page, as the app's sync makes them (`no-cors`: what is
    // checked is whether it may leave at all; the answer's type says it came back).
    const reach = (base) =>
      page.evaluate(
        (url) =>
          new Promise((answer) =>
            setTimeout(() =>
              fetch(url, { mode: "no-cors" }).then(
                (r) => answer(r.type),
                (e) => answer(e.name),
              ),
            ),
          ),
        `${base}/parts.json`,
      );
    await new Shell(page, listing.url, errors).open("/");
    assert.equal(await reach(hub.url), "opaque", "a listed origin is reachable");
    assert.deepEqual(errors, []);

    await new Shell(page, hub.url, errors).open("/");
    assert.equal(await reach(listing.url), "TypeError", "an origin not listed is refused");
    const reported = await violations(errors, /connect-src/);
    assert.ok(
      reported.some((e) => e.includes("connect-src") && e.includes(listing.url)),
      JSON.stringify(reported),
    );
    assert.deepEqual(errors, [], "nothing else went wrong");
  } finally {
    await context.close();
    await listing.stop();
  }
});
