// The Flux Operator (github.com/controlplaneio-fluxcd/flux-operator), built from the Go module
// proxy as its own image builds it (cmd/operator, CGO off, GOFIPS140=latest: the operator
// refuses to start outside FIPS 140-3 mode), with the data its image carries in /data
// (config/data: flux/<version>/ per Flux release, flux-images/) and its CRDs.
//
// Three things the module zip does not give as it is:
// - its go.mod asks for Go 1.27: GOTOOLCHAIN=go1.27.3, which the go command fetches from the
//   proxy (golang.org/toolchain);
// - one dependency's pseudo-version is not served
//   (go-containerregistry/pkg/authn/kubernetes@v0.0.0-20260604213829-6849394e8a65): a
//   replace takes the served one @latest resolves to;
// - web/embed.go embeds web/dist/*, the web UI's build output, absent from the zip: one
//   placeholder page stands in (the harness never opens the UI; the server is turned off).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goBuild } from './go-build';

export const FLUX_OPERATOR_MODULE = 'github.com/controlplaneio-fluxcd/flux-operator';

/** The operator release the harness builds (`FLUX_BOOTSTRAP_FLUX_OPERATOR_VERSION`). */
export function fluxOperatorVersion(): string {
  return process.env.FLUX_BOOTSTRAP_FLUX_OPERATOR_VERSION ?? 'v0.59.0';
}

/** Go toolchain the module asks for (its go.mod says go 1.27.0). */
export const OPERATOR_TOOLCHAIN = 'go1.27.3';

const AUTHN_KUBERNETES = 'github.com/google/go-containerregistry/pkg/authn/kubernetes';
/** the served pseudo-version (`go list -m ...@latest`, 2026-12) */
const AUTHN_KUBERNETES_SERVED = 'v0.0.0-20260224031529-85f2bf5f7303';

export interface BuiltOperator {
  version: string;
  bin: string;
  /** what the image has in /data: flux/<version>/, flux-images/ (the --storage-path) */
  dataDir: string;
  /** config/crd/bases of the module */
  crds: string[];
  /** config/ of the module: crd, rbac, manager, default (its install manifests' sources) */
  configDir: string;
}

/** Builds (or reuses from ~/.cache/flux-bootstrap) the operator. Synchronous, like goBuild. */
export function buildFluxOperator(version = fluxOperatorVersion()): BuiltOperator {
  const result = goBuild({
    name: 'flux-operator',
    version,
    module: FLUX_OPERATOR_MODULE,
    moduleVersion: version,
    programs: [{ pkg: `${FLUX_OPERATOR_MODULE}/cmd/operator`, out: 'flux-operator' }],
    ldflags: `-s -w -X main.VERSION=${version.replace(/^v/, '')}`,
    env: { GOTOOLCHAIN: OPERATOR_TOOLCHAIN, GOFIPS140: 'latest' },
    extraReplaces: { [AUTHN_KUBERNETES]: AUTHN_KUBERNETES_SERVED },
    patchModule: (src) => {
      const dist = path.join(src, 'web', 'dist');
      fs.mkdirSync(dist, { recursive: true });
      fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>flux-operator (harness build: no web UI)</title>\n');
    },
    afterBuild: ({ moduleDir, outDir }) => {
      fs.cpSync(path.join(moduleDir, 'config', 'data'), path.join(outDir, 'data'), { recursive: true });
      for (const d of ['crd', 'rbac', 'manager', 'default']) {
        fs.cpSync(path.join(moduleDir, 'config', d), path.join(outDir, 'config', d), { recursive: true });
      }
    },
  });
  const crdDir = path.join(result.dir, 'config', 'crd', 'bases');
  return {
    version,
    bin: result.bin['flux-operator'],
    dataDir: path.join(result.dir, 'data'),
    crds: fs
      .readdirSync(crdDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => path.join(crdDir, f)),
    configDir: path.join(result.dir, 'config'),
  };
}

if (require.main === module) {
  const t = Date.now();
  const built = buildFluxOperator();
  process.stdout.write(`${JSON.stringify(built, null, 2)}\n${Math.round((Date.now() - t) / 1000)} s\n`);
}
