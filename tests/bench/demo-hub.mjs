// The benchmarks' community: `linli-hub demo` with the given flags, served by the release hub,
// its compressed copies made before anything is measured.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, startHub } from "../e2e/support.mjs";

/**
 * Generates the demo with `flags` (e.g. `["--residents", "5000"]`), starts the hub (the
 * release build unless LINLI_HUB says otherwise) and fetches every file once in br and gzip.
 * Returns `{ hub, data, space, invites, generatedMs }`.
 */
export async function demoHub(flags) {
  process.env.LINLI_HUB ??= join(ROOT, "target/release/linli-hub");
  // LINLI_BENCH_DATA: a folder `linli-hub demo --out` wrote before (with the same flags), to
  // measure again without generating it again. It is copied first: the run uses invitations
  // (each joins once) and adds events, and the folder stays as it was for the next run.
  const data = mkdtempSync(join(tmpdir(), "linli-bench-"));
  if (process.env.LINLI_BENCH_DATA) cpSync(process.env.LINLI_BENCH_DATA, data, { recursive: true });
  const t = Date.now();
  const space = process.env.LINLI_BENCH_DATA
    ? JSON.parse(readFileSync(join(data, "demo-invites.json"), "utf8"))[0].space
    : execFileSync(process.env.LINLI_HUB, ["demo", "--out", data, ...flags], {
        maxBuffer: 1 << 26,
      })
        .toString()
        .trim()
        .split("\n")[0];
  const generatedMs = Date.now() - t;
  const invites = JSON.parse(readFileSync(join(data, "demo-invites.json"), "utf8"));
  const hub = await startHub({ data });
  // A hub that has served the space before keeps compressed copies of its files (it makes
  // them after a file's first request); warm it the way the first device would, so that the
  // figures are the phone's work, not the hub's one-off compression on the same 2 cores.
  const manifest = await (await fetch(`${hub.url}/spaces/${space}/manifest.json`)).json();
  for (const enc of ["br", "gzip"]) {
    for (const f of manifest.files) {
      await (await fetch(`${hub.url}/spaces/${space}/${f.path}`, { headers: { "accept-encoding": enc } })).arrayBuffer();
    }
  }
  for (let i = 0; i < 1200; i++) {
    const done = manifest.files.every((f) =>
      ["br", "gz"].every((x) => existsSync(join(data, "spaces", space, `${f.path}.${x}`))),
    );
    if (done) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { hub, data, space, invites, generatedMs };
}
