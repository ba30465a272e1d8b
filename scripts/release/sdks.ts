// The published SDKs of a release, generated from the release's schema.json by Pulumi's own
// generators (tests/harness/sdk-gen, on the pkg/v3 release the harness builds the CLI from):
// - Python: a wheel and an sdist, built by PyPA's `build` in a virtualenv made once;
// - Go: a module directory (go.mod, go.sum, go/fluxbootstrap), tidied against the module proxy.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, withCacheLock } from '../../tests/harness/cache';
import { generateSdk } from '../../tests/harness/pulumi-sdk-gen';
import { GO_SDK_MODULE, PYTHON_PACKAGE } from '../../provider/plugin/package-home';

/** PyPA build and the setuptools it builds with, pinned: the same release builds the same files. */
const PYTHON_BUILD = ['build==1.4.0', 'setuptools==80.9.0'];
/** The Go SDK's Pulumi SDK: the release the harness builds the CLI from. */
const PULUMI_GO_SDK = 'github.com/pulumi/pulumi/sdk/v3@v3.259.0';

function buildVenv(): string {
  const dir = cacheDir('python-build', PYTHON_BUILD.join('-').replace(/[=]+/g, '-'));
  const ready = () => fs.existsSync(path.join(dir, '.complete'));
  if (ready()) return dir;
  return withCacheLock(dir, () => {
    if (ready()) return dir;
    fs.rmSync(dir, { recursive: true, force: true });
    execFileSync('python3', ['-m', 'venv', dir], { stdio: 'inherit' });
    execFileSync(path.join(dir, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', ...PYTHON_BUILD], {
      stdio: 'inherit',
    });
    fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString() + '\n');
    return dir;
  });
}

/** The wheel and the sdist in `outDir`; their file names. */
export function pythonSdk(schema: string, work: string, outDir: string): string[] {
  const sdk = generateSdk('python', path.join(work, 'python'), schema);
  const venv = buildVenv();
  const before = new Set(fs.readdirSync(outDir));
  // no isolation: the pinned setuptools of the venv builds, with no download per release
  execFileSync(path.join(venv, 'bin', 'python'), ['-m', 'build', '--no-isolation', '--sdist', '--wheel', '--outdir', outDir, sdk], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SOURCE_DATE_EPOCH: sourceDateEpoch() },
  });
  const made = fs.readdirSync(outDir).filter((f) => !before.has(f));
  const expected = [`${PYTHON_PACKAGE}-`];
  if (made.length !== 2 || !made.every((f) => expected.some((p) => f.startsWith(p))))
    throw new Error(`python -m build made ${made.join(', ') || 'nothing'} in ${outDir}`);
  return made.sort();
}

/** The Go module directory `<outDir>/sdk`: go.mod, go.sum and go/fluxbootstrap. */
export function goSdk(schema: string, outDir: string): string {
  const moduleDir = path.join(outDir, 'sdk');
  generateSdk('go', path.join(moduleDir, 'go'), schema);
  fs.writeFileSync(path.join(moduleDir, 'go.mod'), `module ${GO_SDK_MODULE}\n\ngo 1.24\n`);
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
  // quiet unless it fails: `go get` lists every module it adds (about 80 lines)
  const go = (args: string[]) => {
    try {
      execFileSync('go', args, { cwd: moduleDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`go ${args.join(' ')} failed in ${moduleDir}:\n${String((e as { stderr?: Buffer }).stderr ?? e)}`);
    }
  };
  go(['get', PULUMI_GO_SDK]);
  go(['mod', 'tidy']);
  return moduleDir;
}

/** Timestamps in the Python archives: the last commit's, so a rebuild of a commit is the same. */
function sourceDateEpoch(): string {
  try {
    return execFileSync('git', ['log', '-1', '--format=%ct'], { encoding: 'utf8' }).trim();
  } catch {
    return '315532800'; // 1980-01-01, the earliest a zip can hold
  }
}
