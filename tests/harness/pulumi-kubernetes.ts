// Service `pulumi-kubernetes`: the resource plugin behind npm @pulumi/kubernetes
// (`pulumi-resource-kubernetes`), built from the Go module proxy, since plugin downloads are
// not possible here.
//
// Versions: the proxy serves `github.com/pulumi/pulumi-kubernetes/provider/v4` at one
// pseudo-version only (a 2026-01-15 commit). Its go.mod replaces `sdk/v4 => ../sdk`, which
// becomes the published sdk/v4 v4.25.0, and the plugin is stamped 4.25.0 to match the npm
// package pinned in package.json. The plugin embeds `schema-embed.json` and
// `terraform-mapping-embed.json`, which upstream's `go generate` writes from the module's own
// `schema.json` and `terraform-mapping.json` (both are in the module zip): patchModule does the
// same, setting the schema's version.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { progress } from './cache';
import { goBuild, type GoBuildSpec } from './go-build';
import type { PulumiInfo } from './pulumi';
import type { Service } from './service';

export const PULUMI_KUBERNETES_VERSION = '4.25.0';
const MODULE = 'github.com/pulumi/pulumi-kubernetes/provider/v4';
const MODULE_VERSION = 'v4.0.0-20260115033456-f47bc2d6f199';

export function pulumiKubernetesSpec(): GoBuildSpec {
  const v = PULUMI_KUBERNETES_VERSION;
  return {
    name: 'pulumi-resource-kubernetes',
    version: `v${v}`,
    module: MODULE,
    moduleVersion: MODULE_VERSION,
    programs: [{ pkg: `${MODULE}/cmd/pulumi-resource-kubernetes`, out: 'pulumi-resource-kubernetes' }],
    localReplace: (from) => (from === 'github.com/pulumi/pulumi-kubernetes/sdk/v4' ? `v${v}` : null),
    ldflags: `-s -w -X ${MODULE}/pkg/version.Version=${v}`,
    patchModule: (src) => {
      const cmd = path.join(src, 'cmd', 'pulumi-resource-kubernetes');
      const schema = JSON.parse(fs.readFileSync(path.join(cmd, 'schema.json'), 'utf8')) as { version?: string };
      schema.version = v;
      fs.writeFileSync(path.join(cmd, 'schema-embed.json'), JSON.stringify(schema));
      const mapping: unknown = JSON.parse(fs.readFileSync(path.join(cmd, 'terraform-mapping.json'), 'utf8'));
      fs.writeFileSync(path.join(cmd, 'terraform-mapping-embed.json'), JSON.stringify(mapping));
    },
  };
}

export function buildPulumiKubernetes(): string {
  return goBuild(pulumiKubernetesSpec()).bin['pulumi-resource-kubernetes'];
}

export interface PulumiKubernetesInfo {
  /** the plugin binary, linked into the pulumi service's bin directory (on its PATH) */
  plugin: string;
  version: string;
}

export const pulumiKubernetesService: Service<PulumiKubernetesInfo> = {
  name: 'pulumi-kubernetes',
  needs: ['pulumi'],
  build() {
    buildPulumiKubernetes();
  },
  start(_workDir: string, deps: Record<string, unknown>): Promise<PulumiKubernetesInfo> {
    const pulumi = deps.pulumi as PulumiInfo;
    const bin = buildPulumiKubernetes();
    // on PATH next to `pulumi`: the engine looks there before its plugin cache
    const at = path.join(pulumi.binDir, 'pulumi-resource-kubernetes');
    fs.rmSync(at, { force: true });
    fs.symlinkSync(bin, at);
    return Promise.resolve({ plugin: at, version: PULUMI_KUBERNETES_VERSION });
  },
  async stop(): Promise<void> {
    /* nothing runs */
  },
};

// `node dist/tests/harness/pulumi-kubernetes.js build` builds into the cache.
if (require.main === module && process.argv[2] === 'build') {
  const t = Date.now();
  const bin = buildPulumiKubernetes();
  progress(`pulumi-resource-kubernetes build done in ${Math.round((Date.now() - t) / 1000)} s: ${bin}`);
}
