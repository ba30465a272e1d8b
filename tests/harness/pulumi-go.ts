// Service `pulumi-go`: Go programs on the harness CLI. The v3.259 Go language host (built from
// ../shared/anchors, pulumi-hosts.ts) linked next to `pulumi`, the machine's Go toolchain it
// compiles programs with, and the Go settings of those builds (go-program-env.ts). A bare clone
// has no Go host: the service then starts with `host: null`, and Go tests skip
// (NO_CURRENT_HOSTS).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { progress } from './cache';
import { go } from './go-build';
import { goProgramEnv, machineGoEnv } from './go-program-env';
import { PULUMI_CLI_VERSION, type PulumiInfo } from './pulumi';
import { buildCurrentHost, CURRENT_HOSTS_VERSION, currentHosts } from './pulumi-hosts';
import type { Service } from './service';

/** The oldest Go that compiles sdk/v3 v3.259.0 (its go.mod says go 1.25.11). */
const MIN_GO = [1, 25];

export interface PulumiGoInfo {
  /** the pulumi service's bin dir, now also holding pulumi-language-go */
  binDir: string;
  /** the Go host's version, null without the current hosts (a bare clone) */
  host: string | null;
  /** `go env GOVERSION` of the machine, e.g. go1.26.8 */
  goVersion: string;
  /** the Go settings a program build runs with (GOFLAGS, GOPROXY, GOMODCACHE, GOCACHE, GOTOOLCHAIN) */
  goEnv: Record<string, string>;
}

function checkToolchain(): string {
  const v = machineGoEnv().GOVERSION; // go1.26.8
  const [major, minor] = v.replace(/^go/, '').split('.').map(Number);
  if (major < MIN_GO[0] || (major === MIN_GO[0] && minor < MIN_GO[1])) {
    throw new Error(`pulumi-go needs Go ${MIN_GO.join('.')} or later on PATH (Pulumi's Go SDK), found ${v}`);
  }
  return v;
}

/** Compiles Pulumi's Go SDK (sdk/v3 of the CLI's release, which the Go SDK module requires)
 *  once with a program's flags, so the first Go program of a test run links instead of
 *  compiling sdk/v3 (minutes with a cold build cache). */
export function warmGoBuildCache(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-bootstrap-go-warm-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'go.mod'),
      `module fluxbootstrap.local/warm\n\ngo 1.25.11\n\nrequire github.com/pulumi/pulumi/sdk/v3 ${PULUMI_CLI_VERSION}\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'main.go'),
      'package main\n\nimport (\n\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"\n\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"\n)\n\n' +
        'func main() {\n\tpulumi.Run(func(ctx *pulumi.Context) error { _ = config.New(ctx, ""); return nil })\n}\n',
    );
    const t = Date.now();
    // the same command line as the Go host's (-trimpath; ldflags do not change compiled packages)
    go(['build', '-trimpath', '-o', path.join(dir, 'warm'), '.'], dir, goProgramEnv());
    progress(`Go build cache warm for sdk/v3 ${PULUMI_CLI_VERSION} in ${Math.round((Date.now() - t) / 1000)} s`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const pulumiGoService: Service<PulumiGoInfo> = {
  name: 'pulumi-go',
  needs: ['pulumi'],
  build() {
    checkToolchain();
    if (!currentHosts()) return;
    buildCurrentHost('go');
    warmGoBuildCache();
  },
  start(_workDir: string, deps: Record<string, unknown>): Promise<PulumiGoInfo> {
    const pulumi = deps.pulumi as PulumiInfo;
    const goVersion = checkToolchain();
    const env = goProgramEnv({});
    const goEnv = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('GO')));
    if (!currentHosts()) {
      progress(`pulumi-go: no Go language host in a bare clone (${goVersion})`);
      return Promise.resolve({ binDir: pulumi.binDir, host: null, goVersion, goEnv });
    }
    const bin = path.join(buildCurrentHost('go'), 'pulumi-language-go');
    const link = path.join(pulumi.binDir, 'pulumi-language-go');
    fs.rmSync(link, { force: true });
    fs.symlinkSync(bin, link);
    progress(`pulumi-go: language host ${CURRENT_HOSTS_VERSION}, ${goVersion}`);
    return Promise.resolve({ binDir: pulumi.binDir, host: CURRENT_HOSTS_VERSION, goVersion, goEnv });
  },
  async stop(): Promise<void> {
    // nothing runs: the host is started by the pulumi CLI of each test
  },
};
