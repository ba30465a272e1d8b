// OpenTofu and the Terraform providers the CDKTF construct uses, built from the Go module proxy
// and laid out as a local `filesystem_mirror`, since no provider registry is reachable here.
//
// Versions: the proxy reachable here serves only some versions of these modules (403 for the
// rest), so each is the served version nearest the @cdktf/provider-* binding's provider version:
// - integrations/github: bindings 6.9.0; served v6.3.0, v6.6.0, v6.11.1 -> v6.11.1 (same major,
//   a superset of 6.9's schema);
// - hashicorp/tls: bindings 4.1.0; served only commit d044ca7c6f52 (2026-08, after 4.3.0);
// - hashicorp/kubernetes: bindings 2.38.0; served only commit 3a33fb6cc605 (2026-08, after
//   3.2.1; 3.0 only deprecated the un-suffixed resources, `kubernetes_secret_v1` is unchanged);
// - alekc/kubectl (no binding; see provider/cdktf/kubectl.ts): commit 382f717da42b (after v2.2.0).
// The hashicorp modules' major tags aren't valid module versions, hence the pseudo-versions.
// `node dist/tests/harness/opentofu-build.js` builds everything ahead of a test run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir } from './cache';
import { goBuild, type GoBuildSpec } from './go-build';

export const OPENTOFU_VERSION = 'v1.12.6';

export interface MirroredProvider {
  /** registry namespace and type, as in `required_providers` */
  namespace: string;
  type: string;
  /** the version the mirror offers (the release the built commit follows) */
  version: string;
  /** the Go module and the version built */
  module: string;
  moduleVersion: string;
}

export const MIRRORED_PROVIDERS: MirroredProvider[] = [
  {
    namespace: 'hashicorp',
    type: 'tls',
    version: '4.3.0',
    module: 'github.com/hashicorp/terraform-provider-tls',
    moduleVersion: 'v1.2.1-0.20260819085117-d044ca7c6f52',
  },
  {
    namespace: 'integrations',
    type: 'github',
    version: '6.11.1',
    module: 'github.com/integrations/terraform-provider-github/v6',
    moduleVersion: 'v6.11.1',
  },
  {
    namespace: 'alekc',
    type: 'kubectl',
    version: '2.2.0',
    module: 'github.com/alekc/terraform-provider-kubectl',
    moduleVersion: 'v1.13.2-0.20260422205830-382f717da42b',
  },
  {
    namespace: 'hashicorp',
    type: 'kubernetes',
    version: '3.2.1',
    module: 'github.com/hashicorp/terraform-provider-kubernetes',
    moduleVersion: 'v1.13.4-0.20260821094251-3a33fb6cc605',
  },
];

export function opentofuSpec(): GoBuildSpec {
  return {
    name: 'opentofu',
    version: OPENTOFU_VERSION,
    module: 'github.com/opentofu/opentofu',
    moduleVersion: OPENTOFU_VERSION,
    programs: [{ pkg: 'github.com/opentofu/opentofu/cmd/tofu', out: 'tofu' }],
    // the hcl/v2 => opentofu/hcl/v2 replace is copied by goBuild
    ldflags: `-s -w -X github.com/opentofu/opentofu/version.dev=no`,
  };
}

export function providerSpec(p: MirroredProvider): GoBuildSpec {
  const out = `terraform-provider-${p.type}_v${p.version}`;
  return {
    name: `terraform-provider-${p.type}`,
    version: `v${p.version}`,
    module: p.module,
    moduleVersion: p.moduleVersion,
    programs: [{ pkg: p.module, out }],
    ldflags: '-s -w',
  };
}

export function buildTofu(): string {
  return goBuild(opentofuSpec()).bin.tofu;
}

/** Builds the providers (cached) and lays them out as an unpacked filesystem mirror:
 *  <mirror>/registry.opentofu.org/<ns>/<type>/<version>/linux_amd64/terraform-provider-<type>_v<version>. */
export function buildProviderMirror(providers = MIRRORED_PROVIDERS): string {
  const mirror = cacheDir('opentofu-mirror', OPENTOFU_VERSION);
  for (const p of providers) {
    const spec = providerSpec(p);
    const bin = goBuild(spec).bin[spec.programs[0].out];
    const dir = path.join(mirror, 'registry.opentofu.org', p.namespace, p.type, p.version, 'linux_amd64');
    const at = path.join(dir, path.basename(bin));
    fs.mkdirSync(dir, { recursive: true });
    // a symlink keeps one copy of each (large) binary; tofu follows it
    if (!fs.existsSync(at)) fs.symlinkSync(bin, at);
  }
  return mirror;
}

if (require.main === module) {
  const only = process.argv.slice(2);
  const t = Date.now();
  if (only.length === 0 || only.includes('tofu')) console.log(buildTofu());
  const picked = MIRRORED_PROVIDERS.filter((p) => only.length === 0 || only.includes(p.type));
  if (picked.length) console.log(buildProviderMirror(picked));
  console.log(`(${Math.round((Date.now() - t) / 1000)} s)`);
}
