#!/usr/bin/env bash
# Zipkin's server with its UI (Lens) in one jar, at the version of versions.env, downloaded once
# from Maven Central into a cache outside the checkout, for the local stack's --tracing=zipkin
# and its test. Jaeger's UI cannot be built here; Zipkin's ships inside this jar.
#
#   scripts/zipkin.sh ensure   download it if missing (checked against Maven's .sha1); prints its path
#   scripts/zipkin.sh path     print where the jar is (or would be)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
. "$ROOT/versions.env"
DIR="${TF_CACHE_DIR:-$HOME/.cache/taskforge}/zipkin-$ZIPKIN_VERSION"
JAR="$DIR/zipkin.jar"
URL="https://repo1.maven.org/maven2/io/zipkin/zipkin-server/$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-exec.jar"

download() {
  command -v curl >/dev/null || { echo "curl is required to download Zipkin" >&2; exit 1; }
  echo "[zipkin] downloading Zipkin $ZIPKIN_VERSION from Maven Central (once; cached at $DIR)" >&2
  local expected actual tmp started=$SECONDS
  expected="$(curl -fsSL "$URL.sha1" | cut -d' ' -f1)"
  mkdir -p "$DIR"
  tmp="$(mktemp "$DIR/zipkin.jar.XXXXXX")"
  # A cut download or a different file never becomes the cached jar.
  trap 'rm -f "$tmp"' EXIT
  curl -fsSL --retry 3 -o "$tmp" "$URL"
  actual="$(sha1sum "$tmp" | cut -d' ' -f1)"
  if [ "$actual" != "$expected" ]; then
    echo "[zipkin] $URL: sha1 $actual, Maven Central publishes $expected" >&2
    exit 1
  fi
  # mktemp makes it private; the cache is readable as any other download.
  chmod 644 "$tmp"
  mv "$tmp" "$JAR"
  trap - EXIT
  echo "[zipkin] downloaded in $((SECONDS - started)) s" >&2
}

case "${1:-}" in
  ensure)
    [ -f "$JAR" ] || download
    echo "$JAR"
    ;;
  path) echo "$JAR" ;;
  *)
    echo "usage: scripts/zipkin.sh ensure|path" >&2
    exit 2
    ;;
esac
