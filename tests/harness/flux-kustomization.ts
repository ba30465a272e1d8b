// The kustomization.yaml `flux bootstrap` writes, from Flux's own code without a Git server or a
// cluster: flux-bootstrap-kustomization (tests/harness/flux-kustomization/main.go) calls flux2's
// generator (pkg/manifestgen/kustomization) as bootstrap does, on a directory holding the other
// two files. Built from the flux CLI's module version into that module's source (as the CLI's
// manifests are), with the CLI's flags, so the packages the CLI build compiled are reused: a
// link, seconds, beside the CLI's minutes. The flux-cli service builds it with the CLI.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheDir } from './cache';
import { FLUX_CLI_VERSION } from './flux-cli-build';
import { projectRoot } from './flux-reference';
import { built, goBuild, type GoBuildSpec } from './go-build';

const OUT = 'flux-bootstrap-kustomization';
const PKG = `cmd/${OUT}`;
const SOURCE = () => path.join(projectRoot(), 'tests', 'harness', 'flux-kustomization', 'main.go');

function spec(version: string): GoBuildSpec {
  // a change of the program is a new cache entry
  const hash = createHash('sha256').update(fs.readFileSync(SOURCE())).digest('hex').slice(0, 12);
  return {
    name: 'flux-kustomization',
    version: `${version}-${hash}`,
    module: 'github.com/fluxcd/flux2/v2',
    moduleVersion: version,
    programs: [{ pkg: `github.com/fluxcd/flux2/v2/${PKG}`, out: OUT }],
    ldflags: '-s -w',
    patchModule: (src) => {
      fs.mkdirSync(path.join(src, PKG), { recursive: true });
      fs.copyFileSync(SOURCE(), path.join(src, PKG, 'main.go'));
    },
  };
}

/** Builds (or reuses) the generator of `version`'s flux2 module. */
export function buildFluxKustomization(version = FLUX_CLI_VERSION): string {
  return goBuild(spec(version)).bin[OUT];
}

/** The generator when it is built already, else null (nothing is built here). */
export function builtFluxKustomization(version = FLUX_CLI_VERSION): string | null {
  const s = spec(version);
  return built(cacheDir(s.name, s.version), s)?.bin[OUT] ?? null;
}

/** What `flux bootstrap` writes as `<dir>/kustomization.yaml` beside these files. */
export function fluxKustomization(bin: string, files: Record<string, string>, dir = 'clusters/development/flux-system'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-kustomization-'));
  try {
    fs.mkdirSync(path.join(root, dir), { recursive: true });
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(root, dir, name), content);
    return execFileSync(bin, [root, dir], { encoding: 'utf8' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
