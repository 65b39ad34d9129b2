#!/usr/bin/env bash
# Lays out one service as it stands outside this workspace, on a published @taskforge/common:
#
#   release/standalone.sh SERVICE VERSION OUT
#
# OUT/SERVICE gets the service's folder (without node_modules or build) and a package.json that
# asks for @taskforge/common at exactly VERSION, with the tools to build and test it taken at the
# versions the root's devDependencies name; OUT/tsconfig.base.json is the settings its tsconfig
# extends. OUT has no package.json, so npm sees no workspace around the service: `npm install`
# there takes common from the registry. The services' Dockerfiles (target runtime-published) and
# release's publish test both lay a service out this way.
set -euo pipefail

if [ $# -ne 3 ] || [ -z "$1" ] || [ -z "$2" ] || [ -z "$3" ]; then
  sed -n '2,11s/^# \{0,1\}//p' "$0" >&2
  exit 2
fi
svc=$1 version=$2 out=$3
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ -f "$root/$svc/package.json" ] || { echo "no service $svc in $root" >&2; exit 2; }
[ ! -e "$out/package.json" ] || { echo "$out/package.json exists: npm would see a workspace" >&2; exit 2; }

mkdir -p "$out/$svc"
cp "$root/tsconfig.base.json" "$out/"
tar -C "$root/$svc" --exclude=./node_modules --exclude=./build -cf - . | tar -C "$out/$svc" -xf -

# What building and testing a service takes, which the workspace's root provides here.
tools=$(node -e '
  const dev = require(process.argv[1]).devDependencies;
  const wanted = (n) => n.startsWith("@types/") || ["typescript", "jest", "ts-jest", "supertest"].includes(n);
  console.log(Object.keys(dev).filter(wanted).map((n) => `devDependencies.${n}=${dev[n]}`).join("\n"));
' "$root/package.json")
cd "$out/$svc"
# shellcheck disable=SC2086 # one argument per line of $tools, none has spaces
(IFS=$'\n'; npm pkg set "dependencies.@taskforge/common=$version" $tools)
