#!/usr/bin/env bash
# The cluster's test, against a cluster that `npm run cluster -- up` started: first the checks of
# infra/cluster/test (pods, network, the API through the ingress, a rollout under traffic, a pod
# killed mid-burst), tickets rebuilt on a published @taskforge/common in place of its image, then the client's end-to-end test in Chromium, whose host resolver sends
# taskforge.test to the ingress's loopback port. Each Jest run adds its totals to
# $TF_TEST_SUMMARY when that is set (as .ci/run does).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
export KUBECONFIG="${TF_CLUSTER_DIR:-/var/tmp/taskforge-cluster}/pki/admin.kubeconfig"
PORT="${TF_CLUSTER_INGRESS_PORT:-18080}"
[ -f "$KUBECONFIG" ] && kubectl get --raw /readyz >/dev/null 2>&1 ||
  { echo "cluster: not up (npm run cluster -- up)" >&2; exit 1; }

status=0
started=$SECONDS
echo "=== cluster: pods, network, API, rollout, pod kill"
(cd "$ROOT/infra" && npx jest -c cluster/jest.config.js --runInBand --verbose cluster.test.ts "$@") ||
  status=1
echo "=== cluster: checks took $((SECONDS - started)) s"

started=$SECONDS
echo "=== cluster: tickets built on a published @taskforge/common"
(cd "$ROOT/infra" && npx jest -c cluster/jest.config.js --runInBand --verbose published-common.test.ts "$@") || status=1
echo "=== cluster: the published common took $((SECONDS - started)) s"

started=$SECONDS
echo "=== cluster: the client's day in Chromium, through the ingress"
(cd "$ROOT/client" && E2E_BASE_URL=http://taskforge.test \
  E2E_HOST_RESOLVER_RULES="MAP taskforge.test 127.0.0.1:$PORT, MAP mail.taskforge.test 127.0.0.1:$PORT" \
  npx jest src/__test__/e2e.test.ts --runInBand --verbose) || status=1
echo "=== cluster: the browser's day took $((SECONDS - started)) s"
exit $status
