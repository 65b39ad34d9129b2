#!/bin/sh
# As the official image: options alone mean redis-server with those options, and protected mode
# is off by default (the official image builds Redis so; a pod's clients are never on its
# loopback), unless the options turn it back on.
set -e
case "$1" in -*) set -- redis-server "$@" ;; esac
if [ "$1" = redis-server ]; then
  shift
  set -- redis-server --protected-mode no "$@"
fi
exec "$@"
