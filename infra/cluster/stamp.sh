# shellcheck shell=bash
# Sourced by build.sh and cluster.sh (after they set $BIN). The stamp of a binary built from a module of the proxy:
# its version, and when infra/cluster/patches/<name>-*.patch exist, a checksum of them, so a
# changed or new patch builds the binary anew just as a new version does.
module_stamp() { # name, version
  local patches
  patches="$(find "$(dirname "${BASH_SOURCE[0]}")/patches" -name "$1-*.patch" 2>/dev/null | sort)"
  if [ -z "$patches" ]; then
    echo "$2"
  else
    # shellcheck disable=SC2086
    echo "$2+patches.$(cat $patches | sha256sum | cut -c1-12)"
  fi
}

# Whether $BIN holds the binary built at that version and the patches there are now.
module_built() { # name, version
  [ -x "$BIN/$1" ] && [ "$(cat "$BIN/$1.version" 2>/dev/null)" = "$(module_stamp "$1" "$2")" ]
}
