// Static reads from the bucket (issue 15): a 3-node Garage cluster holds the spaces, a hub
// keeps them there (`serve --store s3://linli/ --public-url …`), `linli-hub publish` uploads
// the app beside them, and a phone opens the app from the bucket's website endpoint, joins,
// reads everything from the bucket and asks for help; only its posts go to the hub, and they
// reach the bucket's manifest.
//
// Starts its own cluster with `.ci/garage.sh start` (Garage 2.5.0 must be installed: `bash
// .ci/test` installs it, `.ci/lib.sh` need_garage), or uses the one `.ci/garage.sh run`
// started around it (its AWS_* and LINLI_S3_* variables set).
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { after, before, test } from "node:test";
import { distDir, hubBin, launchBrowser, newPhone, ROOT, Shell, startHub } from "./support.mjs";

const GARAGE = join(ROOT, ".ci/garage.sh");
let cluster;
let hub;
let browser;
let demo;
/** The bucket's website (http://linli.web.garage.localhost:PORT): the app and the spaces. */
let web;
/** What `linli-hub publish` printed. */
let published;

/** The cluster: the one around this run, else a new one in a temporary folder. */
function startCluster() {
  if (process.env.LINLI_S3_WEB && process.env.AWS_ENDPOINT_URL) return { stop() {} };
  const dir = mkdtempSync(join(tmpdir(), "linli-bucket-garage-"));
  const started = spawnSync("bash", [GARAGE, "start", dir], { encoding: "utf8" });
  if (started.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot start the Garage cluster (.ci/garage.sh start): ${started.stderr}`);
  }
  for (const line of readFileSync(join(dir, "env"), "utf8").split("\n")) {
    const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) process.env[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  return {
    stop() {
      execFileSync("bash", [GARAGE, "stop", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A GET of the bucket's website from here, as it is sent (no decoding): status, headers, bytes. */
function webGet(path, headers = {}) {
  const url = new URL(web);
  return new Promise((ok, fail) => {
    const req = request(
      { host: "127.0.0.1", port: url.port, path, headers: { host: url.host, ...headers } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on("error", fail);
    req.end();
  });
}

/** How `publish` stores the app: gzip, unless LINLI_BUCKET_ENCODING=br (to measure brotli). */
const ENCODING = process.env.LINLI_BUCKET_ENCODING === "br" ? "br" : "gzip";

/** A response's bytes, decoded as a browser does. */
function decoded(r) {
  const enc = r.headers["content-encoding"];
  return enc === "gzip" ? gunzipSync(r.body) : enc === "br" ? brotliDecompressSync(r.body) : r.body;
}

/** The manifest the bucket serves. */
async function bucketManifest() {
  const r = await webGet(`/spaces/${demo.space}/manifest.json`);
  assert.equal(r.status, 200, `the bucket's manifest: ${r.status} ${r.body}`);
  return JSON.parse(r.body.toString());
}

const eventsIn = (m) => m.files.reduce((sum, f) => sum + f.events, 0);

/** Polls the bucket's manifest until it lists more than `count` events (at most a minute). */
async function listedBeyond(count) {
  for (const started = Date.now(); Date.now() - started < 60_000; ) {
    const m = await bucketManifest();
    if (eventsIn(m) > count) return m;
    await new Promise((r) => setTimeout(r, 250));
  }
  return bucketManifest();
}

/** A port free on 127.0.0.1 now, for a hub whose `--public-url` must name it. */
function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

before(async () => {
  cluster = startCluster();
  web = process.env.LINLI_S3_WEB;
  const store = `s3://${process.env.LINLI_S3_BUCKET}/`;
  const data = mkdtempSync(join(tmpdir(), "linli-bucket-demo-"));
  // A small demo community (1,043 events) unless LINLI_BUCKET_FULL_DEMO=1 asks for the whole
  // one (39,157 events), to measure a join from the bucket.
  const size = process.env.LINLI_BUCKET_FULL_DEMO === "1" ? [] : ["--households", "20", "--residents", "40"];
  execFileSync(hubBin(), ["demo", ...size, "--out", data], { stdio: ["ignore", "pipe", "pipe"] });
  const invites = JSON.parse(readFileSync(join(data, "demo-invites.json"), "utf8"));
  const space = invites[0].space;
  const port = await freePort();
  const hubUrl = `http://127.0.0.1:${port}`;
  hub = await startHub({ store, addr: `127.0.0.1:${port}`, args: ["--public-url", hubUrl] });
  // The demo community, pushed file by file through the hub into the bucket.
  const folder = join(data, "spaces", space);
  const local = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8"));
  let accepted = 0;
  for (const f of local.files) {
    const r = await fetch(`${hub.url}/spaces/${space}/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: readFileSync(join(folder, f.path)),
    });
    const text = await r.text();
    assert.equal(r.status, 200, `push of ${f.path}: ${r.status} ${text}`);
    accepted += JSON.parse(text).accepted;
  }
  assert.equal(accepted, eventsIn(local), "the hub took the whole demo");
  const started = Date.now();
  const out = spawnSync(hubBin(), ["publish", "--dist", distDir(), "--store", store, "--cors", "--website", "--encoding", ENCODING], {
    encoding: "utf8",
  });
  assert.equal(out.status, 0, `linli-hub publish: ${out.stderr}`);
  published = `${out.stderr.trim()} (${Date.now() - started} ms)`;
  console.log(published);
  demo = { data, space, events: accepted, invite: invites.find((i) => i.role === "resident") };
  // The web endpoint's host name is *.localhost, which Chromium resolves to 127.0.0.1 and
  // treats as a secure context; the rule makes the mapping explicit.
  browser = await launchBrowser(["--host-resolver-rules=MAP *.garage.localhost 127.0.0.1"]);
});

after(async () => {
  await browser?.close();
  if (process.exitCode) console.error(`hub log:\n${hub?.log.join("") ?? ""}`);
  if (hub) await hub.stop();
  cluster?.stop();
  if (demo) rmSync(demo.data, { recursive: true, force: true });
});

test("the bucket serves the app and the space as a static host must: types, caching, encoding, routes, CORS", async () => {
  const dist = distDir();
  const index = await webGet("/");
  assert.equal(index.status, 200);
  assert.equal(index.headers["content-type"], "text/html; charset=utf-8");
  assert.equal(index.headers["cache-control"], "no-cache");
  assert.equal(index.headers["content-encoding"], ENCODING);
  assert.deepEqual(decoded(index), readFileSync(join(dist, "index.html")), `index.html, ${ENCODING}-encoded`);
  // Revalidation against the store's ETag.
  const again = await webGet("/", { "if-none-match": index.headers.etag });
  assert.equal(again.status, 304);

  const parts = JSON.parse(decoded(await webGet("/parts.json")).toString());
  const wasm = parts.files.find((f) => f.endsWith(".wasm"));
  assert.ok(wasm, `a wasm part in parts.json: ${parts.files}`);
  const w = await webGet(wasm);
  assert.equal(w.status, 200);
  assert.equal(w.headers["content-type"], "application/wasm");
  assert.equal(w.headers["cache-control"], "public, max-age=31536000, immutable");
  assert.equal(w.headers["content-encoding"], ENCODING);
  assert.deepEqual(decoded(w), readFileSync(join(dist, wasm)));
  const sw = await webGet("/sw.js");
  assert.equal(sw.headers["cache-control"], "no-cache");
  assert.match(sw.headers["content-type"], /^text\/javascript/);

  // An app route gets index.html with 200, as from the hub; a missing space file stays a 404.
  const route = await webGet("/council");
  assert.equal(route.status, 200);
  assert.equal(route.headers["content-type"], "text/html; charset=utf-8");
  assert.deepEqual(decoded(route), readFileSync(join(dist, "index.html")));
  assert.equal((await webGet(`/spaces/${demo.space}/events-0000000000000000.json`)).status, 404);

  // The space: the manifest revalidated, its files immutable, the empty snapshot index the
  // hub wrote beside it; any origin may read them.
  const m = await webGet(`/spaces/${demo.space}/manifest.json`, { origin: "https://app.example.org" });
  assert.equal(m.headers["content-type"], "application/json");
  assert.equal(m.headers["cache-control"], "no-cache");
  assert.equal(m.headers["access-control-allow-origin"], "*", "the bucket's CORS rule");
  const manifest = JSON.parse(m.body.toString());
  assert.equal(manifest.push, hub.url, "the manifest names the hub phones post to");
  const file = await webGet(`/spaces/${demo.space}/${manifest.files[0].path}`);
  assert.equal(file.headers["content-type"], "application/json");
  assert.equal(file.headers["cache-control"], "public, max-age=31536000, immutable");
  assert.equal(file.headers["content-encoding"], undefined, "space files are their exact bytes");
  assert.equal(createHash("sha256").update(file.body).digest("hex"), manifest.files[0].sha256);
  const snapshots = await webGet(`/spaces/${demo.space}/snapshots.json`);
  assert.equal(snapshots.status, 200);
  assert.equal(snapshots.headers["cache-control"], "no-cache");
  assert.deepEqual(JSON.parse(snapshots.body.toString()), { space: demo.space, snapshots: [] });
});

test("a phone opens the app from the bucket, joins and reads everything there; its posts go to the hub and reach the bucket's manifest", async () => {
  const before = eventsIn(await bucketManifest());
  assert.equal(before, demo.events);
  const phone = await newPhone(browser);
  const seen = [];
  phone.context.on("request", (r) => seen.push({ method: r.method(), url: r.url() }));
  const app = new Shell(phone.page, web, phone.errors);
  const link = `${web}/#e=${encodeURIComponent(web)}&s=${demo.space}&k=${demo.invite.secret}`;
  const started = Date.now();
  await app.join(link, "桶上居民");
  const joined = Date.now() - started;
  // What came over the wire (printed, not asserted): the app, gzip-encoded, and the space.
  const bytes = await phone.page.evaluate(() => {
    const all = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
    const sum = (es) => es.reduce((n, e) => n + e.transferSize, 0);
    const data = all.filter((e) => new URL(e.name).pathname.startsWith("/spaces/"));
    return { app: sum(all) - sum(data), data: sum(data) };
  });
  console.log(
    `a phone opened the app from the bucket and joined (${demo.events} events read there) in ${joined} ms; ` +
      `${bytes.app} bytes of app and ${bytes.data} bytes of data transferred`,
  );

  const afterJoin = await listedBeyond(before);
  assert.equal(eventsIn(afterJoin), before + 1, "the join reached the bucket's manifest through the hub");

  // Asks for help from home, then syncs on 同步与数据 (a route the bucket answers with the app).
  await app.open("/");
  await phone.page.getByRole("link", { name: "求助", exact: true }).tap();
  await phone.page.getByTestId("new-request").getByRole("button", { name: "助老", exact: true }).tap();
  await phone.page.locator("input[name=words]").fill("请帮忙取快递");
  await phone.page.getByTestId("new-request").getByRole("button", { name: "提交" }).tap();
  await phone.page.getByTestId("request-sent").waitFor();
  await app.syncNow();
  assert.equal(Number(await phone.page.getByTestId("unsent").innerText()), 0, "nothing left unsent");
  assert.equal(await phone.page.getByTestId("push-address").innerText(), hub.url);

  const final = await listedBeyond(before + 1);
  assert.equal(eventsIn(final), before + 2, "the request reached the bucket's manifest");
  // The request is in a file the bucket lists, as the phone signed it.
  const added = final.files.filter((f) => !afterJoin.files.some((g) => g.path === f.path));
  const bodies = [];
  for (const f of added) {
    const r = await webGet(`/spaces/${demo.space}/${f.path}`);
    for (const env of JSON.parse(r.body.toString())) bodies.push(Buffer.from(env.body, "base64url").toString());
  }
  assert.ok(
    bodies.some((b) => b.includes("请帮忙取快递")),
    `the request among the events of the files added: ${bodies.map((b) => JSON.parse(b).kind)}`,
  );

  // Every read went to the bucket; the hub only took posts.
  const hubOrigin = new URL(hub.url).origin;
  const webOrigin = new URL(web).origin;
  const toHub = seen.filter((r) => r.url.startsWith(hubOrigin));
  assert.ok(toHub.length >= 2, `the join and the request were posted to the hub: ${JSON.stringify(toHub)}`);
  for (const r of toHub) {
    assert.equal(r.method, "POST", `only posts to the hub: ${r.method} ${r.url}`);
    assert.equal(new URL(r.url).pathname, `/spaces/${demo.space}/events`);
  }
  const elsewhere = seen.filter((r) => !r.url.startsWith(hubOrigin) && !r.url.startsWith(webOrigin) && !r.url.startsWith("data:") && !r.url.startsWith("blob:"));
  assert.deepEqual(elsewhere, [], "nothing read from anywhere else");
  const reads = seen.filter((r) => r.url.startsWith(webOrigin) && r.method === "GET").map((r) => new URL(r.url).pathname);
  assert.ok(reads.includes(`/spaces/${demo.space}/manifest.json`), `the manifest read from the bucket: ${reads}`);
  assert.ok(reads.some((p) => p.endsWith(".wasm")), `the app loaded from the bucket: ${reads}`);
  assert.deepEqual(phone.errors, [], "no errors in the phone's console");
  await app.screenshot("bucket-sync-zh");
  await phone.context.close();
});
