#!/usr/bin/env bash
# The MongoDB-compatible store where no mongod exists: FerretDB v2 in front of PostgreSQL 15 with
# the DocumentDB extension, built from source once and cached outside the checkout.
#
#   scripts/documentdb.sh build                     build and install (skipped when installed)
#   scripts/documentdb.sh installed                 exit 0 when the build is in place
#   scripts/documentdb.sh start DIR PG_PORT PORT    PostgreSQL + FerretDB with their data in DIR
#   scripts/documentdb.sh stop DIR                  stop both (keeps DIR)
#   scripts/documentdb.sh stop-postgres DIR         stop PostgreSQL alone (outage tests)
#   scripts/documentdb.sh start-postgres DIR        start it again
#   scripts/documentdb.sh stop-ferretdb DIR         stop FerretDB alone
#   scripts/documentdb.sh start-ferretdb DIR        start it again on the same port
#
# Sources: four `git archive` tarballs in $TF_SOURCES_DIR (default ../shared/sources beside the
# checkout); where that folder is absent, the same tags are cloned from their public repositories.
# Side effects outside the cache: Debian packages, and the extensions' files in PostgreSQL 15's
# own folders (PostgreSQL 15 loads extensions only from there), copied from the cache.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
. "$ROOT/versions.env"

CACHE="${TF_CACHE_DIR:-$HOME/.cache/taskforge}/documentdb-$DOCUMENTDB_VERSION-ferretdb-$FERRETDB_VERSION"
FERRETDB_BIN="$CACHE/bin/ferretdb"
SOURCES="${TF_SOURCES_DIR:-$ROOT/../shared/sources}"
PG_MAJOR=15
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"
PG_SHARE="/usr/share/postgresql/$PG_MAJOR"
PG_LIB="/usr/lib/postgresql/$PG_MAJOR/lib"
JOBS="${JOBS:-$(nproc)}"

log() { echo "[documentdb] $*"; }

installed() {
  [ -x "$FERRETDB_BIN" ] && [ -f "$CACHE/installed" ] || return 1
  # The extensions' files live in PostgreSQL's folders: put them back from the cache when a
  # package upgrade or a new PostgreSQL package left them out.
  local f
  for f in "$PG_SHARE/extension/documentdb.control" "$PG_LIB/pg_documentdb.so" \
    "$PG_LIB/vector.so" "$PG_LIB/pg_cron.so" "$PG_BIN/initdb"; do
    [ -e "$f" ] || return 1
  done
}

fetch_source() { # name, repository, tag
  if [ -f "$SOURCES/$1.tar.gz" ]; then
    tar xzf "$SOURCES/$1.tar.gz"
  else
    log "no $SOURCES/$1.tar.gz: cloning $2 at $3"
    git clone -q --depth 1 --branch "$3" "$2" "$1"
  fi
}

build() {
  if installed; then return 0; fi
  if [ -x "$FERRETDB_BIN" ] && [ -d "$CACHE/root" ] && [ -x "$PG_BIN/initdb" ]; then
    log "putting the cached extensions back into PostgreSQL $PG_MAJOR"
    cp -a "$CACHE/root/usr/." /usr/
    touch "$CACHE/installed"
    return 0
  fi
  command -v go >/dev/null || { echo "go (>= 1.21) is required to build FerretDB" >&2; exit 1; }
  local started=$SECONDS
  log "building PostgreSQL $PG_MAJOR + DocumentDB $DOCUMENTDB_VERSION + FerretDB $FERRETDB_VERSION (once, about 8 minutes; cached in $CACHE)"
  # postgresql-15-cron is left out on purpose: bookworm's 1.4 rejects the '2 seconds' schedules
  # DocumentDB's install script creates, so pg_cron 1.6 is built below. Likewise pgvector, which
  # bookworm does not package for 15, and libbson, whose version DocumentDB pins.
  local packages=(postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR postgresql-$PG_MAJOR-postgis-3
    postgresql-$PG_MAJOR-rum libintelrdfpmath-dev libpcre2-dev libicu-dev libkrb5-dev libpq-dev
    pkg-config cmake build-essential git)
  local missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    [ -n "${TF_APT_UPDATED:-}" ] || apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi

  rm -rf "$CACHE"
  mkdir -p "$CACHE/prefix/lib/pkgconfig" "$CACHE/bin" "$CACHE/root"
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  cd "$work"
  fetch_source documentdb https://github.com/FerretDB/documentdb.git "v$DOCUMENTDB_VERSION-ferretdb-${FERRETDB_VERSION#v}"
  fetch_source mongo-c-driver https://github.com/mongodb/mongo-c-driver.git "$LIBBSON_VERSION"
  fetch_source pgvector https://github.com/pgvector/pgvector.git "v$PGVECTOR_VERSION"
  fetch_source pg_cron https://github.com/citusdata/pg_cron.git "v$PG_CRON_VERSION"

  # libbson alone, static and position-independent, linked into DocumentDB.
  mkdir -p mongo-c-driver/_build
  (cd mongo-c-driver/_build &&
    cmake .. -DENABLE_MONGOC=OFF -DENABLE_TESTS=OFF -DENABLE_EXAMPLES=OFF -DENABLE_ICU=OFF \
      -DENABLE_STATIC=ON -DCMAKE_C_FLAGS=-fPIC -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_INSTALL_PREFIX="$CACHE/prefix" >/dev/null &&
    make -j"$JOBS" install >/dev/null)
  # Debian's libintelrdfpmath-dev is the decimal library DocumentDB builds against; it only lacks
  # the pkg-config file DocumentDB looks for.
  cat >"$CACHE/prefix/lib/pkgconfig/intelmathlib.pc" <<'EOF'
Name: intelmathlib
Description: Intel Decimal Floating point math library (Debian libintelrdfpmath-dev)
Version: 2.0 Update 2
Cflags: -I/usr/include
Libs: -l:libbidgcc000.a
EOF
  export PKG_CONFIG_PATH="$CACHE/prefix/lib/pkgconfig"
  # with_llvm=no: no LLVM bitcode, which Debian's PGXS would otherwise compile for every file.
  local pgxs=(with_llvm=no PG_CONFIG="$PG_BIN/pg_config")
  make -C pgvector -j"$JOBS" OPTFLAGS= "${pgxs[@]}" >/dev/null
  make -C pgvector OPTFLAGS= "${pgxs[@]}" DESTDIR="$CACHE/root" install >/dev/null
  make -C pg_cron -j"$JOBS" "${pgxs[@]}" >/dev/null
  make -C pg_cron "${pgxs[@]}" DESTDIR="$CACHE/root" install >/dev/null
  # The core and the API are what FerretDB needs (not the distributed or extended_rum parts).
  # The API's build reads the core's installed headers, so the core goes into PostgreSQL first.
  local part
  for part in pg_documentdb_core pg_documentdb; do
    make -C "documentdb/$part" -j"$JOBS" "${pgxs[@]}" >/dev/null
    make -C "documentdb/$part" "${pgxs[@]}" install >/dev/null
    make -C "documentdb/$part" "${pgxs[@]}" DESTDIR="$CACHE/root" install >/dev/null
  done
  cp -a "$CACHE/root/usr/." /usr/

  # FerretDB v2.5.0 needs Go >= 1.24 and does not build with 1.25 or later (its GOMAXPROCS file
  # is excluded there but still called), so the module proxy brings the 1.24 toolchain.
  GOBIN="$CACHE/bin" GOFLAGS="-p=$JOBS" GOTOOLCHAIN="go$FERRETDB_GO_VERSION" \
    go install "github.com/FerretDB/FerretDB/v2/cmd/ferretdb@$FERRETDB_VERSION"
  touch "$CACHE/installed"
  log "built in $((SECONDS - started)) s"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port, what, log
  local i
  for i in $(seq 1 150); do
    port_open "$1" && return 0
    sleep 0.2
  done
  echo "$2 did not start; see $3" >&2
  exit 1
}

# PostgreSQL runs as the postgres user when we are root, and must reach its folder: a data folder
# under a private home (/root) would not be reachable, so the cluster lives under /tmp, named
# after DIR, and DIR keeps its ports and FerretDB's state.
#
# A DIR whose data is kept (TF_KEEP_DATA=1, the local stack) holds its cluster itself, in DIR/pg,
# where the postgres user can reach it and the socket's path stays short; DIR/pg-home says where
# it went, so every later start and stop finds it again.
pg_dir() {
  if [ -f "$1/pg-home" ]; then cat "$1/pg-home"; else pg_tmp_dir "$1"; fi
}
pg_tmp_dir() { echo "${TMPDIR:-/tmp}/taskforge-docdb-$(echo "$1" | cksum | cut -d' ' -f1)"; }

# Whether PostgreSQL, run as the postgres user when we are root, can use DIR (every folder above
# it must let that user through), with a socket path under the 107 bytes a socket may have.
postgres_can_use() {
  [ "${#1}" -le 80 ] || return 1
  [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$(dirname "$1")"
}

# Where a new cluster of DIR goes: in DIR when its data is kept and PostgreSQL can use it there.
choose_pg_home() {
  local dir="$1"
  [ ! -f "$dir/pg-home" ] || return 0
  if [ "${TF_KEEP_DATA:-0}" = 1 ] && postgres_can_use "$dir/pg"; then
    echo "$dir/pg" >"$dir/pg-home"
  elif [ "${TF_KEEP_DATA:-0}" = 1 ]; then
    log "the postgres user cannot use $dir; the data of this store is kept in $(pg_tmp_dir "$dir")"
  fi
}

start_postgres() {
  local dir="$1" pg
  pg="$(pg_dir "$dir")"
  # The port of this start, not the one written at initdb, so psql and FerretDB find it.
  as_postgres "$PG_BIN/pg_ctl" -D "$pg/data" -l "$pg/pg.log" -o "-p $(cat "$dir/pg-port")" -w -t 60 \
    start >/dev/null
}

start_ferretdb() {
  local dir="$1" port pg_port
  port="$(cat "$dir/port")"
  pg_port="$(cat "$dir/pg-port")"
  nohup "$FERRETDB_BIN" --listen-addr="127.0.0.1:$port" \
    --postgresql-url="postgres://postgres@127.0.0.1:$pg_port/postgres" \
    --no-auth --telemetry=disable --state-dir="$dir" --debug-addr= --log-level=warn \
    >>"$dir/ferretdb.log" 2>&1 &
  echo $! >"$dir/ferretdb.pid"
  wait_port "$port" FerretDB "$dir/ferretdb.log"
  # An open port is not proof: another process may hold it, and FerretDB then exits at once.
  sleep 0.3
  if ! kill -0 "$(cat "$dir/ferretdb.pid")" 2>/dev/null; then
    echo "FerretDB exited (port $port taken?); see $dir/ferretdb.log" >&2
    exit 1
  fi
}

start() {
  local dir="$1" pg_port="$2" port="$3" pg
  installed || { echo "DocumentDB is not built: run scripts/documentdb.sh build" >&2; exit 1; }
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  # Otherwise the PostgreSQL cluster lives under TMPDIR (a short socket path), named after DIR. A
  # DIR that has never been started here (a new clone at a path an earlier, removed one had) does
  # not own what an earlier run left there: start that one from nothing.
  if [ ! -f "$dir/pg-port" ] && [ ! -f "$dir/pg-home" ] && [ -d "$(pg_tmp_dir "$dir")" ]; then
    stop_postgres "$dir"
    rm -rf "$(pg_tmp_dir "$dir")"
  fi
  choose_pg_home "$dir"
  pg="$(pg_dir "$dir")"
  echo "$port" >"$dir/port"
  echo "$pg_port" >"$dir/pg-port"
  if [ ! -s "$pg/data/PG_VERSION" ]; then
    rm -rf "$pg"
    mkdir -p "$pg/data"
    [ "$(id -u)" = 0 ] && chown -R postgres "$pg"
    as_postgres "$PG_BIN/initdb" -D "$pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log"
    # documentdb.maxWriteBatchSize: FerretDB advertises batches of 100,000 documents, DocumentDB
    # accepts 25,000 by default, so a driver's larger insertMany would fail.
    cat >>"$pg/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pg'
max_connections = 300
shared_buffers = 256MB
fsync = ${TF_DOCDB_FSYNC:-on}
shared_preload_libraries = 'pg_cron,pg_documentdb_core,pg_documentdb'
cron.database_name = 'postgres'
documentdb.enableLetAndCollationForQueryMatch = true
documentdb.enableNowSystemVariable = true
documentdb.enableSortbyIdPushDownToPrimaryKey = true
documentdb.enableSchemaValidation = true
documentdb.enableBypassDocumentValidation = true
documentdb.enableUserCrud = true
documentdb.maxUserLimit = 100
documentdb.maxWriteBatchSize = 100000
EOF
  fi
  cursor_settings "$pg/data/postgresql.conf"
  # The setting of this start: a kept cluster first made for throw-away data gets fsync back.
  sed -i "s/^fsync = .*/fsync = ${TF_DOCDB_FSYNC:-on}/" "$pg/data/postgresql.conf"
  start_postgres "$dir"
  # Also on a cluster whose first start stopped between initdb and this (killed, or out of time):
  # without the extension every command fails with `schema "documentdb_api" does not exist`.
  "$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc \
    'CREATE EXTENSION IF NOT EXISTS documentdb CASCADE' >/dev/null
  start_ferretdb "$dir"
}

# A query DocumentDB must keep a cursor for (any `limit` other than 1, a sort, `$skip`, `$group`:
# every page and every aggregation) holds its PostgreSQL connection by default, so FerretDB takes
# that connection out of its pool and opens a new backend for the next query: about 7 ms of fork
# and extension start on this machine for every page read. With such cursors kept in DocumentDB's
# cursor files (which its pg_cron job expires) the connection goes back to the pool: a page of 20
# in 1 ms instead of 8. Added to a data folder made before the setting too.
cursor_settings() {
  local conf="$1"
  grep -q '^documentdb.useFileBasedPersistedCursors' "$conf" ||
    echo "documentdb.useFileBasedPersistedCursors = true" >>"$conf"
}

stop_ferretdb() {
  local dir="$1" pid i
  [ -f "$dir/ferretdb.pid" ] || return 0
  pid="$(cat "$dir/ferretdb.pid")"
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/ferretdb.pid"
}

stop_postgres() {
  local pg
  pg="$(pg_dir "$1")"
  [ -f "$pg/data/postmaster.pid" ] || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$pg/data" -m fast -w stop >/dev/null 2>&1 || true
}

# Stops both and removes the PostgreSQL cluster; DIR itself is the caller's to remove.
destroy() {
  stop_ferretdb "$1"
  stop_postgres "$1"
  rm -rf "$(pg_dir "$1")"
  rm -f "$1/pg-home"
}

case "${1:-}" in
  build) build ;;
  installed) installed ;;
  start) start "$2" "$3" "$4" ;;
  stop) stop_ferretdb "$2"; stop_postgres "$2" ;;
  destroy) destroy "$2" ;;
  stop-postgres) stop_postgres "$2" ;;
  start-postgres) start_postgres "$2" ;;
  stop-ferretdb) stop_ferretdb "$2" ;;
  start-ferretdb) start_ferretdb "$2" ;;
  *) echo "usage: $0 build|installed|start DIR PG_PORT PORT|stop DIR|destroy DIR|stop-postgres DIR|start-postgres DIR|stop-ferretdb DIR|start-ferretdb DIR" >&2; exit 2 ;;
esac
