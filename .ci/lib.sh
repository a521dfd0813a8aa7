# Shared by .ci/up and .ci/test: installs what is missing (and nothing else), times each step,
# and fails loudly. Source it from the repository root.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$ROOT/node_modules/.bin:$PATH:$HOME/.cargo/bin"
export TRUNK_SKIP_VERSION_CHECK=true
unset NO_COLOR # trunk 0.21 refuses NO_COLOR=1
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

TRUNK_VERSION=0.21.14
GARAGE_VERSION=2.5.0
WASM_SPLIT_VERSION=0.2.4
SECONDS_TOTAL_START=$(date +%s)

say() { printf '\n==> %s\n' "$*" >&2; }
die() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

# step NAME COMMAND...: runs a step, prints its duration, stops everything if it fails.
step() {
  local name=$1; shift
  say "$name"
  local start; start=$(date +%s.%N)
  if ! "$@"; then
    die "$name (after $(elapsed "$start")s). Scroll up for the error."
  fi
  printf '    %s: %ss\n' "$name" "$(elapsed "$start")" >&2
}

elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

total() { printf '\nAll done in %ss.\n' "$(( $(date +%s) - SECONDS_TOTAL_START ))" >&2; }

# The wasm-bindgen version Cargo.lock resolved: the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

need_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "    wasm32-unknown-unknown already installed"
  else
    rustup target add wasm32-unknown-unknown
  fi
}

need_trunk() {
  if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
    echo "    trunk $TRUNK_VERSION already installed"
  else
    cargo install --locked trunk --version "$TRUNK_VERSION"
  fi
}

need_wasm_bindgen() {
  local want; want=$(wasm_bindgen_version)
  [ -n "$want" ] || die "cannot read the wasm-bindgen version from Cargo.lock"
  grep -q "^wasm_bindgen = \"$want\"" Trunk.toml ||
    die "Trunk.toml pins a wasm_bindgen other than Cargo.lock's $want: update [tools] in Trunk.toml"
  if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $want" ]; then
    echo "    wasm-bindgen-cli $want already installed"
  else
    # Not --locked: the CLI's own lockfile pins a crate the registry no longer has.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

# The split step of the build (.ci/split.sh): wasm-split-cli from crates.io, pinned to the
# version that matches the wasm_split_helpers in Cargo.lock.
need_wasm_split() {
  # The binary has no --version: ask cargo what it installed.
  if command -v wasm-split-cli >/dev/null &&
     cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    echo "    wasm-split-cli $WASM_SPLIT_VERSION already installed"
  else
    cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
  fi
}

# npm packages (binaryen's wasm-opt, playwright-core) from the lockfile, once per lockfile.
need_npm() {
  local stamp=node_modules/.linli-lock-sha256
  local want; want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "    node_modules matches package-lock.json"
  else
    npm ci --no-audit --no-fund
    echo "$want" > "$stamp"
  fi
  [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" = "132" ] ||
    die "wasm-opt from node_modules is not version 132"
}

# Chromium, its driver, and a CJK font so screenshots show Chinese rather than boxes.
need_chromium() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null &&
     fc-list :lang=zh 2>/dev/null | grep -q .; then
    echo "    $(chromium --version 2>/dev/null | head -1); $(chromedriver --version | cut -d' ' -f1-2)"
  else
    command -v apt-get >/dev/null || die "chromium and chromedriver are missing and there is no apt-get: install them by hand"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver fonts-wqy-microhei
  fi
}

# The interop test writes a space in Python with the `cryptography` package.
need_python() {
  command -v python3 >/dev/null || die "python3 is missing: install it (apt-get install python3 python3-pip)"
  if python3 -c 'import cryptography' 2>/dev/null; then
    echo "    cryptography $(python3 -c 'import cryptography; print(cryptography.__version__)') already installed"
  else
    python3 -m pip install --quiet 'cryptography>=42' ||
      python3 -m pip install --quiet --break-system-packages 'cryptography>=42'
  fi
}

# Garage, the S3-compatible store the object-storage tests run a 3-node cluster of
# (.ci/garage.sh), from crates.io.
need_garage() {
  if garage --version 2>/dev/null | grep -qE "[:v]${GARAGE_VERSION//./\\.}( |$)"; then
    echo "    $(garage --version | head -1) already installed"
  else
    cargo install --locked garage --version "$GARAGE_VERSION"
  fi
}

build_app() {
  cargo fetch --locked
  trunk build --release --offline
}
