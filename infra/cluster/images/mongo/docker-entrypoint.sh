#!/bin/bash
# mongod's place: PostgreSQL with DocumentDB on the pod's loopback and a Unix socket (under
# /tmp), and FerretDB
# speaking the MongoDB protocol on 27017 in front of it. Either one ending ends the container,
# so the kubelet restarts both; SIGTERM stops FerretDB, then PostgreSQL (a fast, clean shutdown).
set -euo pipefail
case "${1:-mongod}" in mongod | -*) ;; *) exec "$@" ;; esac
[ "$#" -gt 0 ] && [ "$1" = mongod ] && shift
[ "$#" -eq 0 ] || echo "mongod options ignored by FerretDB: $*"
PGDATA=/data/db/postgresql
SOCKETS=/tmp
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  initdb -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$PGDATA/postgresql.conf" <<CONF
# DocumentDB's background workers and pg_cron connect over TCP to localhost: the pod's own
# loopback, which nothing outside the pod reaches.
listen_addresses = 'localhost'
unix_socket_directories = '$SOCKETS'
max_connections = 100
shared_buffers = 64MB
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
# Pages and aggregations keep their cursor in files, not in a held connection for which FerretDB
# would open a new backend (see scripts/documentdb.sh).
documentdb.useFileBasedPersistedCursors = true
CONF
  fresh=1
fi
postgres -D "$PGDATA" &
pg=$!
until pg_isready -q -h "$SOCKETS"; do
  kill -0 "$pg" 2>/dev/null || { echo "PostgreSQL did not start" >&2; exit 1; }
  sleep 0.2
done
if [ -n "${fresh:-}" ]; then
  psql -h "$SOCKETS" -U postgres -qc 'CREATE EXTENSION documentdb CASCADE' >/dev/null
fi
ferretdb --listen-addr=:27017 --postgresql-url="postgres://postgres@/postgres?host=$SOCKETS" \
  --no-auth --telemetry=disable --state-dir=/tmp --debug-addr= --log-level=warn &
ferret=$!
stop() {
  kill -TERM "$ferret" 2>/dev/null || true
  wait "$ferret" 2>/dev/null || true
  kill -INT "$pg" 2>/dev/null || true
  wait "$pg" 2>/dev/null || true
  exit 0
}
trap stop TERM INT
wait -n "$ferret" "$pg" || true
echo "FerretDB or PostgreSQL ended; stopping" >&2
kill -TERM "$ferret" "$pg" 2>/dev/null || true
wait || true
exit 1
