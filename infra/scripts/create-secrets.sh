#!/usr/bin/env bash
# Creates or updates the JWT key Secrets in the current kubectl context:
#   jwt-private-key (JWT_PRIVATE_KEY): the ES256 (P-256) signing key, read only by auth;
#   jwt-public-key  (JWT_PUBLIC_KEY):  its public half, read by every service.
#
#   infra/scripts/create-secrets.sh              apply; keeps an existing key pair
#   infra/scripts/create-secrets.sh --rotate     apply a new key pair (signs everyone out)
#   infra/scripts/create-secrets.sh --print      print the manifests only (no cluster needed)
#   infra/scripts/create-secrets.sh -n NAMESPACE ...
#
# Safe to run again: an existing private key is reused and the public key is derived from it,
# so the two Secrets always match. The manifests are what `kubectl create secret generic
# --dry-run=client -o yaml` would print, written here so that --print needs only openssl.
set -euo pipefail

usage() { sed -n '2,9s/^# \{0,1\}//p' "$0"; }

print_only=0
rotate=0
namespace=""
while [ $# -gt 0 ]; do
  case "$1" in
    --print) print_only=1 ;;
    --rotate) rotate=1 ;;
    -n | --namespace)
      [ $# -ge 2 ] || { usage >&2; exit 2; }
      namespace="$2"
      shift
      ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done

command -v openssl >/dev/null || { echo "create-secrets: openssl is required" >&2; exit 1; }
if [ "$print_only" = 0 ]; then
  command -v kubectl >/dev/null || { echo "create-secrets: kubectl is required" >&2; exit 1; }
fi

kube() { kubectl ${namespace:+--namespace "$namespace"} "$@"; }

umask 077
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
private_pem="$workdir/private.pem"
public_pem="$workdir/public.pem"

if [ "$print_only" = 0 ] && [ "$rotate" = 0 ] && kube get secret jwt-private-key >/dev/null 2>&1; then
  kube get secret jwt-private-key -o jsonpath='{.data.JWT_PRIVATE_KEY}' |
    openssl base64 -A -d >"$private_pem"
  echo "create-secrets: keeping the existing key pair (--rotate makes a new one)" >&2
else
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$private_pem"
fi
openssl pkey -in "$private_pem" -pubout -out "$public_pem"

secret_manifest() { # name, key, file with the value
  cat <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: $1${namespace:+
  namespace: $namespace}
  labels:
    app.kubernetes.io/part-of: taskforge
type: Opaque
data:
  $2: $(openssl base64 -A <"$3")
YAML
}

manifests() {
  secret_manifest jwt-private-key JWT_PRIVATE_KEY "$private_pem"
  echo '---'
  secret_manifest jwt-public-key JWT_PUBLIC_KEY "$public_pem"
}

if [ "$print_only" = 1 ]; then
  manifests
else
  manifests | kube apply -f -
fi
