#!/usr/bin/env bash
# Runs a command under Node >= 22 with dependencies installed and the TypeScript built.
# Every npm script goes through here so that `npm test` and `npm run demo` work on a fresh
# machine whose own Node is older.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PATH="$(bash scripts/node22.sh):$PATH"
export PATH
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "flux-bootstrap: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ "${FLUX_BOOTSTRAP_SKIP_BUILD:-}" != 1 ]; then
  node_modules/.bin/tsc -p tsconfig.json
  # ajv's standalone validators from the schemas (written only when the schemas changed)
  node dist/schema/generate-validators.js
fi
exec "$@"
