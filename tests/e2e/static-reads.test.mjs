// A community whose files a bucket, a CDN or a mirror serves (here a plain static server that
// refuses posts, on another origin) while one hub takes its events: the manifest names the hub
// (`push`), a phone joins reading only from the static host, its join reaches the hub, and
// 同步与数据 says where records are sent.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { after, before, test } from "node:test";
import { hubBin, launchBrowser, newPhone, Shell, startHub } from "./support.mjs";

let hub;
let browser;
let statics;
let demo;
/** Every request the static host answered, as "METHOD path". */
const seen = [];

/** A static host as a bucket's website endpoint is: files, CORS for reads, nothing else. */
function staticHost(root) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    seen.push(`${req.method} ${path}`);
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Expose-Headers", "etag");
    if (req.method === "OPTIONS") {
      res.setHeader("Access-Control-Allow-Headers", "if-none-match");
      res.writeHead(204).end();
      return;
    }
    if (req.method !== "GET") {
      res.writeHead(405, { Allow: "GET" }).end();
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

/** The events the hub's own manifest lists. */
async function listedAtHub(space) {
  const r = await fetch(`${hub.url}/spaces/${space}/manifest.json`, { cache: "no-store" });
  const m = await r.json();
  return m.files.reduce((sum, f) => sum + f.events, 0);
}

before(async () => {
  const data = mkdtempSync(join(tmpdir(), "linli-static-"));
  execFileSync(hubBin(), ["demo", "--households", "20", "--residents", "40", "--out", data], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const invites = JSON.parse(readFileSync(join(data, "demo-invites.json"), "utf8"));
  const mirror = mkdtempSync(join(tmpdir(), "linli-mirror-"));
  statics = await staticHost(mirror);
  const staticUrl = `http://127.0.0.1:${statics.address().port}`;
  hub = await startHub({ data, args: ["--connect-src", staticUrl] });
  const space = invites[0].space;
  execFileSync(hubBin(), ["export", "--data", data, "--space", space, "--out", mirror, "--push", hub.url], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  demo = { space, staticUrl, invite: invites.find((i) => i.role === "resident") };
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  statics?.close();
  if (process.exitCode) console.error(`hub log:\n${hub?.log.join("") ?? ""}`);
  if (hub) await hub.stop();
});

test("a phone reads a community from a static host and sends its records to the hub the manifest names", async () => {
  const before = await listedAtHub(demo.space);
  const phone = await newPhone(browser);
  const app = new Shell(phone.page, hub.url, phone.errors);
  const link = `${hub.url}/#e=${encodeURIComponent(demo.staticUrl)}&s=${demo.space}&k=${demo.invite.secret}`;
  await app.join(link, "桶读者");

  // The join reaches the hub, though the phone reads from the static host.
  let now = before;
  for (const started = Date.now(); now === before && Date.now() - started < 30_000; ) {
    await new Promise((r) => setTimeout(r, 250));
    now = await listedAtHub(demo.space);
  }
  assert.equal(now, before + 1, "the hub took the join");
  const reads = seen.filter((s) => s.startsWith("GET "));
  assert.ok(reads.some((s) => s.endsWith("/manifest.json")), `the manifest was read there: ${seen}`);
  assert.ok(reads.some((s) => /\/events-[0-9a-f]+\.json$/.test(s)), `the files were read there: ${seen}`);
  assert.deepEqual(
    seen.filter((s) => !s.startsWith("GET ") && !s.startsWith("OPTIONS ")),
    [],
    "nothing was posted to the static host",
  );

  // 同步与数据 names both addresses, and nothing is left unsent.
  await phone.page.goto(`${hub.url}/sync`);
  await app.ready();
  await phone.page.getByTestId("push-address").waitFor();
  assert.equal(await phone.page.getByTestId("push-address").innerText(), hub.url);
  assert.match(await phone.page.locator("main").innerText(), new RegExp(`同步地址\\s*${demo.staticUrl}`));
  assert.equal(Number(await phone.page.getByTestId("unsent").innerText()), 0);
  await app.screenshot("static-reads-sync-zh");
  await phone.context.close();
});
