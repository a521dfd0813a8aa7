#!/usr/bin/env bash
# A 3-node Garage cluster on loopback for the object-storage tests (docs/sync.md, "Object
# storage and several hubs"). Every node is a full storage node (replication factor 3, write
# and read quorum 2), so one node may die and writes go on.
#
#   garage.sh run CMD...      start a cluster in a temporary folder, run CMD with its
#                             environment (below), stop the cluster whatever CMD did
#   garage.sh start DIR       start a cluster in DIR and write DIR/env (source it)
#   garage.sh stop DIR        stop every node of DIR
#   garage.sh kill DIR N      SIGKILL node N (1-3)
#   garage.sh restart DIR N   start node N again (after a kill)
#
# The environment: AWS_ENDPOINT_URL (node 1's S3 API), AWS_REGION, AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY, LINLI_S3_BUCKET, LINLI_S3_ENDPOINTS (the three S3 APIs, spaces
# between), LINLI_GARAGE_DIR and LINLI_GARAGE_SCRIPT (this script, for kill and restart),
# LINLI_S3_WEB (the bucket's website on node 1's web endpoint, http://linli.web.garage.localhost:PORT:
# Garage picks the bucket from the host name; Chromium resolves *.localhost to 127.0.0.1 and
# treats it as a secure context, which the app needs) and LINLI_S3_WEB_PORT.
set -euo pipefail

GARAGE=${GARAGE:-garage}
SCRIPT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
BUCKET=linli

free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# port_open URL: whether something listens at http://127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/${1##*:}") 2>/dev/null; }

hex() { python3 -c "import secrets; print(secrets.token_hex($1))"; }

node_up() { # DIR N
  local dir=$1 n=$2
  "$GARAGE" -c "$dir/n$n.toml" server >>"$dir/n$n.log" 2>&1 &
  echo $! >"$dir/n$n.pid"
}

g() { "$GARAGE" -c "$DIR/n1.toml" "$@"; }

# retry TRIES COMMAND...: a cluster that just formed answers "no quorum" for a moment.
retry() {
  local tries=$1; shift
  local i
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  "$@"
}

start() {
  DIR=$1
  mkdir -p "$DIR"
  command -v "$GARAGE" >/dev/null || { echo "garage is not installed (.ci/lib.sh need_garage)" >&2; exit 1; }
  local secret; secret=$(hex 32)
  local admin; admin=$(hex 16)
  read -r -a ports <<<"$(free_ports 12)"
  local n
  for n in 1 2 3; do
    local rpc=${ports[$(( (n - 1) * 4 ))]} s3=${ports[$(( (n - 1) * 4 + 1 ))]}
    local adm=${ports[$(( (n - 1) * 4 + 2 ))]} web=${ports[$(( (n - 1) * 4 + 3 ))]}
    mkdir -p "$DIR/n$n"
    cat >"$DIR/n$n.toml" <<EOF
metadata_dir = "$DIR/n$n/meta"
data_dir = "$DIR/n$n/data"
db_engine = "sqlite"
replication_factor = 3
rpc_bind_addr = "127.0.0.1:$rpc"
rpc_public_addr = "127.0.0.1:$rpc"
rpc_secret = "$secret"

[s3_api]
s3_region = "garage"
api_bind_addr = "127.0.0.1:$s3"
root_domain = ".s3.garage.localhost"

[s3_web]
bind_addr = "127.0.0.1:$web"
root_domain = ".web.garage.localhost"

[admin]
api_bind_addr = "127.0.0.1:$adm"
admin_token = "$admin"
EOF
    echo "http://127.0.0.1:$s3" >"$DIR/n$n.s3"
    echo "$web" >"$DIR/n$n.web"
    echo "http://127.0.0.1:$rpc" >"$DIR/n$n.rpc"
    node_up "$DIR" "$n"
  done
  local ids=()
  for n in 1 2 3; do
    # Listening first: `node id` reads the key from disk and answers before the node does.
    retry 150 port_open "$(cat "$DIR/n$n.rpc")"
    retry 150 port_open "$(cat "$DIR/n$n.s3")"
    retry 100 "$GARAGE" -c "$DIR/n$n.toml" node id -q
    ids+=("$("$GARAGE" -c "$DIR/n$n.toml" node id -q 2>/dev/null)")
  done
  retry 50 g node connect "${ids[1]}"
  retry 50 g node connect "${ids[2]}"
  for n in 0 1 2; do
    retry 50 g layout assign -z dc1 -c 1G "${ids[$n]%%@*}"
  done
  retry 50 g layout apply --version 1
  retry 100 g bucket create "$BUCKET"
  local key="GK$(hex 12)" keysecret; keysecret=$(hex 32)
  retry 50 g key import --yes -n linli "$key" "$keysecret"
  retry 50 g bucket allow --read --write --owner "$BUCKET" --key "$key"
  # Public reads through the web endpoint (the app and spaces/ straight from the bucket);
  # `linli-hub publish --website --cors` sets the routing rules and CORS (docs/sync.md §5).
  retry 50 g bucket website --allow "$BUCKET"
  cat >"$DIR/env" <<EOF
export AWS_ENDPOINT_URL=$(cat "$DIR/n1.s3")
export AWS_REGION=garage
export AWS_ACCESS_KEY_ID=$key
export AWS_SECRET_ACCESS_KEY=$keysecret
export LINLI_S3_BUCKET=$BUCKET
export LINLI_S3_ENDPOINTS="$(cat "$DIR/n1.s3") $(cat "$DIR/n2.s3") $(cat "$DIR/n3.s3")"
export LINLI_GARAGE_DIR=$DIR
export LINLI_GARAGE_SCRIPT=$SCRIPT
export LINLI_S3_WEB=http://$BUCKET.web.garage.localhost:$(cat "$DIR/n1.web")
export LINLI_S3_WEB_PORT=$(cat "$DIR/n1.web")
EOF
  # Ready when every node's S3 API and web endpoint listen.
  for n in 1 2 3; do
    retry 100 port_open "$(cat "$DIR/n$n.s3")"
    retry 100 port_open "$(cat "$DIR/n$n.web")"
  done
  echo "garage: 3 nodes in $DIR ($("$GARAGE" --version 2>/dev/null | head -1))" >&2
}

stop() {
  local dir=$1 n
  for n in 1 2 3; do
    if [ -f "$dir/n$n.pid" ]; then
      kill "$(cat "$dir/n$n.pid")" 2>/dev/null || true
    fi
  done
  for n in 1 2 3; do
    if [ -f "$dir/n$n.pid" ]; then
      local pid; pid=$(cat "$dir/n$n.pid")
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/n$n.pid"
    fi
  done
}

case "${1:-}" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  kill) kill -9 "$(cat "$2/n$3.pid")" ;;
  restart) DIR=$2; node_up "$2" "$3"; retry 100 port_open "$(cat "$2/n$3.s3")" ;;
  run)
    shift
    dir=$(mktemp -d "${TMPDIR:-/tmp}/linli-garage.XXXXXX")
    trap 'stop "$dir"; rm -rf "$dir"' EXIT
    start "$dir"
    # shellcheck disable=SC1091
    source "$dir/env"
    "$@"
    ;;
  *) sed -n '2,20p' "$0" >&2; exit 2 ;;
esac
