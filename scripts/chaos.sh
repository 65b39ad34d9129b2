#!/usr/bin/env bash
# npm run chaos: the long fault tests (resilience/**/*.chaos.test.ts) and Schemathesis against
# every service's OpenAPI document on a local stack of its own. Too long for `npm test` and CI
# (about 10 minutes on 2 cores). Starts the test servers if they are not running, as npm test does.
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

scripts/infra.sh provision || exit 1
npm run build -w common --silent || exit 1

status=0
echo "=== long fault tests"
(cd resilience && TF_CHAOS=1 npx jest --maxWorkers=1 --testPathPattern '\.chaos\.test\.ts$') || status=1
echo "=== Schemathesis (${TF_FUZZ_EXAMPLES:-30} examples per operation)"
npx tsx resilience/src/fuzz-cli.ts --examples "${TF_FUZZ_EXAMPLES:-30}" || status=1
exit $status
