// Service `pulumi-languages`: the Python and YAML language hosts, so tests run Python and YAML
// programs against the flux-bootstrap provider plugin. Cached under ~/.cache/flux-bootstrap,
// built after the CLI so they reuse its compiled packages:
// - pulumi-language-python v3.259.0 from its sources in ../shared/anchors (pulumi-hosts.ts;
//   its module is not served by the proxy), with the scripts it looks for beside itself; in a
//   bare clone the v3.68.0 host from sdk/v3 instead (no GeneratePackage, and it ignores
//   `runtime.options.virtualenv`: the venv must come first on PATH, tests/e2e/plugin/program.ts);
// - a virtualenv with the `pulumi` wheel from PyPI;
// - pulumi-language-yaml from github.com/pulumi/pulumi-yaml v1.25.0, on its own pkg/v3 (v3.206).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, progress, withCacheLock } from './cache';
import { goBuild, type GoBuildSpec } from './go-build';
import { pulumiCliSpec, type PulumiInfo } from './pulumi';
import { buildCurrentHost, currentHosts, FALLBACK_HOSTS_VERSION, languageHostVersion } from './pulumi-hosts';
import type { Service } from './service';

export const PULUMI_YAML_VERSION = 'v1.25.0';
/** The `pulumi` Python package (PyPI) the venv holds: the npm @pulumi/pulumi's release. */
export const PULUMI_PYTHON_VERSION = '3.270.0';

/** The fallback Python host (a bare clone): sdk/v3 v3.68.0's package. */
export function pythonHostSpec(): GoBuildSpec {
  const v = FALLBACK_HOSTS_VERSION;
  return {
    name: 'pulumi-language-python',
    version: v,
    module: 'github.com/pulumi/pulumi/sdk/v3',
    moduleVersion: v,
    programs: [{ pkg: 'github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python', out: 'pulumi-language-python' }],
    ldflags: `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${v}`,
    afterBuild: ({ moduleDir, outDir }) => {
      const exec = path.join(outDir, 'bin', 'pulumi-language-python-exec');
      fs.copyFileSync(path.join(moduleDir, 'python', 'cmd', 'pulumi-language-python-exec'), exec);
      fs.chmodSync(exec, 0o755);
    },
  };
}

export function yamlHostSpec(): GoBuildSpec {
  return {
    name: 'pulumi-language-yaml',
    version: PULUMI_YAML_VERSION,
    module: 'github.com/pulumi/pulumi-yaml',
    moduleVersion: PULUMI_YAML_VERSION,
    programs: [{ pkg: 'github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml', out: 'pulumi-language-yaml' }],
    // on the pkg/v3 release it asks for (v3.206): v1.25.0 does not compile against the CLI's
    // v3.259 (plugin.NewContextWithRoot changed), and v1.11.1 is the only other release served;
    // the third-party modules they share are compiled once
    ldflags: `-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=${PULUMI_YAML_VERSION}`,
  };
}

/** A virtualenv with the pulumi wheel, made once per version. */
export function pythonVenv(): string {
  const dir = cacheDir('python-venv-pulumi', PULUMI_PYTHON_VERSION);
  const ready = () => fs.existsSync(path.join(dir, '.complete'));
  if (ready()) return dir;
  return withCacheLock(dir, () => {
    if (ready()) return dir;
    const t = Date.now();
    fs.rmSync(dir, { recursive: true, force: true });
    execFileSync('python3', ['-m', 'venv', dir], { stdio: 'inherit' });
    execFileSync(path.join(dir, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `pulumi==${PULUMI_PYTHON_VERSION}`], {
      stdio: 'inherit',
    });
    fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString() + '\n');
    progress(`python venv with pulumi ${PULUMI_PYTHON_VERSION} ready in ${Math.round((Date.now() - t) / 1000)} s`);
    return dir;
  });
}

/** Builds (or reuses) both hosts and the venv; the CLI first, whose packages they share.
 *  `python` is the host's directory: the host and the scripts it runs beside it. */
export function buildLanguageHosts(): { python: string; yaml: string; venv: string } {
  goBuild(pulumiCliSpec());
  const python = currentHosts() ? buildCurrentHost('python') : path.join(goBuild(pythonHostSpec()).dir, 'bin');
  const yaml = goBuild(yamlHostSpec());
  return { python, yaml: yaml.bin['pulumi-language-yaml'], venv: pythonVenv() };
}

export interface PulumiLanguagesInfo {
  /** the pulumi service's bin dir, now also holding the Python and YAML hosts */
  binDir: string;
  /** the virtualenv with the pulumi wheel (a program's `runtime.options.virtualenv`) */
  venv: string;
  /** the Python host's release: v3.259.0, or v3.68.0 in a bare clone */
  languageHostVersion: string;
  /** whether the Python host is the current one (honours `runtime.options.virtualenv`, has
   *  GeneratePackage for `pulumi package add`) */
  currentHosts: boolean;
  yamlHostVersion: string;
}

export const pulumiLanguagesService: Service<PulumiLanguagesInfo> = {
  name: 'pulumi-languages',
  needs: ['pulumi'],
  build() {
    buildLanguageHosts();
  },
  start(_workDir: string, deps: Record<string, unknown>): Promise<PulumiLanguagesInfo> {
    const pulumi = deps.pulumi as PulumiInfo;
    const built = buildLanguageHosts();
    const links = fs.readdirSync(built.python).map((f) => [path.join(built.python, f), f]);
    for (const [bin, at] of [...links, [built.yaml, 'pulumi-language-yaml']]) {
      const link = path.join(pulumi.binDir, at);
      fs.rmSync(link, { force: true });
      fs.symlinkSync(bin, link);
    }
    progress(`pulumi-languages: Python host ${languageHostVersion()}, YAML host ${PULUMI_YAML_VERSION}`);
    return Promise.resolve({
      binDir: pulumi.binDir,
      venv: built.venv,
      languageHostVersion: languageHostVersion(),
      currentHosts: currentHosts(),
      yamlHostVersion: PULUMI_YAML_VERSION,
    });
  },
  async stop(): Promise<void> {
    // nothing runs: the hosts are started by the pulumi CLI of each test
  },
};

// `node dist/tests/harness/pulumi-languages.js build` builds into the cache without starting anything.
if (require.main === module && process.argv[2] === 'build') {
  const t = Date.now();
  const r = buildLanguageHosts();
  progress(`pulumi language hosts done in ${Math.round((Date.now() - t) / 1000)} s: ${r.python}, ${r.yaml}, ${r.venv}`);
}
