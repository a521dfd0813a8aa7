// Size budget of the release bundle, from the files: prints raw / gzip / brotli bytes of the
// first part (what index.html loads before the home screen: index.html itself with its
// inlined CSS, its two small scripts, the main JS and wasm, the split loader and the JS
// snippets the main JS imports) and of every other part, and fails when the first part's
// brotli total exceeds the budget. `tests/bench/first-load.mjs` measures the same thing in
// Chromium, over the wire.
//
//   node tests/budget.mjs [DIST] [BUDGET_KB]      (defaults: dist, 200)
//
// Brotli at quality 11 and gzip at level 9: what a static host serves when it precompresses,
// and what `linli-hub serve` writes. KB here is 1,000 bytes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const dist = process.argv[2] ?? "dist";
const budgetKb = Number(process.argv[3] ?? 200);

let parts, html;
try {
  parts = JSON.parse(readFileSync(join(dist, "parts.json"), "utf8"));
  html = readFileSync(join(dist, "index.html"), "utf8");
} catch (err) {
  console.error(`budget: cannot read ${dist}: ${err.message}. Build first: trunk build --release`);
  process.exit(2);
}

// The first part: index.html, its scripts (the boot script, the module that starts the app)
// and the scripts and wasm it links (modulepreload / preload), plus what the main JS imports
// statically (the worker snippets).
const linked = [
  ...[...html.matchAll(/<script[^>]+src="\/([^"]+)"/g)].map((m) => m[1]),
  ...[...html.matchAll(/<link[^>]+rel="(?:modulepreload|preload)"[^>]+href="\/([^"]+)"/g)].map((m) => m[1]),
];
const main = linked.find((f) => /^linli-[0-9a-f]+\.js$/.test(f));
if (!main) {
  console.error("budget: index.html does not preload the main JS: is this a release bundle?");
  process.exit(2);
}
const mainJs = readFileSync(join(dist, main), "utf8");
const imported = [...mainJs.matchAll(/from ['"]\.\/(snippets\/[^'"]+)['"]/g)].map((m) => m[1]);
const first = new Set(["index.html", ...linked, ...imported]);
const rest = parts.files.map((f) => f.replace(/^\//, "")).filter((f) => !first.has(f));

function measure(file) {
  const raw = readFileSync(join(dist, file));
  return {
    file,
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }).length,
  };
}

const kb = (n) => (n / 1000).toFixed(1).padStart(8);
const line = (a, b, c, d) => console.log(`${a.padEnd(46)}${b.padStart(10)}${c.padStart(10)}${d.padStart(10)}`);
const sum = (rows, key) => rows.reduce((n, r) => n + r[key], 0);
function table(title, rows) {
  console.log(`\n${title}`);
  line("file", "  raw KB", "  gzip KB", " brotli KB");
  for (const r of rows.sort((a, b) => b.brotli - a.brotli)) line(r.file, kb(r.raw), kb(r.gzip), kb(r.brotli));
  line("total", kb(sum(rows, "raw")), kb(sum(rows, "gzip")), kb(sum(rows, "brotli")));
}

const firstRows = [...first].map(measure);
const restRows = rest.map(measure);
table("first part (before the home screen)", firstRows);
table("the other parts (loaded when first needed, precached after the first paint)", restRows);
const firstBr = sum(firstRows, "brotli");
const allBr = firstBr + sum(restRows, "brotli");
console.log(`\nwhole app: ${kb(allBr).trim()} KB brotli in ${firstRows.length + restRows.length} files`);
if (firstBr > budgetKb * 1000) {
  console.error(`budget: FAILED — the first part is ${kb(firstBr).trim()} KB brotli, over the budget of ${budgetKb} KB`);
  process.exit(1);
}
console.log(`budget: ok — first part ${kb(firstBr).trim()} KB brotli of ${budgetKb} KB (${((100 * firstBr) / (budgetKb * 1000)).toFixed(0)}%)`);
