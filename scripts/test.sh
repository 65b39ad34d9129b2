#!/usr/bin/env bash
# The test command: `npm test`. Starts the backing servers if they are not running (and stops
# them again afterwards), builds @taskforge/common, runs every workspace's tests even when one
# fails, and ends with one line: "N passed, N failed".
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

started_infra=0
if [ -z "${MONGO_URL:-}" ]; then
  if [ ! -f .local/test-env ] || ! scripts/infra.sh status >/dev/null 2>&1; then
    scripts/infra.sh start || exit 1
    started_infra=1
  fi
  set -a
  # shellcheck disable=SC1091
  . .local/test-env
  set +a
fi
cleanup() { [ "$started_infra" = 1 ] && scripts/infra.sh stop; }
trap cleanup EXIT

export TF_TEST_SUMMARY="$ROOT/.local/test-summary.jsonl"
mkdir -p .local
: >"$TF_TEST_SUMMARY"

npm run build -w common --silent || exit 1

status=0
workspaces=$(node -e 'console.log(require("./package.json").workspaces.join(" "))')
for ws in $workspaces; do
  if node -e "process.exit(require('./$ws/package.json').scripts?.test ? 0 : 1)"; then
    echo "=== $ws"
    before=$(wc -l <"$TF_TEST_SUMMARY")
    (cd "$ws" && npm test --silent -- --maxWorkers=2 "$@") || status=1
    if [ "$(wc -l <"$TF_TEST_SUMMARY")" = "$before" ]; then
      # Jest never reached its summary (a crash): count the workspace as one failure.
      echo "{\"cwd\":\"$ws\",\"passed\":0,\"failed\":1,\"pending\":0}" >>"$TF_TEST_SUMMARY"
    fi
  fi
done

# .ci/run adds its own checks to these totals and prints the one final line itself.
[ "${TF_NO_SUMMARY:-}" = 1 ] && exit $status
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
const sum = (k) => lines.reduce((n, l) => n + l[k], 0);
console.log(`${sum("passed")} passed, ${sum("failed")} failed`);
' "$TF_TEST_SUMMARY"
exit $status
