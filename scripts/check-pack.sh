#!/usr/bin/env bash
# `npm pack` of @taskforge/common must hold only its build output and package metadata.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../common"
files=$(npm pack --dry-run --json 2>/dev/null | node -e '
const [pack] = JSON.parse(require("fs").readFileSync(0, "utf8"));
for (const f of pack.files) console.log(f.path);
')
bad=$(echo "$files" | grep -v -E '^(build/.*\.(js|d\.ts)|package\.json|README\.md|CHANGELOG\.md|LICENSE)$' || true)
tests=$(echo "$files" | grep -E '__test__|/testing/.*\.test\.' || true)
if [ -n "$bad" ] || [ -n "$tests" ] || ! echo "$files" | grep -q '^build/index.js$'; then
  echo "unexpected files in the common package:" >&2
  echo "$bad$tests" >&2
  exit 1
fi
echo "common packs $(echo "$files" | wc -l) files: build output and metadata only"
