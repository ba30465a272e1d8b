// Which Pulumi language hosts the harness runs: the one place that decides it.
//
// The current hosts (v3.259.0, the CLI's release: Python, Go, Node.js) have GeneratePackage
// and RunPlugin, which `pulumi package add` and providers run from source (PulumiPlugin.yaml)
// need, and the Go host runs Go programs. Their Go modules are not served by the module proxy
// here, so they are built from the sources in ../shared/anchors beside the checkout
// (go-build-local.ts). A bare clone has no ../shared: the harness then runs the 2023 v3.68
// Node.js and Python hosts from sdk/v3 (which the proxy serves), has no Go host, and the tests
// that need the current hosts skip with NO_CURRENT_HOSTS.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from './flux-reference';
import { goBuildLocal, type LocalGoBuildSpec } from './go-build-local';

/** The release of the current hosts: the Pulumi CLI's (PULUMI_CLI_VERSION). */
export const CURRENT_HOSTS_VERSION = 'v3.259.0';
/** The sdk/v3 release whose packages are the fallback Node.js and Python hosts. */
export const FALLBACK_HOSTS_VERSION = 'v3.68.0';

const TARBALL = `pulumi-language-hosts-${CURRENT_HOSTS_VERSION}.tar.gz`;

export const NO_CURRENT_HOSTS = `needs the ${CURRENT_HOSTS_VERSION} language hosts, built from ../shared/anchors/${TARBALL}, absent in a bare clone (the harness runs the ${FALLBACK_HOSTS_VERSION} hosts there)`;

/** The hosts' sources: `FLUX_BOOTSTRAP_LANGUAGE_HOSTS` (a tarball, or `none` to run as a bare
 *  clone does), else ../shared/anchors beside the checkout; null when absent. */
export function currentHostsTarball(): string | null {
  const given = process.env.FLUX_BOOTSTRAP_LANGUAGE_HOSTS;
  const file = given ?? path.resolve(projectRoot(), '..', 'shared', 'anchors', TARBALL);
  return given !== 'none' && fs.existsSync(file) ? file : null;
}

/** Whether the harness runs the current hosts (else the fallback ones, and no Go host). */
export function currentHosts(): boolean {
  return currentHostsTarball() !== null;
}

/** The version of the Node.js and Python hosts the harness runs. */
export function languageHostVersion(): string {
  return currentHosts() ? CURRENT_HOSTS_VERSION : FALLBACK_HOSTS_VERSION;
}

export type CurrentHost = 'python' | 'go' | 'nodejs';

const MODULE_DIRS: Record<CurrentHost, string> = {
  python: 'pulumi-language-python',
  go: 'pulumi-language-go',
  nodejs: 'pulumi-language-nodejs',
};

function requireTarball(): string {
  const tarball = currentHostsTarball();
  if (!tarball) throw new Error(`the current language hosts: ${NO_CURRENT_HOSTS}`);
  return tarball;
}

export function currentHostSpec(host: CurrentHost): LocalGoBuildSpec {
  const tarball = requireTarball();
  const v = CURRENT_HOSTS_VERSION;
  // a changed tarball is a new cache entry
  const hash = createHash('sha256').update(fs.readFileSync(tarball)).digest('hex').slice(0, 12);
  const dir = MODULE_DIRS[host];
  return {
    name: `pulumi-language-${host}`,
    version: `${v}-${hash}`,
    tarball,
    moduleDir: path.join(`pulumi-language-hosts-${v}`, dir),
    // their go.mod points pkg/v3 and sdk/v3 into the monorepo: the published release instead
    modEdits: [
      '-dropreplace=github.com/pulumi/pulumi/pkg/v3',
      '-dropreplace=github.com/pulumi/pulumi/sdk/v3',
      `-require=github.com/pulumi/pulumi/pkg/v3@${v}`,
      `-require=github.com/pulumi/pulumi/sdk/v3@${v}`,
    ],
    programs: [{ pkg: '.', out: dir }],
    ldflags: `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${v}`,
    // the Python host looks for pulumi-language-python-exec (and the policy-pack plugin
    // pulumi-resource-pulumi-python) beside its own executable
    afterBuild:
      host === 'python'
        ? ({ moduleDir, outDir }) => {
            for (const f of fs.readdirSync(path.join(moduleDir, 'scripts'))) {
              const to = path.join(outDir, 'bin', f);
              fs.copyFileSync(path.join(moduleDir, 'scripts', f), to);
              fs.chmodSync(to, 0o755);
            }
          }
        : undefined,
  };
}

/** Builds (or reuses) one current host; its cache entry's bin directory. */
export function buildCurrentHost(host: CurrentHost): string {
  return path.dirname(goBuildLocal(currentHostSpec(host)).bin[MODULE_DIRS[host]]);
}

// `node dist/tests/harness/pulumi-hosts.js build [python|go|nodejs...]` builds into the cache.
if (require.main === module && process.argv[2] === 'build') {
  const hosts = process.argv.slice(3) as CurrentHost[];
  for (const h of hosts.length ? hosts : (Object.keys(MODULE_DIRS) as CurrentHost[])) {
    const t = Date.now();
    const dir = buildCurrentHost(h);
    process.stderr.write(`[harness] ${h} host in ${dir} (${Math.round((Date.now() - t) / 1000)} s)\n`);
  }
}
