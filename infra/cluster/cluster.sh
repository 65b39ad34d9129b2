#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, with the suite deployed on it from its
# own manifests and Dockerfiles, unchanged (the `dev` overlay, as `skaffold dev` on minikube).
#
#   npm run cluster -- build     build the binaries and the stand-in images' inputs (once, cached)
#   npm run cluster -- up        start the cluster, build and load the images, deploy the suite
#                                (with skaffold run where `build --with-skaffold` made it)
#   npm run cluster -- deploy    build, load and deploy again on a cluster that is up
#   npm run cluster -- test      the day's flow through the ingress (infra/cluster/test)
#   npm run cluster -- down      stop everything and leave the machine as it was
#   npm run cluster -- status    what runs, and the pods
#   npm run cluster -- cached    exit 0 when everything `up` needs is cached (CI asks this)
#   npm run cluster -- kubectl …  kubectl against the cluster
#
# Everything of a running cluster lives under one folder, $TF_CLUSTER_DIR
# (/var/tmp/taskforge-cluster): certificates, etcd, containerd, the kubelet, volumes, logs and
# pids. The binaries, the Debian base image and Docker's build cache live in the cache,
# $TF_CLUSTER_CACHE (~/.cache/taskforge/cluster-k8s-v<version>). Root is needed (bridge,
# iptables, mounts).
#
# Networking: pods sit on a bridge of their own (10.88.0.0/16) with no default route and no NAT;
# forwarding is switched on for that bridge only and a mangle rule drops anything forwarded to or
# from elsewhere. The API server, CoreDNS, Traefik (the ingress, 127.0.0.1:$TF_CLUSTER_INGRESS_PORT)
# and the kubelet run on the host, bound to loopback or to the bridge's address. No image is ever
# pulled: containerd is given no registry and every image is built here and imported.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../versions.env
. "$ROOT/versions.env"
# shellcheck source=stamp.sh
. "$HERE/stamp.sh"
DIR="${TF_CLUSTER_DIR:-/var/tmp/taskforge-cluster}"
CACHE="${TF_CLUSTER_CACHE:-$HOME/.cache/taskforge/cluster-k8s-v$KUBERNETES_VERSION}"
BIN="$CACHE/bin"
INGRESS_PORT="${TF_CLUSTER_INGRESS_PORT:-18080}"
NODE=taskforge-node
BRIDGE=tfcluster0
GUARD=taskforge-cluster-guard
PAUSE_IMAGE=registry.k8s.io/pause:3.10
OVERLAY="$ROOT/infra/k8s/overlays/dev"
export KUBECONFIG="$DIR/pki/admin.kubeconfig"
export DOCKER_HOST="unix://$DIR/docker.sock"
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER="$(command -v docker || echo docker)"
CTR=(ctr --address "$DIR/containerd/containerd.sock" --namespace k8s.io)
COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy coredns traefik)
# Debian packages the cluster runs on (kubectl comes from the machine or the npm-free binary).
PACKAGES=(docker.io containerd containernetworking-plugins etcd-server iptables mmdebstrap openssl)

log() { echo "[cluster $(date +%H:%M:%S)] $*"; }
die() { echo "cluster: $*" >&2; exit 1; }
phase_started=$SECONDS
phase() { log "$1 ($((SECONDS - phase_started)) s)"; phase_started=$SECONDS; }

# A daemon of the cluster: its log and pid under $DIR/run.
start_daemon() { # name, command...
  local name="$1"
  shift
  nohup "$@" >"$DIR/log/$name.log" 2>&1 &
  echo $! >"$DIR/run/$name.pid"
}
stop_daemon() { # name, seconds to wait
  local pidfile="$DIR/run/$1.pid" pid i
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if kill "$pid" 2>/dev/null; then
    for ((i = 0; i < ${2:-20} * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}
running() { [ -f "$DIR/run/$1.pid" ] && kill -0 "$(cat "$DIR/run/$1.pid")" 2>/dev/null; }

wait_until() { # seconds, description, command...
  local limit="$1" what="$2" started=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS - started < limit)) || die "$what: not within $limit s (logs in $DIR/log)"
    sleep 1
  done
}

render() { # template -> file, with the folder, node and ports filled in
  sed -e "s|@DIR@|$DIR|g" -e "s|@NODE@|$NODE|g" -e "s|@BRIDGE@|$BRIDGE|g" \
    -e "s|@PAUSE_IMAGE@|$PAUSE_IMAGE|g" -e "s|@INGRESS_PORT@|$INGRESS_PORT|g" \
    -e "s|@DNS_HEALTH_PORT@|$((INGRESS_PORT + 1))|g" -e "s|@DNS_READY_PORT@|$((INGRESS_PORT + 2))|g" \
    "$HERE/config/$1" >"$2"
}

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

install_packages() {
  local missing
  missing="$(missing_packages | tr '\n' ' ')"
  [ -n "${missing// /}" ] || return 0
  log "installing $missing"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  # Debian starts the daemons it installs; the cluster runs its own, with its own folders.
  systemctl disable --now docker.socket docker containerd etcd >/dev/null 2>&1 || true
  for service in docker containerd etcd; do pkill -x "${service/docker/dockerd}" 2>/dev/null || true; done
}

cached() {
  local c
  for c in "${COMPONENTS[@]}"; do [ -x "$BIN/$c" ] || return 1; done
  # The binaries built from a module of their own, at the versions versions.env names.
  module_built coredns "v$COREDNS_VERSION" && module_built traefik "v$TRAEFIK_VERSION" &&
    module_built mailpit "v$MAILPIT_VERSION" && [ -s "$CACHE/images/debian-bookworm.tar" ] &&
    # The dev overlay's Jaeger (components/tracing), the local stack's build.
    [ -x "$("$ROOT/scripts/jaeger.sh" path)" ]
}

build() {
  [ "$(id -u)" = 0 ] || die "build needs root (mmdebstrap)"
  install_packages
  "$HERE/build.sh" "$@"
  "$ROOT/scripts/jaeger.sh" ensure >/dev/null
  "$HERE/images.sh" base
}

# ---------------------------------------------------------------------------------------------
# The cluster

network_up() {
  # The kubelet sets these at start; they are put back by `down`.
  [ -f "$DIR/sysctl.orig" ] || sysctl vm.overcommit_memory vm.panic_on_oom kernel.panic \
    kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes >"$DIR/sysctl.orig"
  ip link show "$BRIDGE" >/dev/null 2>&1 || {
    ip link add "$BRIDGE" type bridge
    ip addr add 10.88.0.1/16 dev "$BRIDGE"
    ip link set "$BRIDGE" up
  }
  # Forwarding on this bridge only (net.ipv4.ip_forward stays as it is), and only within it.
  sysctl -qw "net.ipv4.conf.$BRIDGE.forwarding=1"
  iptables -t mangle -C FORWARD ! -i "$BRIDGE" -j DROP -m comment --comment "$GUARD" 2>/dev/null || {
    iptables -t mangle -I FORWARD 1 ! -i "$BRIDGE" -j DROP -m comment --comment "$GUARD"
    iptables -t mangle -I FORWARD 1 ! -o "$BRIDGE" -j DROP -m comment --comment "$GUARD"
  }
}

control_plane_up() {
  local pki="$DIR/pki"
  start_daemon etcd etcd --name taskforge --data-dir "$DIR/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster taskforge=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381
  start_daemon kube-apiserver "$BIN/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
    --bind-address=127.0.0.1 --secure-port=6443 --advertise-address=10.88.0.1 \
    --service-cluster-ip-range=10.96.0.0/16 \
    --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
    --client-ca-file="$pki/ca.crt" \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
    --kubelet-client-certificate="$pki/admin.crt" --kubelet-client-key="$pki/admin.key" \
    --kubelet-preferred-address-types=InternalIP --allow-privileged=false \
    --cert-dir="$DIR/kube-apiserver" --profiling=false
  wait_until 120 "the API server" kubectl get --raw /readyz
  local k="$pki/kube-controller-manager.kubeconfig"
  start_daemon kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$k" \
    --authentication-kubeconfig="$k" --authorization-kubeconfig="$k" \
    --bind-address=127.0.0.1 --secure-port=10257 --cert-dir="$DIR/kube-controller-manager" \
    --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
    --use-service-account-credentials=true --cluster-signing-cert-file="$pki/ca.crt" \
    --cluster-signing-key-file="$pki/ca.key" --service-cluster-ip-range=10.96.0.0/16 \
    --allocate-node-cidrs=false --leader-elect=false
  k="$pki/kube-scheduler.kubeconfig"
  start_daemon kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$k" \
    --authentication-kubeconfig="$k" --authorization-kubeconfig="$k" \
    --bind-address=127.0.0.1 --secure-port=10259 --leader-elect=false
}

node_up() {
  start_daemon containerd containerd --config "$DIR/containerd/config.toml"
  wait_until 30 "containerd" "${CTR[@]}" version
  start_daemon kubelet "$BIN/kubelet" --config="$DIR/kubelet/config.yaml" \
    --kubeconfig="$DIR/pki/node.kubeconfig" --root-dir="$DIR/kubelet/root" \
    --cert-dir="$DIR/kubelet/pki" --hostname-override="$NODE" --node-ip=10.88.0.1 --v=1
  start_daemon kube-proxy "$BIN/kube-proxy" --config="$DIR/kube-proxy/config.yaml"
  start_daemon coredns "$BIN/coredns" -conf "$DIR/coredns/Corefile"
  wait_until 60 "CoreDNS" curl -sf "http://127.0.0.1:$((INGRESS_PORT + 2))/ready"
  wait_until 120 "the node" kubectl wait --for=condition=Ready "node/$NODE" --timeout=5s
}

volumes() {
  # minikube's hostpath provisioner, done by hand: folders under the cluster folder as volumes,
  # enough for every claim of the dev overlay. World-writable, since a hostPath volume ignores a
  # pod's fsGroup; each store makes its own data folder inside with its own mode.
  local i
  for i in $(seq -w 1 12); do
    mkdir -p "$DIR/volumes/pv-$i"
    chmod 1777 "$DIR/volumes/pv-$i"
    cat <<YAML
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-$i
  labels: { app.kubernetes.io/part-of: taskforge-cluster }
spec:
  capacity: { storage: 5Gi }
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: standard
  hostPath: { path: $DIR/volumes/pv-$i, type: Directory }
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions: [{ key: kubernetes.io/hostname, operator: In, values: [$NODE] }]
---
YAML
  done | kubectl apply -f - >/dev/null
}

ingress_up() {
  kubectl -n kube-system create token ingress --duration=48h >"$DIR/traefik/token"
  start_daemon traefik "$BIN/traefik" --configFile="$DIR/traefik/traefik.yaml"
  wait_until 30 "Traefik" curl -s -o /dev/null "http://127.0.0.1:$INGRESS_PORT/"
}

docker_up() {
  running dockerd && return 0
  # Docker only builds images here: no bridge, no iptables, no NAT; builds that need the package
  # registries use the host's network. Its image and build cache stay in the cache between runs.
  mkdir -p "$CACHE/docker" "$DIR/docker" "$DIR/run" "$DIR/log"
  start_daemon dockerd dockerd --data-root "$CACHE/docker" --exec-root "$DIR/docker" \
    --pidfile "$DIR/docker/dockerd.pid" -H "$DOCKER_HOST" --storage-driver overlay2 \
    --bridge=none --iptables=false --ip-forward=false --ip-masq=false --ip6tables=false
  wait_until 60 "dockerd" "$DOCKER" version
}

up() {
  [ "$(id -u)" = 0 ] || die "up needs root"
  cached || die "the cluster's binaries are not built: npm run cluster -- build"
  [ -z "$(missing_packages)" ] || die "missing Debian packages ($(missing_packages | tr '\n' ' ')): npm run cluster -- build"
  command -v kubectl >/dev/null || die "kubectl is required"
  if running kube-apiserver; then die "already up (npm run cluster -- down first)"; fi
  local started=$SECONDS
  # What a crashed run left (daemons, mounts, the bridge) goes first.
  [ ! -d "$DIR" ] || down
  mkdir -p "$DIR"/{pki,run,log,etcd,containerd/{root,state,opt,no-registries},cni/{net.d,ipam}} \
    "$DIR"/kubelet/{root,manifests,pod-logs,pki} "$DIR"/{kube-proxy,coredns,traefik,volumes}
  render containerd.toml "$DIR/containerd/config.toml"
  render cni.conflist "$DIR/cni/net.d/10-taskforge.conflist"
  render kubelet.yaml "$DIR/kubelet/config.yaml"
  render kube-proxy.yaml "$DIR/kube-proxy/config.yaml"
  render Corefile "$DIR/coredns/Corefile"
  render traefik.yaml "$DIR/traefik/traefik.yaml"
  echo "nameserver 127.0.0.1" >"$DIR/kubelet/resolv.conf"
  "$HERE/config/pki.sh" "$DIR" "$NODE"
  phase "folder and certificates ready in $DIR"
  network_up
  control_plane_up
  # CoreDNS's and Traefik's access before they start.
  kubectl apply -f "$HERE/config/cluster.yaml" >/dev/null
  phase "control plane up"
  node_up
  phase "node $NODE Ready"
  volumes
  ingress_up
  phase "ingress on 127.0.0.1:$INGRESS_PORT"
  deploy
  log "up in $((SECONDS - started)) s; kubectl: export KUBECONFIG=$KUBECONFIG"
}

# The images built and loaded into the node, the Secrets made and the dev overlay applied, by
# skaffold where it is built, by kubectl otherwise; then every workload rolled out.
deploy() {
  # skaffold builds the suite's own images; this builds the rest (or all, for kubectl).
  local by=kubectl images=all
  if with_skaffold; then by=skaffold images=standins; fi
  docker_up
  "$HERE/images.sh" "$images"
  phase "images built ($images)"
  "$HERE/images.sh" list "$images" | xargs "$DOCKER" save | "${CTR[@]}" images import - >/dev/null
  phase "images loaded into the node ($images)"
  "$ROOT/infra/scripts/create-secrets.sh" >/dev/null
  if [ "$by" = skaffold ]; then
    skaffold_run
    phase "skaffold run: the suite's images built, loaded and the dev overlay applied"
  else
    kubectl apply -k "$OVERLAY" >/dev/null
    phase "dev overlay applied"
  fi
  echo "$by" >"$DIR/deployed-by"
  rolled_out
}

# skaffold deploys when `build --with-skaffold` made it (TF_CLUSTER_SKAFFOLD=0: kubectl apply -k).
with_skaffold() {
  [ "${TF_CLUSTER_SKAFFOLD:-1}" != 0 ] && module_built skaffold "v$SKAFFOLD_VERSION"
}

# `skaffold run` with the repository's skaffold.yaml as it is, the way it runs against kind:
# skaffold builds with this Docker daemon and, for a context named kind-<name>, hands each
# image to `kind load docker-image`, which a shim here answers by importing it into the node.
skaffold_run() {
  local home="$DIR/skaffold"
  mkdir -p "$home/.skaffold" "$home/bin"
  printf '%s\n' 'global:' '  collect-metrics: false' '  update-check: false' \
    '  survey: {disable-prompt: true}' '  update: {disable-prompt: true}' >"$home/.skaffold/config"
  cat >"$home/bin/kind" <<SHIM
#!/usr/bin/env bash
# kind's part in skaffold run: "kind load docker-image --name NAME IMAGE..." into the node.
[ "\$1 \$2" = "load docker-image" ] || { echo "kind stand-in: only load docker-image: \$*" >&2; exit 1; }
shift 2
images=()
while [ \$# -gt 0 ]; do case "\$1" in --name) shift ;; --name=*) ;; *) images+=("\$1") ;; esac; shift; done
"$DOCKER" save "\${images[@]}" | ${CTR[*]} images import - >/dev/null
SHIM
  chmod +x "$home/bin/kind"
  sed 's/\btaskforge$/kind-taskforge/' "$KUBECONFIG" >"$home/kubeconfig"
  (cd "$ROOT" && HOME="$home" PATH="$home/bin:$PATH" KUBECONFIG="$home/kubeconfig" \
    DOCKER_BUILDKIT=0 nice -n 10 "$BIN/skaffold" run --update-check=false --interactive=false \
    --status-check=false) >"$DIR/log/skaffold.log" 2>&1 ||
    { tail -20 "$DIR/log/skaffold.log" >&2; die "skaffold run failed (log: $DIR/log/skaffold.log)"; }
}

rolled_out() {
  local kind name
  for kind in statefulset deployment; do
    for name in $(kubectl get "$kind" -o name); do
      kubectl rollout status "$name" --timeout=600s >/dev/null ||
        { kubectl get pods -o wide; die "$name did not roll out"; }
    done
  done
  kubectl get pods -o wide
  phase "every pod Ready"
}

down() {
  [ -d "$DIR" ] || [ -n "$(leftovers)" ] || { log "nothing to stop"; return 0; }
  local started=$SECONDS
  if running kube-apiserver && running kubelet; then
    # The kubelet tears the pods down through CRI and CNI (their veths, mounts and namespaces).
    kubectl delete deploy,statefulset,daemonset,job --all -A --wait=false >/dev/null 2>&1 || true
    kubectl delete pod --all -A --grace-period=5 --timeout=90s >/dev/null 2>&1 || true
    phase "pods deleted"
  fi
  local n
  for n in traefik coredns kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver; do
    stop_daemon "$n"
  done
  if running containerd; then
    local id
    for id in $("${CTR[@]}" tasks ls -q 2>/dev/null); do "${CTR[@]}" tasks kill -s KILL "$id" 2>/dev/null || true; done
    sleep 1
    for id in $("${CTR[@]}" tasks ls -q 2>/dev/null); do "${CTR[@]}" tasks rm -f "$id" 2>/dev/null || true; done
    for id in $("${CTR[@]}" containers ls -q 2>/dev/null); do "${CTR[@]}" containers rm "$id" 2>/dev/null || true; done
  fi
  stop_daemon containerd
  stop_daemon dockerd 30
  stop_daemon etcd
  phase "daemons stopped"
  # The chains kube-proxy and the kubelet made, and ours.
  [ -x "$BIN/kube-proxy" ] && "$BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
  local ipt t
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null || continue
    $ipt -D INPUT -j KUBE-FIREWALL 2>/dev/null || true
    $ipt -D OUTPUT -j KUBE-FIREWALL 2>/dev/null || true
    $ipt -F KUBE-FIREWALL 2>/dev/null || true
    $ipt -X KUBE-FIREWALL 2>/dev/null || true
    for t in mangle nat filter; do
      $ipt -t "$t" -X KUBE-PROXY-CANARY 2>/dev/null || true
      $ipt -t "$t" -X KUBE-KUBELET-CANARY 2>/dev/null || true
    done
    $ipt -t nat -F KUBE-MARK-MASQ 2>/dev/null || true
    $ipt -t nat -X KUBE-MARK-MASQ 2>/dev/null || true
  done
  while iptables -t mangle -D FORWARD ! -i "$BRIDGE" -j DROP -m comment --comment "$GUARD" 2>/dev/null; do :; done
  while iptables -t mangle -D FORWARD ! -o "$BRIDGE" -j DROP -m comment --comment "$GUARD" 2>/dev/null; do :; done
  # Mounts the kubelet and containerd left (volumes, namespaces, overlays), deepest first.
  # Docker's data root is in the cache, and a dockerd that was killed leaves it mounted there.
  awk -v d="$DIR" -v c="$CACHE/docker" '$2 ~ "^"d || $2 ~ "^"c {print $2}' /proc/mounts |
    sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  local veth
  for veth in $(ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link del "$veth" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  if [ -f "$DIR/sysctl.orig" ]; then
    sed 's/ = /=/' "$DIR/sysctl.orig" | xargs -r sysctl -qw >/dev/null 2>&1 || true
  fi
  # What containerd and runc keep outside their configured folders.
  rm -rf /run/containerd/io.containerd.runtime.v2.task/k8s.io /var/lib/cni/networks/taskforge-cluster
  rm -rf "$DIR"
  local left
  left="$(leftovers)"
  [ -z "$left" ] || die "down left behind: $left"
  log "down in $((SECONDS - started)) s; nothing of the cluster is left"
}

# What of a cluster is still on the machine: empty when `down` left it as it was.
leftovers() {
  ip link show "$BRIDGE" >/dev/null 2>&1 && echo "the bridge $BRIDGE;"
  local ipt
  for ipt in iptables ip6tables; do
    command -v "$ipt-save" >/dev/null || continue
    "$ipt-save" 2>/dev/null | grep -q -e "$GUARD" -e '^:KUBE-' && echo "$ipt rules or chains;"
  done
  awk -v d="$DIR" -v c="$CACHE/docker" '$2 ~ "^"d || $2 ~ "^"c {print $2}' /proc/mounts |
    grep -q . && echo "mounts under $DIR or $CACHE/docker;"
  local pids
  pids="$(pgrep -f -- "^[^ ]*($BIN/| .*$DIR/)" | tr '\n' ' ')"
  [ -z "${pids// /}" ] || echo "processes $pids;"
  [ ! -d "$DIR" ] || echo "the folder $DIR;"
}

status() {
  local n
  for n in etcd containerd dockerd "${COMPONENTS[@]}"; do
    printf '%-24s %s\n' "$n" "$(running "$n" && echo "running (pid $(cat "$DIR/run/$n.pid"))" || echo stopped)"
  done
  running kube-apiserver && kubectl get pods -o wide
}

case "${1:-}" in
  build) shift; build "$@" ;;
  up) up ;;
  deploy) deploy ;;
  test) shift; exec "$HERE/test/run.sh" "$@" ;;
  down) down ;;
  status) status ;;
  cached) cached ;;
  kubectl) shift; exec kubectl "$@" ;;
  images) shift; docker_up; "$HERE/images.sh" "$@" ;;
  *) sed -n '2,15s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
