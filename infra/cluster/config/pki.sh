#!/usr/bin/env bash
# The cluster's certificates, made once per cluster folder: a CA, the API server's serving
# certificate, a client certificate and kubeconfig per component, and the service-account keys.
#   pki.sh DIR NODE
set -euo pipefail
DIR="$1"
NODE="$2"
cd "$DIR/pki"
umask 077
quiet() { "$@" 2>/dev/null; }
quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 30 -subj /CN=taskforge-cluster-ca
cat >apiserver.ext <<EXT
subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:10.88.0.1,IP:10.96.0.1
extendedKeyUsage=serverAuth
EXT
quiet openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj /CN=kube-apiserver
quiet openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 30 -extfile apiserver.ext
printf 'extendedKeyUsage=clientAuth\n' >client.ext
# file name | common name | organisation (group)
for spec in "admin|taskforge:admin|system:masters" "node|system:node:$NODE|system:nodes" \
  "kube-scheduler|system:kube-scheduler|" "kube-controller-manager|system:kube-controller-manager|" \
  "kube-proxy|system:kube-proxy|" "coredns|taskforge:coredns|"; do
  IFS='|' read -r file cn org <<<"$spec"
  subject="/CN=$cn"
  [ -z "$org" ] || subject="/O=$org/CN=$cn"
  quiet openssl req -newkey rsa:2048 -nodes -keyout "$file.key" -out "$file.csr" -subj "$subject"
  quiet openssl x509 -req -in "$file.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$file.crt" -days 30 -extfile client.ext
  k="kubectl config --kubeconfig=$file.kubeconfig"
  $k set-cluster taskforge --server=https://127.0.0.1:6443 --certificate-authority=ca.crt --embed-certs >/dev/null
  $k set-credentials "$file" --client-certificate="$file.crt" --client-key="$file.key" --embed-certs >/dev/null
  $k set-context taskforge --cluster=taskforge --user="$file" >/dev/null
  $k use-context taskforge >/dev/null
done
quiet openssl genrsa -out sa.key 2048
quiet openssl rsa -in sa.key -pubout -out sa.pub
rm -f ./*.csr
