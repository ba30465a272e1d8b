// Service `pulumi`: the real Pulumi CLI and engine, built from the Go module proxy, plus the
// Node.js language host, so tests drive `pulumi up` through `@pulumi/pulumi/automation` on a
// file backend with no network and no plugin downloads.
//
// Versions: the CLI should match the npm `@pulumi/pulumi` in package.json (3.270.0), but the Go
// module proxy reachable here serves only some releases of `github.com/pulumi/pulumi/pkg/v3`
// (for 3.260.0 and later it answers 403 for the module zip), so the CLI is the newest
// release it serves, v3.259.0 (see PULUMI_CLI_VERSION). The language host module
// (`github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3`) is not served at any
// version, so the host of the same release is built from its sources in ../shared/anchors
// (pulumi-hosts.ts decides). A bare clone has none: the host is then built from `sdk/v3`
// v3.68.0, which still held it as a package (`sdk/v3/nodejs/cmd/pulumi-language-nodejs`)
// before it became its own module (no GeneratePackage, no RunPlugin). Both are upstream code,
// unpatched; `pulumiVersions()` and PulumiInfo report what runs.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { progress } from './cache';
import { goBuild, type GoBuildSpec } from './go-build';
import { buildCurrentHost, currentHosts, FALLBACK_HOSTS_VERSION, languageHostVersion } from './pulumi-hosts';
import type { Service } from './service';

/** The Pulumi CLI release built (github.com/pulumi/pulumi/pkg/v3). */
export const PULUMI_CLI_VERSION = 'v3.259.0';

/** Root of the checkout, whether this runs from tests/harness (ts) or dist/tests/harness (js). */
function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'node_modules'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json with node_modules above ${__dirname}`);
    dir = up;
  }
}

export function pulumiCliSpec(): GoBuildSpec {
  const v = PULUMI_CLI_VERSION;
  return {
    name: 'pulumi-cli',
    version: v,
    module: 'github.com/pulumi/pulumi/pkg/v3',
    moduleVersion: v,
    programs: [{ pkg: 'github.com/pulumi/pulumi/pkg/v3/cmd/pulumi', out: 'pulumi' }],
    // `github.com/pulumi/pulumi/sdk/v3 => ../sdk` becomes the sdk release of the same tag;
    // the clipboard replace is copied as is.
    localReplace: (from) => (from === 'github.com/pulumi/pulumi/sdk/v3' ? v : null),
    ldflags: `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${v}`,
  };
}

/** The fallback Node.js host (a bare clone): sdk/v3 v3.68.0's package. */
export function pulumiLanguageHostSpec(): GoBuildSpec {
  const v = FALLBACK_HOSTS_VERSION;
  return {
    name: 'pulumi-language-nodejs',
    version: v,
    module: 'github.com/pulumi/pulumi/sdk/v3',
    moduleVersion: v,
    programs: [{ pkg: 'github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs', out: 'pulumi-language-nodejs' }],
    ldflags: `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${v}`,
  };
}

export interface PulumiInfo {
  /** directory with pulumi, pulumi-language-nodejs and pulumi-resource-pulumi-nodejs */
  binDir: string;
  /** the pulumi binary */
  pulumi: string;
  /** file:// backend root */
  backendUrl: string;
  /** PULUMI_HOME for this run */
  home: string;
  passphrase: string;
  /** directory of the Node >= 22 the harness runs on */
  nodeBinDir: string;
  cliVersion: string;
  /** the Node.js (and Python) host's release: the CLI's, or v3.68.0 in a bare clone */
  languageHostVersion: string;
  /** whether the current (v3.259) hosts run: package add, RunPlugin and Go programs need them */
  currentHosts: boolean;
  /** version of the @pulumi/pulumi npm package in node_modules */
  sdkVersion: string;
}

/** The npm `@pulumi/pulumi` package directory in the project's node_modules. */
export function pulumiNpmDir(): string {
  return path.dirname(require.resolve('@pulumi/pulumi/package.json', { paths: [projectRoot()] }));
}

/** Builds (or reuses from the cache) the CLI and the language host. Synchronous. */
export function buildPulumi(): { pulumi: string; languageHost: string } {
  const cli = goBuild(pulumiCliSpec());
  const host = currentHosts()
    ? path.join(buildCurrentHost('nodejs'), 'pulumi-language-nodejs')
    : goBuild(pulumiLanguageHostSpec()).bin['pulumi-language-nodejs'];
  return { pulumi: cli.bin.pulumi, languageHost: host };
}

function link(target: string, at: string): void {
  fs.rmSync(at, { force: true });
  fs.symlinkSync(target, at);
}

/** Environment for running `pulumi` (directly or through the Automation API) against this
 *  service: Node 22 and the bin dir first on PATH, the file backend, a passphrase for
 *  secrets, no update checks and no plugin downloads. */
export function pulumiEnv(info: PulumiInfo, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !k.startsWith('PULUMI_')) env[k] = v;
  return {
    ...env,
    PATH: [info.binDir, info.nodeBinDir, base.PATH ?? ''].join(path.delimiter),
    PULUMI_HOME: info.home,
    PULUMI_BACKEND_URL: info.backendUrl,
    PULUMI_CONFIG_PASSPHRASE: info.passphrase,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_SKIP_CONFIRMATIONS: 'true',
  };
}

export function pulumiVersions(info: PulumiInfo): { cli: string; languageHost: string; sdk: string } {
  return { cli: info.cliVersion, languageHost: info.languageHostVersion, sdk: info.sdkVersion };
}

export const pulumiService: Service<PulumiInfo> = {
  name: 'pulumi',
  start(workDir: string): Promise<PulumiInfo> {
    const started = Date.now();
    const built = buildPulumi();
    const npmDir = pulumiNpmDir();
    const sdkVersion = (JSON.parse(fs.readFileSync(path.join(npmDir, 'package.json'), 'utf8')) as { version: string }).version;
    const binDir = path.join(workDir, 'bin');
    const home = path.join(workDir, 'home');
    const state = path.join(workDir, 'state');
    for (const d of [binDir, home, state]) fs.mkdirSync(d, { recursive: true });
    link(built.pulumi, path.join(binDir, 'pulumi'));
    link(built.languageHost, path.join(binDir, 'pulumi-language-nodejs'));
    link(path.join(npmDir, 'pulumi-resource-pulumi-nodejs'), path.join(binDir, 'pulumi-resource-pulumi-nodejs'));
    const nodeMajor = Number(process.versions.node.split('.')[0]);
    if (nodeMajor < 22) throw new Error(`pulumi service needs Node >= 22, running on ${process.versions.node}`);
    const info: PulumiInfo = {
      binDir,
      pulumi: path.join(binDir, 'pulumi'),
      backendUrl: `file://${state}`,
      home,
      passphrase: 'flux-bootstrap-test-passphrase',
      nodeBinDir: path.dirname(process.execPath),
      cliVersion: PULUMI_CLI_VERSION,
      languageHostVersion: languageHostVersion(),
      currentHosts: currentHosts(),
      sdkVersion,
    };
    const reported = execFileSync(info.pulumi, ['version'], { env: pulumiEnv(info), encoding: 'utf8' }).trim();
    if (reported !== PULUMI_CLI_VERSION) throw new Error(`pulumi version says ${reported}, expected ${PULUMI_CLI_VERSION}`);
    progress(
      `pulumi ${reported} (language host ${info.languageHostVersion}, @pulumi/pulumi ${sdkVersion}) ready in ${Math.round((Date.now() - started) / 1000)} s`,
    );
    return Promise.resolve(info);
  },
  async stop(): Promise<void> {
    // Nothing long-running: every pulumi process is started (and ended) by the test itself.
  },
};

// `node dist/tests/harness/pulumi.js build` builds into the cache without starting anything.
if (require.main === module && process.argv[2] === 'build') {
  const t = Date.now();
  const r = buildPulumi();
  progress(`pulumi build done in ${Math.round((Date.now() - t) / 1000)} s: ${r.pulumi}, ${r.languageHost}`);
}
