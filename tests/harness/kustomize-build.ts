// kustomize itself (sigs.k8s.io/kustomize/kustomize/v5), built from the Go module proxy at the
// release the Flux Operator's Makefile pins (KUSTOMIZE_VERSION v5.8.1): the reference the
// operator's install manifests, as flux-bootstrap renders them, are compared with byte for byte
// (`kustomize build config/default` is how the operator's release makes its install.yaml).
import { goBuild } from './go-build';

export const KUSTOMIZE_VERSION = 'v5.8.1';

/** The kustomize binary (built once, cached in ~/.cache/flux-bootstrap). Synchronous. */
export function buildKustomize(version = KUSTOMIZE_VERSION): string {
  const module = 'sigs.k8s.io/kustomize/kustomize/v5';
  return goBuild({
    name: 'kustomize',
    version,
    module,
    moduleVersion: version,
    programs: [{ pkg: module, out: 'kustomize' }],
    ldflags: '-s -w',
  }).bin.kustomize;
}

if (require.main === module) process.stdout.write(`${buildKustomize()}\n`);
