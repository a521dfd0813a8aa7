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
# never mix files), fixes index.html's integrity hashes, moves Trunk's inline start-up module
# into a file and writes the page's Content-Security-Policy (docs/security.md), checks every
# integrity, and writes `parts.json`, the list of every file of this build that the service
# worker precaches after the first paint.
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

# 5b. index.html's boot script (public/boot.js, which Trunk copied as boot-<hash>.js, named
#     after its source) minified too (release only); step 6 gives it its new integrity.
boot=$(find "$stage" -maxdepth 1 -regextype posix-extended -regex ".*/boot-[0-9a-f]{1,16}\.js" -print -quit)
[ -n "$boot" ] || die "no staged boot-<hash>.js: does index.html load public/boot.js?"
if [ "${TRUNK_PROFILE:-debug}" = release ]; then
  terser --compress --mangle --output "$boot" -- "$boot"
fi

# 6. index.html: new integrity hashes for the three files changed and a modulepreload for the
#    loader (the main JS imports it at once); Trunk's inline module that starts the app moved
#    into a file of its own, `start-<hash>.js`; the inlined CSS joined into one <style>; the
#    page's own Content-Security-Policy written first in <head>, with that <style>'s hash
#    (docs/security.md); then every integrity checked against its file. parts.json: every
#    file of this build, for the service worker.
sri() { echo "sha384-$(openssl dgst -sha384 -binary "$1" | base64 -w0)"; }
python3 - "$html" "$stage" "$public_url" "$stem" "$(sri "$stage/$stem.js")" \
  "$(sri "$stage/${stem}_bg.wasm")" "$loader_name" "$(sri "$stage/$loader_name")" \
  "$(basename "$boot")" "$(sri "$boot")" "${parts[@]}" <<'PY'
import base64, hashlib, json, os, re, sys
html_path, stage, base, stem, sri_js, sri_wasm, loader, sri_loader, boot, sri_boot, *parts = sys.argv[1:]
html = open(html_path).read()

def die(msg):
    sys.exit(f"split: index.html: {msg}")

def sri(data, alg="sha384"):
    return f"{alg}-" + base64.b64encode(hashlib.new(alg, data).digest()).decode()

def fix(html, name, sri):
    pat = re.compile(r'((?:href|src)="[^"]*/' + re.escape(name) + r'"[^>]*integrity=")[^"]*(")')
    return pat.sub(lambda m: m.group(1) + sri + m.group(2), html)
html = fix(html, stem + ".js", sri_js)
html = fix(html, stem + "_bg.wasm", sri_wasm)
html = fix(html, boot, sri_boot)

# No inline script (the policy runs none): Trunk's module that starts the app becomes a file.
# It stays where it was, a module script (deferred, as the inline one was), with its hash.
inline = re.compile(r'<script type="module">(.*?)</script>', re.S)
found = inline.findall(html)
if len(found) != 1 or "import init" not in found[0]:
    die(f"expected one inline module from Trunk that starts the app, found {len(found)}")
start_js = (found[0].strip() + "\n").encode()
start = f"start-{hashlib.sha256(start_js).hexdigest()[:16]}.js"
open(os.path.join(stage, start), "wb").write(start_js)
tag = f'<script type="module" src="{base}{start}" integrity="{sri(start_js)}" crossorigin="anonymous"></script>'
html = inline.sub(lambda m: tag, html, count=1)
for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S):
    if "src=" not in attrs or body.strip():
        die(f"an inline script is left (the Content-Security-Policy refuses it): <script{attrs}>{body[:80]}")
if re.search(r"\sstyle=", html):
    die("a style attribute (the Content-Security-Policy refuses it): use a class")

# One <style> for all the CSS (Trunk inlines one per file, in order, with only blank lines
# between them): one hash in the policy.
if re.search(r"<style\s[^>]*>", html):
    die("a <style> with attributes: the build expects Trunk's plain ones")
styles = list(re.finditer(r"<style>(.*?)</style>", html, re.S))
if not styles:
    die("no inlined CSS")
css = "\n".join(m.group(1) for m in styles)
between = [html[a.end():b.start()] for a, b in zip(styles, styles[1:])]
if any(re.sub(r"<!--.*?-->", "", t, flags=re.S).strip() for t in between):
    die("something between the inlined stylesheets: cannot join them")
html = html[:styles[0].start()] + "<style>" + css + "</style>" + "".join(between) + html[styles[-1].end():]

# The page's own policy: the header's (crates/hub/src/csp.rs) with the hash of its <style>
# instead of 'unsafe-inline', without frame-ancestors (a meta cannot carry it), and with
# connect-src left to the header (the sync endpoints differ per deployment).
policy = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    f"style-src 'self' '{sri(css.encode(), 'sha256')}'",
    "img-src 'self'",
    "connect-src *",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
])
charset = '<meta charset="utf-8">'
if html.count(charset) != 1:
    die("no <meta charset=\"utf-8\"> to put the policy after")
html = html.replace(charset, charset + f'\n    <meta http-equiv="Content-Security-Policy" content="{policy}">', 1)

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

# Subresource integrity: every script and preload the page loads carries a hash that matches
# its file.
checked = 0
for tag in re.findall(r"<(?:script|link)\b[^>]*>", html):
    rel = re.search(r'\srel="([^"]*)"', tag)
    url = re.search(r'\s(?:src|href)="([^"]*)"', tag)
    if tag.startswith("<link") and not (rel and rel.group(1) in ("modulepreload", "preload", "stylesheet")):
        continue
    if not url or not url.group(1).startswith(base):
        die(f"loads something not of this build: {tag}")
    integrity = re.search(r'\sintegrity="(sha256|sha384|sha512)-([^"]+)"', tag)
    if not integrity:
        die(f"no integrity: {tag}")
    path = os.path.join(stage, url.group(1)[len(base):])
    if sri(open(path, "rb").read(), integrity.group(1)) != f"{integrity.group(1)}-{integrity.group(2)}":
        die(f"the integrity does not match the file: {tag}")
    checked += 1
if checked < 6:
    die(f"only {checked} scripts and preloads with an integrity")

open(html_path, "w").write(html)
json.dump({"build": build, "files": [base + f for f in files]}, open(os.path.join(stage, "parts.json"), "w"))
PY

printf 'split: %s + %s + %d part(s) in %.1fs\n' "$stem" "$loader_name" "${#parts[@]}" \
  "$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN{print e-s}')" >&2
