// Service `flux-cli`: the real flux CLI of one release of each minor line the differential
// tests cover, each built from its own github.com/fluxcd/flux2/v2 module version with that
// release's manifests embedded (flux-cli-build.ts), and flux2's kustomization.yaml generator
// (flux-kustomization.ts) for the golden reference. Nothing runs: the tests run the binaries.
// The builds happen here, in global setup, where a cold build may take minutes.
import { progress } from './cache';
import { buildFluxCli, FLUX_CLI_VERSION } from './flux-cli-build';
import { buildFluxKustomization } from './flux-kustomization';
import { distributionDir } from './flux-reference';
import type { Service } from './service';

/** One release per minor line whose module and dependencies the Go module proxy serves: not
 *  v2.8.5, nor v2.8.3 (notification-controller/api v1.8.2 and pkg/ssa v0.67.3 answer 403). */
export const DIFFERENTIAL_RELEASES = ['v2.9.3', 'v2.8.1', 'v2.7.5'] as const;
export type DifferentialRelease = (typeof DIFFERENTIAL_RELEASES)[number];
/** The releases the service builds and the matrix compares: all three. */
export const PROVEN_RELEASES: readonly DifferentialRelease[] = DIFFERENTIAL_RELEASES;

export interface FluxCliInfo {
  /** per release: the binary and the manifests embedded in it */
  releases: Partial<Record<DifferentialRelease, { bin: string; manifests: string }>>;
}

export const fluxCliService: Service<FluxCliInfo> = {
  name: 'flux-cli',
  start(): Promise<FluxCliInfo> {
    const releases = {} as FluxCliInfo['releases'];
    for (const release of PROVEN_RELEASES) {
      const t = Date.now();
      releases[release] = { bin: buildFluxCli(release), manifests: distributionDir(release) };
      progress(`flux-cli: flux ${release} ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    // the golden reference's kustomization.yaml (flux-cli-reference.ts), before any test needs it
    const t = Date.now();
    buildFluxKustomization(FLUX_CLI_VERSION);
    progress(`flux-cli: flux2's kustomization.yaml generator ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return Promise.resolve({ releases });
  },
  async stop(): Promise<void> {
    /* nothing runs */
  },
};

export default fluxCliService;
