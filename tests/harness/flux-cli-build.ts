// The Flux CLI, for the benchmark's side-by-side `flux bootstrap git`. Its module zip lacks
// cmd/flux/manifests (go:embed'ed release manifests that flux2's Makefile generates with
// kustomize); the build copies the release's manifests there, which is what that directory
// holds: one file per component plus rbac.yaml and policies.yaml (manifests/scripts/bundle.sh).
// With main.VERSION set to the release, `flux bootstrap --version=<it>` uses those embedded
// manifests and needs no network.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { distributionDir } from './flux-reference';
import { goBuild } from './go-build';

export const FLUX_CLI_VERSION = 'v2.9.3';

/** Dependencies of a release that the Go module proxy does not serve (403), replaced by the
 *  nearest served patch release. None is in what the CLI generates (cloud auth only). */
const UNSERVED: Record<string, Record<string, string>> = {
  'v2.8.1': { 'github.com/fluxcd/pkg/auth': 'v0.38.4' }, // v0.38.3 answers 403
};

export function buildFluxCli(version = FLUX_CLI_VERSION): string {
  const manifests = distributionDir(version);
  return goBuild({
    name: 'flux-cli',
    version,
    module: 'github.com/fluxcd/flux2/v2',
    moduleVersion: version,
    programs: [{ pkg: 'github.com/fluxcd/flux2/v2/cmd/flux', out: 'flux' }],
    ldflags: `-s -w -X main.VERSION=${version.replace(/^v/, '')}`,
    extraReplaces: UNSERVED[version],
    patchModule: (src) => {
      const out = path.join(src, 'cmd', 'flux', 'manifests');
      fs.mkdirSync(out, { recursive: true });
      for (const f of fs.readdirSync(manifests).filter((x) => x.endsWith('.yaml')))
        fs.copyFileSync(path.join(manifests, f), path.join(out, f));
    },
  }).bin.flux;
}
