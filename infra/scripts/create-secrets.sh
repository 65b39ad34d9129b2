#!/usr/bin/env bash
# Creates the Secrets the manifests read, in the current kubectl context:
#   jwt-private-key   (JWT_PRIVATE_KEY): the ES256 (P-256) signing key, read only by auth;
#   jwt-public-key    (JWT_PUBLIC_KEY): its public half, read by every service;
#   teams-postgres    (POSTGRES_PASSWORD, DATABASE_URL): teams' database password and URL;
#   s3-credentials    (S3_ACCESS_KEY, S3_SECRET_KEY): the S3 server's root user, which tasks uses.
#
#   infra/scripts/create-secrets.sh              apply; keeps every existing value
#   infra/scripts/create-secrets.sh --rotate     apply a new JWT key pair (signs everyone out)
#   infra/scripts/create-secrets.sh --print      print new manifests only (no cluster needed)
#   infra/scripts/create-secrets.sh -n NAMESPACE ...
#
# Safe to run again: existing values are reused, and the public key is derived from the private
# one, so the JWT Secrets always match. The database and S3 credentials are never rotated here:
# PostgreSQL keeps the password it was first started with, and the S3 server's objects belong to
# its root user. The manifests are what
# `kubectl create secret generic --dry-run=client -o yaml` would print, written here so that
# --print needs only openssl.
set -euo pipefail

usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }

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

# The value a Secret's key has in the cluster; nothing when printing or when there is none. A
# cluster that cannot be asked stops the script, rather than replacing a password.
stored() { # secret, key
  [ "$print_only" = 0 ] || return 0
  local encoded
  encoded="$(kube get secret "$1" --ignore-not-found -o "jsonpath={.data.$2}")" || return 1
  [ -z "$encoded" ] || printf '%s' "$encoded" | openssl base64 -A -d
}

# A file holding the stored value, or a new random one (hex, so it needs no escaping in a URL).
value_file() { # secret, key, random bytes
  local file="$workdir/$1.$2" value
  value="$(stored "$1" "$2")" || return 1
  if [ -n "$value" ]; then
    echo "create-secrets: keeping $1 $2" >&2
  else
    value="$(openssl rand -hex "$3")"
  fi
  printf '%s' "$value" >"$file"
  echo "$file"
}

if [ "$print_only" = 0 ] && [ "$rotate" = 0 ] && kube get secret jwt-private-key >/dev/null 2>&1; then
  kube get secret jwt-private-key -o jsonpath='{.data.JWT_PRIVATE_KEY}' |
    openssl base64 -A -d >"$private_pem"
  echo "create-secrets: keeping the existing key pair (--rotate makes a new one)" >&2
else
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$private_pem"
fi
openssl pkey -in "$private_pem" -pubout -out "$public_pem"

# The user and database teams-postgres.yaml creates.
postgres_password="$(value_file teams-postgres POSTGRES_PASSWORD 24)"
database_url="$workdir/teams-postgres.DATABASE_URL"
printf 'postgres://teams:%s@teams-postgres:5432/teams' "$(cat "$postgres_password")" >"$database_url"
s3_access_key="$(value_file s3-credentials S3_ACCESS_KEY 10)"
s3_secret_key="$(value_file s3-credentials S3_SECRET_KEY 24)"

secret_manifest() { # name, then key and file with its value, for each key
  local name="$1"
  shift
  cat <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: $name${namespace:+
  namespace: $namespace}
  labels:
    app.kubernetes.io/part-of: taskforge
type: Opaque
data:
YAML
  while [ $# -gt 0 ]; do
    echo "  $1: $(openssl base64 -A <"$2")"
    shift 2
  done
}

manifests() {
  secret_manifest jwt-private-key JWT_PRIVATE_KEY "$private_pem"
  echo '---'
  secret_manifest jwt-public-key JWT_PUBLIC_KEY "$public_pem"
  echo '---'
  secret_manifest teams-postgres POSTGRES_PASSWORD "$postgres_password" DATABASE_URL "$database_url"
  echo '---'
  secret_manifest s3-credentials S3_ACCESS_KEY "$s3_access_key" S3_SECRET_KEY "$s3_secret_key"
}

if [ "$print_only" = 1 ]; then
  manifests
else
  manifests | kube apply -f -
fi
