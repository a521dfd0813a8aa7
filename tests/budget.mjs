// Size budget of the release bundle: prints raw / gzip / brotli bytes of the wasm, JS and CSS
// in dist/ and fails when the brotli total exceeds the budget.
//
//   node tests/budget.mjs [DIST] [BUDGET_KB]      (defaults: dist, 160)
//
// Brotli at quality 11 and gzip at level 9: what a static host serves when it precompresses,
// and what `linli-hub serve` writes. KB here is 1,000 bytes.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, extname } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const dist = process.argv[2] ?? "dist";
const budgetKb = Number(process.argv[3] ?? 160);
const kinds = { ".wasm": "wasm", ".js": "js", ".css": "css" };

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

let listed;
try {
  listed = files(dist).filter((p) => kinds[extname(p)]);
} catch (err) {
  console.error(`budget: cannot read ${dist}: ${err.message}. Build first: trunk build --release`);
  process.exit(2);
}
if (!listed.some((p) => p.endsWith(".wasm"))) {
  console.error(`budget: no .wasm in ${dist}: is it a release bundle?`);
  process.exit(2);
}

const rows = listed.map((path) => {
  const raw = readFileSync(path);
  return {
    file: path.slice(dist.length + 1),
    kind: kinds[extname(path)],
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }).length,
  };
});

const kb = (n) => (n / 1000).toFixed(1).padStart(8);
const line = (a, b, c, d) => console.log(`${a.padEnd(40)}${b.padStart(10)}${c.padStart(10)}${d.padStart(10)}`);
line("file", "  raw KB", "  gzip KB", " brotli KB");
for (const r of rows.sort((a, b) => b.brotli - a.brotli)) {
  line(r.file, kb(r.raw), kb(r.gzip), kb(r.brotli));
}
const sum = (key) => rows.reduce((n, r) => n + r[key], 0);
line("total", kb(sum("raw")), kb(sum("gzip")), kb(sum("brotli")));

const total = sum("brotli");
if (total > budgetKb * 1000) {
  console.error(`budget: FAILED — brotli total ${kb(total).trim()} KB exceeds the budget of ${budgetKb} KB`);
  process.exit(1);
}
console.log(`budget: ok — brotli total ${kb(total).trim()} KB of ${budgetKb} KB (${((100 * total) / (budgetKb * 1000)).toFixed(0)}%)`);
