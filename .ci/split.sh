#!/usr/bin/env bash
# Trunk post_build hook: splits the app into parts that load when first needed.
#
# The app marks its split points with `#[wasm_split(<part>)]` (src/parts.rs); each part's code
# goes into its own .wasm, loaded the first time one of its functions is called. Trunk has
# already built the wasm with relocations kept (.cargo/config.toml) and staged its own,
# unsplit, output; this hook redoes the last steps on cargo's linked .wasm:
#
#   wasm-split-cli -> wasm-bindgen (main module) -> wasm-opt (every module)
#
# then replaces the two staged files (same names, so index.html keeps pointing at them), adds
# the split loader and the parts under content-hashed names (an old tab and a new deploy
# never mix files), fixes index.html's integrity hashes, and writes `parts.json`, the list of
# every file of this build that the service worker precaches after the first paint.
#
# Tools, all installed by .ci/lib.sh and found on PATH (nothing is downloaded here):
# wasm-split-cli (crate wasm_split_cli_support), wasm-bindgen (= Cargo.lock), wasm-opt
# (npm binaryen) and terser (npm).
set -euo pipefail

BIN=linli
RELEASE_PROFILE=wasm-release # index.html's data-cargo-profile-release
OPT_FLAGS=(-Oz --enable-bulk-memory --enable-nontrapping-float-to-int)

stage=${TRUNK_STAGING_DIR:?run me as a Trunk post_build hook}
root=${TRUNK_SOURCE_DIR:-$(pwd)}
html="$stage/index.html"
public_url=${TRUNK_PUBLIC_URL:-/}
if [ "${TRUNK_PROFILE:-debug}" = release ]; then profile=$RELEASE_PROFILE; else profile=debug; fi
target_dir=${CARGO_TARGET_DIR:-$(cd "$root" && cargo metadata --format-version 1 --no-deps --offline |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')}
input="$target_dir/wasm32-unknown-unknown/$profile/$BIN.wasm"

die() { echo "split: $*" >&2; exit 1; }
[ -f "$input" ] || die "no linked wasm at $input"
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")
[ "$(wasm-bindgen --version)" = "wasm-bindgen $want" ] ||
  die "wasm-bindgen on PATH is not $want (Cargo.lock): run bash .ci/up or .ci/test"
command -v wasm-split-cli >/dev/null || die "wasm-split-cli is missing: run bash .ci/up or .ci/test"

# The staged main module: <bin>-<hex>.js with filehash (up to 16 digits: Trunk prints the
# hash without leading zeros), <bin>.js without.
js=$(find "$stage" -maxdepth 1 -regextype posix-extended -regex ".*/$BIN(-[0-9a-f]{1,16})?\.js" -print -quit)
[ -n "$js" ] || die "no staged $BIN*.js in $stage"
stem=$(basename "$js" .js)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
t0=$(date +%s.%N)

# 1. Split. The loader imports initSync from "./$stem.js"; the parts sit beside it.
wasm-split-cli --target web --out-name "$stem" "$input" "$work/split" >/dev/null
mv "$work/split/$stem.wasm" "$work/main-split.wasm"

# 2. Bind the main module. --keep-lld-exports keeps the table, memory and shared functions
#    the parts import.
wasm-bindgen --target web --keep-lld-exports --no-demangle --no-typescript \
  --out-name "$stem" --out-dir "$work/bind" "$work/main-split.wasm"

# 3. Optimise every module for size (release only, as Trunk would).
if [ "${TRUNK_PROFILE:-debug}" = release ]; then
  for f in "$work/bind/${stem}_bg.wasm" "$work/split"/*.wasm; do
    wasm-opt "${OPT_FLAGS[@]}" --strip-producers "$f" -o "$f" 2> >(grep -v "unknown name subsection" >&2)
  done
fi

# 4. Content-hashed names for the parts and the loader, references rewritten.
h16() { sha256sum "$1" | cut -c1-16; }
loader="$work/split/__wasm_split.js"
[ -f "$loader" ] || die "wasm-split-cli wrote no loader: does the app have split points?"
parts=()
for f in "$work/split"/*.wasm; do
  base=$(basename "$f" .wasm)
  new="$base-$(h16 "$f").wasm"
  mv "$f" "$work/split/$new"
  sed -i "s|\"./$base.wasm\"|\"./$new\"|g" "$loader"
  parts+=("$new")
done
loader_name="__wasm_split-$(h16 "$loader").js"
mv "$loader" "$work/split/$loader_name"
sed -i "s|from \"./__wasm_split.js\"|from \"./$loader_name\"|g" "$work/bind/$stem.js"
grep -q "$loader_name" "$work/bind/$stem.js" || die "the main JS does not import the split loader"

# 4b. Minify the two scripts of the first part (release only): a phone parses less before its
#     first screen. After the renames, so that they match wasm-bindgen's own spelling.
if [ "${TRUNK_PROFILE:-debug}" = release ]; then
  for f in "$work/bind/$stem.js" "$work/split/$loader_name"; do
    terser --module --compress --mangle --output "$f" -- "$f"
  done
fi

# 5. Replace the staged files, add the new ones.
cp "$work/bind/$stem.js" "$stage/$stem.js"
cp "$work/bind/${stem}_bg.wasm" "$stage/${stem}_bg.wasm"
if [ -d "$work/bind/snippets" ]; then
  rm -rf "$stage/snippets"
  cp -r "$work/bind/snippets" "$stage/"
fi
cp "$work/split/$loader_name" "$stage/"
for p in "${parts[@]}"; do cp "$work/split/$p" "$stage/"; done

# 6. index.html: new integrity hashes for the two replaced files and a modulepreload for the
#    loader (the main JS imports it at once). parts.json: every file of this build, for the
#    service worker.
sri() { echo "sha384-$(openssl dgst -sha384 -binary "$1" | base64 -w0)"; }
python3 - "$html" "$stage" "$public_url" "$stem" "$(sri "$stage/$stem.js")" \
  "$(sri "$stage/${stem}_bg.wasm")" "$loader_name" "$(sri "$stage/$loader_name")" "${parts[@]}" <<'PY'
import hashlib, json, os, re, sys
html_path, stage, base, stem, sri_js, sri_wasm, loader, sri_loader, *parts = sys.argv[1:]
html = open(html_path).read()
def fix(html, name, sri):
    pat = re.compile(r'(href="[^"]*/' + re.escape(name) + r'"[^>]*integrity=")[^"]*(")')
    return pat.sub(lambda m: m.group(1) + sri + m.group(2), html)
html = fix(html, stem + ".js", sri_js)
html = fix(html, stem + "_bg.wasm", sri_wasm)
# The build's id: a hash of everything it serves (the inlined CSS in index.html included).
files = []
for dirpath, _, names in os.walk(stage):
    for n in names:
        rel = os.path.relpath(os.path.join(dirpath, n), stage)
        if rel not in ("index.html", "sw.js", "parts.json"):
            files.append(rel)
files.sort()
digest = hashlib.sha256(html.encode())
for rel in files:
    digest.update(rel.encode() + b"\0" + open(os.path.join(stage, rel), "rb").read())
build = digest.hexdigest()[:16]
preload = f'<link rel="modulepreload" href="{base}{loader}" crossorigin="anonymous" integrity="{sri_loader}">'
# Which build this page is: a part that fails to load is compared with the server's
# parts.json to tell "no network" from "a newer version was deployed" (src/parts.rs).
preload += f'<meta name="linli-build" content="{build}">'
html = html.replace("</head>", preload + "</head>", 1)
open(html_path, "w").write(html)
json.dump({"build": build, "files": [base + f for f in files]}, open(os.path.join(stage, "parts.json"), "w"))
PY

printf 'split: %s + %s + %d part(s) in %.1fs\n' "$stem" "$loader_name" "${#parts[@]}" \
  "$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN{print e-s}')" >&2
