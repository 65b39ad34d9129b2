#!/usr/bin/env bash
# Jaeger all-in-one (collector, in-memory storage, query API and UI in one process) at the
# version of versions.env, built once from the Go module proxy into a cache outside the checkout,
# for the local stack's --tracing flag and its test.
#
#   scripts/jaeger.sh ensure   build it if missing; prints the binary's path
#   scripts/jaeger.sh path     print where the binary is (or would be)
#
# `go install …@version` refuses Jaeger's module (its go.mod has a replace directive), so the
# module's own source is built with its own go.mod and go.sum. Its UI is not in the module: the
# binary serves Jaeger's placeholder page at /, the search API at /api works (README, "Tracing").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
. "$ROOT/versions.env"
DIR="${TF_CACHE_DIR:-$HOME/.cache/taskforge}/jaeger-$JAEGER_VERSION"
BIN="$DIR/jaeger-all-in-one"
MODULE="github.com/jaegertracing/jaeger"

build() {
  command -v go >/dev/null || { echo "go is required to build Jaeger" >&2; exit 1; }
  echo "[jaeger] building Jaeger all-in-one v$JAEGER_VERSION (once; cached at $DIR)" >&2
  local src tmp started=$SECONDS
  src="$(go mod download -json "$MODULE@v$JAEGER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$src" ] || { echo "[jaeger] the module proxy did not give $MODULE@v$JAEGER_VERSION" >&2; exit 1; }
  tmp="$(mktemp -d)"
  # The module cache is read-only; the build needs a writable copy of the tree.
  cp -r "$src/." "$tmp/src"
  chmod -R u+w "$tmp/src"
  (cd "$tmp/src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags='-s -w' \
    -o "$tmp/jaeger-all-in-one" ./cmd/all-in-one) >&2
  mkdir -p "$DIR"
  mv "$tmp/jaeger-all-in-one" "$BIN"
  rm -rf "$tmp"
  echo "[jaeger] built in $((SECONDS - started)) s" >&2
}

case "${1:-}" in
  ensure)
    [ -x "$BIN" ] || build
    echo "$BIN"
    ;;
  path) echo "$BIN" ;;
  *)
    echo "usage: scripts/jaeger.sh ensure|path" >&2
    exit 2
    ;;
esac
