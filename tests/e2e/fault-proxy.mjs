// A proxy in front of the hub that misbehaves on demand, for the sync fault tests: a phone
// whose origin (and so whose community's endpoint) is the proxy sees the hub through it.
// Everything passes through unchanged until `proxy.fault` says otherwise for a request.
import http from "node:http";

/**
 * Starts the proxy on 127.0.0.1 (a port the OS picks) in front of `target` (the hub's URL).
 * Set `proxy.fault` to a function of the request (`{ method, path }`) that returns how to
 * answer it, or nothing to pass it through:
 *
 * - `{ status }`: that status, with a JSON error body, and nothing sent to the hub;
 * - `"hang"`: no answer at all (the connection stays open);
 * - `"stall"`: the hub's headers and the first half of its body, then nothing more;
 * - `"truncate"`: the first half of the body, then a clean end (no length announced, so
 *   the browser cannot tell from the transfer itself);
 * - `"tamper"`: the whole body with one signature character changed (same length, still
 *   JSON: only its hash can tell);
 * - `{ body, headers }`: this body and these headers instead of the hub's (an older file).
 *
 * `proxy.seen` lists the requests answered by a fault, as `"METHOD /path fault"`.
 */
export async function faultProxy(target) {
  const upstream = new URL(target);
  const sockets = new Set();
  const held = new Set(); // answers left hanging or stalled
  const proxy = {
    url: "",
    fault: null,
    seen: [],
    /** No more faults; connections left hanging are cut (the browser sees them fail). */
    heal: () => {
      proxy.fault = null;
      proxy.seen = [];
      for (const res of held) res.destroy();
      held.clear();
    },
    /** Fetches `path` from the hub itself, bypassing the faults: `{ status, headers, body }`. */
    fetchUpstream: (path) => forward({ method: "GET", url: path, headers: {} }, null),
    close: () =>
      new Promise((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };

  // The hub's answer, whole and uncompressed (so that it can be changed).
  function forward(req, body) {
    return new Promise((ok, fail) => {
      const headers = { ...req.headers, host: upstream.host, "accept-encoding": "identity" };
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (res) => {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on("error", fail);
        },
      );
      out.on("error", fail);
      out.end(body);
    });
  }

  // Passes a request through untouched, streaming both ways.
  function pass(req, res) {
    const out = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      },
    );
    out.on("error", () => res.destroy());
    req.pipe(out);
  }

  async function misbehave(req, res, fault) {
    const cors = { "access-control-allow-origin": "*", "access-control-expose-headers": "etag, retry-after" };
    if (fault === "hang") return void held.add(res); // never answered
    if (typeof fault === "object" && "status" in fault) {
      req.resume();
      res.writeHead(fault.status, { ...cors, "content-type": "application/json" });
      res.end(JSON.stringify({ error: `injected: ${fault.status}` }));
      return;
    }
    if (typeof fault === "object" && "body" in fault) {
      req.resume();
      res.writeHead(200, { ...cors, ...fault.headers, "content-length": Buffer.byteLength(fault.body) });
      res.end(fault.body);
      return;
    }
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const up = await forward(req, Buffer.concat(chunks));
    const headers = { ...up.headers };
    delete headers["content-length"];
    delete headers["content-encoding"];
    delete headers["transfer-encoding"];
    let body = up.body;
    if (fault === "tamper") {
      const at = body.indexOf('"sig":"') + 7;
      if (at < 7) throw new Error(`nothing to tamper with in ${req.url}`);
      body = Buffer.from(body);
      body[at] = body[at] === 0x41 ? 0x42 : 0x41; // A <-> B: still base64, still JSON
      headers["content-length"] = body.length;
      res.writeHead(up.status, headers);
      res.end(body);
      return;
    }
    // "stall" and "truncate": half of it, chunked (no length announced).
    res.writeHead(up.status, headers);
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    if (fault === "truncate") res.end();
    else held.add(res);
  }

  const server = http.createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const fault = proxy.fault?.({ method: req.method, path }) ?? null;
    if (!fault || req.method === "OPTIONS") return pass(req, res);
    proxy.seen.push(`${req.method} ${path} ${typeof fault === "string" ? fault : JSON.stringify(fault.status ?? "body")}`);
    misbehave(req, res, fault).catch((err) => {
      console.error(`fault proxy: ${err.stack}`);
      res.destroy();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  proxy.url = `http://127.0.0.1:${server.address().port}`;
  return proxy;
}

/** Whether `path` is one of a space's event files (not its manifest or snapshot index, not a POST target). */
export const isEventFile = (path) => /^\/spaces\/[0-9a-f]{64}\/(?!(?:manifest|snapshots)\.json$)[^/]+\.json$/.test(path);
/** Whether `path` is a space's manifest. */
export const isManifest = (path) => /^\/spaces\/[0-9a-f]{64}\/manifest\.json$/.test(path);
