// The real Flux source-controller and kustomize-controller, built from the Go module proxy at
// the versions a Flux release ships (the image tags in its source-controller.yaml and
// kustomize-controller.yaml), with their CRDs copied from the module zips.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goBuild, type GoBuildResult } from './go-build';

/** The Flux release whose controllers the harness runs (`FLUX_BOOTSTRAP_FLUX_CONTROLLERS_RELEASE`). */
export function fluxControllersRelease(): string {
  return process.env.FLUX_BOOTSTRAP_FLUX_CONTROLLERS_RELEASE ?? 'v2.9.3';
}

/** Controller module versions per Flux release: the image tags of its distribution manifests. */
export const CONTROLLER_VERSIONS: Record<string, { 'source-controller': string; 'kustomize-controller': string }> = {
  'v2.9.3': { 'source-controller': 'v1.9.3', 'kustomize-controller': 'v1.9.4' },
  'v2.8.5': { 'source-controller': 'v1.8.2', 'kustomize-controller': 'v1.8.3' },
};

export type ControllerName = 'source-controller' | 'kustomize-controller';
export const CONTROLLERS: ControllerName[] = ['source-controller', 'kustomize-controller'];

/** `fluxcd/source-controller:v1.9.3` in a distribution manifest -> `v1.9.3`. */
export function imageTag(distributionDir: string, controller: ControllerName): string {
  const text = fs.readFileSync(path.join(distributionDir, `${controller}.yaml`), 'utf8');
  const m = new RegExp(`image:\\s*\\S*fluxcd/${controller}:(v[0-9][^\\s"']*)`).exec(text);
  if (!m) throw new Error(`no fluxcd/${controller} image in ${distributionDir}/${controller}.yaml`);
  return m[1];
}

export function controllerVersions(release = fluxControllersRelease()): Record<ControllerName, string> {
  const known = CONTROLLER_VERSIONS[release];
  if (!known)
    throw new Error(`unknown Flux release ${release} for the harness controllers; known: ${Object.keys(CONTROLLER_VERSIONS).join(', ')}`);
  return known;
}

export interface BuiltController {
  name: ControllerName;
  version: string;
  bin: string;
  /** CRDs of the controller's API group, from config/crd/bases of its module */
  crds: string[];
}

/** Builds (or reuses from ~/.cache/flux-bootstrap) one controller. Synchronous. */
export function buildController(name: ControllerName, version: string): BuiltController {
  const module = `github.com/fluxcd/${name}`;
  const result: GoBuildResult = goBuild({
    name,
    version,
    module,
    moduleVersion: version,
    programs: [{ pkg: module, out: name }],
    // `<module>/api => ./api`: the api module is published with the same tag, and the
    // controller's go.mod requires exactly that version, so the replace can simply go.
    // The go-digest (and kustomize, yaml.v3) replaces are copied by goBuild as they are.
    localReplace: () => null,
    ldflags: '-s -w',
    afterBuild: ({ moduleDir, outDir }) => {
      const from = path.join(moduleDir, 'config', 'crd', 'bases');
      const to = path.join(outDir, 'crds');
      fs.mkdirSync(to, { recursive: true });
      for (const f of fs.readdirSync(from).filter((f) => f.endsWith('.yaml'))) {
        fs.copyFileSync(path.join(from, f), path.join(to, f));
      }
    },
  });
  const crdDir = path.join(result.dir, 'crds');
  const crds = fs
    .readdirSync(crdDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(crdDir, f));
  return { name, version, bin: result.bin[name], crds };
}

/** Both controllers of `release`. */
export function buildFluxControllers(release = fluxControllersRelease()): Record<ControllerName, BuiltController> {
  const v = controllerVersions(release);
  return {
    'source-controller': buildController('source-controller', v['source-controller']),
    'kustomize-controller': buildController('kustomize-controller', v['kustomize-controller']),
  };
}
