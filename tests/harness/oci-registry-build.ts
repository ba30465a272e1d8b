// How the harness builds a real OCI registry, distribution's `registry` (the CNCF reference
// implementation behind Docker Hub and GHCR's protocol), from the Go module proxy. Built
// without the optimizer: the tests push a few kilobytes.
// `node dist/tests/harness/oci-registry-build.js` builds it ahead of a test run.
import { goBuild } from './go-build';

export const REGISTRY_VERSION = 'v3.1.2';

export function buildRegistry(): string {
  return goBuild({
    name: 'oci-registry',
    version: REGISTRY_VERSION,
    module: 'github.com/distribution/distribution/v3',
    moduleVersion: REGISTRY_VERSION,
    programs: [{ pkg: 'github.com/distribution/distribution/v3/cmd/registry', out: 'registry' }],
    ldflags: `-X github.com/distribution/distribution/v3/version.version=${REGISTRY_VERSION}`,
  }).bin.registry;
}

if (require.main === module) {
  const t = Date.now();
  const bin = buildRegistry();
  console.log(`${bin} (${Math.round((Date.now() - t) / 1000)} s)`);
}
