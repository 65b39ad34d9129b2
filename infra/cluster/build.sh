#!/usr/bin/env bash
# Builds the cluster's binaries once from the Go module proxy, at the versions of versions.env,
# into $TF_CLUSTER_CACHE/bin (default ~/.cache/taskforge/cluster-k8s-v<version>): kube-apiserver,
# kube-controller-manager, kube-scheduler, kubelet, kube-proxy, CoreDNS, Traefik, Mailpit (the
# dev overlay's mail catcher, with its web inbox from npm) and (with --with-skaffold) skaffold.
# Cold, on 2 cores: Kubernetes about 12 minutes (1.7 GB peak), CoreDNS 2, Traefik 12 (3 GB
# peak), Mailpit 3, skaffold 12. Each binary is skipped when present.
#
#   infra/cluster/build.sh [--with-skaffold]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../versions.env
. "$ROOT/versions.env"
CACHE="${TF_CLUSTER_CACHE:-$HOME/.cache/taskforge/cluster-k8s-v$KUBERNETES_VERSION}"
BIN="$CACHE/bin"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=mod -p=2" GOMAXPROCS=2

# shellcheck source=stamp.sh
. "$ROOT/infra/cluster/stamp.sh"

log() { echo "[cluster build] $*"; }

build_kubernetes() {
  local c missing=()
  for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
    [ -x "$BIN/$c" ] || missing+=("$c")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  local work="$CACHE/kubernetes-module" v="v$KUBERNETES_VERSION" minor
  minor="$(echo "$KUBERNETES_VERSION" | cut -d. -f2)"
  mkdir -p "$work" "$BIN"
  # k8s.io/kubernetes points its staging modules at ./staging, which a dependent module cannot
  # follow, so a module of ours requires it and maps each staging module to its published v0.x.
  {
    printf 'module taskforge.local/kubernetes\n\ngo 1.23.0\n\ngodebug default=go1.23\n\n'
    printf 'require k8s.io/kubernetes %s\n\nreplace (\n' "$v"
    local m older="${KUBERNETES_STAGING_OLDER:-}" at
    for m in api apiextensions-apiserver apimachinery apiserver cli-runtime client-go \
      cloud-provider cluster-bootstrap code-generator component-base component-helpers \
      controller-manager cri-api cri-client csi-translation-lib dynamic-resource-allocation \
      endpointslice externaljwt kms kube-aggregator kube-controller-manager kube-proxy \
      kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission sample-apiserver; do
      at="v0.$minor.${KUBERNETES_VERSION##*.}"
      case ",$older," in *",$m:"*) at="v$(echo ",$older," | sed "s/.*,$m:\([^,]*\),.*/\1/")" ;; esac
      printf '\tk8s.io/%s => k8s.io/%s %s\n' "$m" "$m" "$at"
    done
    printf ')\n'
  } >"$work/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport (\n' >"$work/tools.go"
  for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
    printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$c" >>"$work/tools.go"
  done
  printf ')\n' >>"$work/tools.go"
  printf 'package main\n\nfunc main() {}\n' >"$work/main.go"
  (cd "$work" && go mod tidy)
  local ld="-s -w" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  for c in "${missing[@]}"; do
    log "$c $v"
    (cd "$work" && nice -n 10 go build -trimpath -ldflags "$ld" -o "$BIN/$c.tmp" "k8s.io/kubernetes/cmd/$c")
    mv "$BIN/$c.tmp" "$BIN/$c"
  done
}

# A command of a module from the proxy, built from its own folder (its go.mod, its replaces),
# with infra/cluster/patches/<binary>-*.patch applied. <binary>.version beside it holds the
# stamp it was built at (stamp.sh): a new version or patch builds anew.
build_module() { # binary, module, version, package
  local name="$1" module="$2" version="$3" pkg="$4" stamp patch
  module_built "$name" "$version" && return 0
  stamp="$(module_stamp "$name" "$version")"
  log "$name $stamp"
  local dir src="$CACHE/src-$name" ldflags='-s -w'
  dir="$(go mod download -json "$module@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  rm -rf "$src"
  cp -r "$dir" "$src"
  chmod -R u+w "$src"
  for patch in "$ROOT/infra/cluster/patches/$name"-*.patch; do
    [ -e "$patch" ] || continue
    log "  patch $(basename "$patch")"
    patch -s -p1 -d "$src" <"$patch"
  done
  if [ "$name" = mailpit ]; then
    # The web inbox is built from npm into server/ui/dist, which the binary embeds.
    (cd "$src" && "$ROOT/scripts/node.sh" run npm ci --no-audit --no-fund --ignore-scripts \
      --loglevel=error && "$ROOT/scripts/node.sh" run npm run build --silent)
    ldflags="$ldflags -X github.com/axllent/mailpit/config.Version=$version"
  fi
  if [ "$name" = coredns ]; then
    # Only the plugins this cluster's Corefile uses: a smaller, faster build.
    {
      printf 'package plugin\n\nimport (\n'
      for p in bind cache errors health hosts kubernetes loadbalance log ready reload; do
        printf '\t_ "github.com/coredns/coredns/plugin/%s"\n' "$p"
      done
      printf ')\n'
    } >"$src/core/plugin/zplugin.go"
  fi
  (cd "$src" && nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$BIN/$name.tmp" "$pkg")
  mv "$BIN/$name.tmp" "$BIN/$name"
  echo "$stamp" >"$BIN/$name.version"
  rm -rf "$src"
}

started=$SECONDS
command -v go >/dev/null || { echo "go is required to build the cluster" >&2; exit 1; }
mkdir -p "$BIN"
build_kubernetes
build_module coredns github.com/coredns/coredns "v$COREDNS_VERSION" .
build_module traefik github.com/traefik/traefik/v3 "v$TRAEFIK_VERSION" ./cmd/traefik
build_module mailpit github.com/axllent/mailpit "v$MAILPIT_VERSION" .
if [ "${1:-}" = --with-skaffold ]; then
  build_module skaffold github.com/GoogleContainerTools/skaffold/v2 "v$SKAFFOLD_VERSION" ./cmd/skaffold
fi
log "binaries in $BIN ($((SECONDS - started)) s)"
