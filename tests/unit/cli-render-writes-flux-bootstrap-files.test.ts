// The built CLI, spawned as users run it: it writes flux bootstrap's files, or on bad input
// exits non-zero naming the flag, the value and what is allowed, and writes nothing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distributionDir, goldenOrRendered } from './support/reference';

const CLI = path.resolve(__dirname, '../../provider/cli/main.js');
const GOLDEN_FLAGS = [
  '--version=v2.9.3',
  '--components-extra=image-reflector-controller,image-automation-controller',
  '--branch=master',
  '--url=ssh://git@github.com/equinor/radix-flux',
  '--path=clusters/development',
  `--distribution=${distributionDir('v2.9.3')}`,
];

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let out: string;
beforeEach(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-cli-test-'));
});
afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

test("render writes the three files flux bootstrap v2.9.3 committed, byte for byte (the reference, else the engine's rendering)", async () => {
  const r = run(['render', ...GOLDEN_FLAGS, '--out', out]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const dir = path.join(out, 'clusters/development/flux-system');
  for (const f of ['gotk-components.yaml', 'gotk-sync.yaml', 'kustomization.yaml'] as const) {
    expect(fs.readFileSync(path.join(dir, f)).equals(Buffer.from(await goldenOrRendered(f)))).toBe(true);
  }
  expect(r.stdout).toBe(
    ['gotk-components.yaml', 'gotk-sync.yaml', 'kustomization.yaml'].map((f) => `wrote ${path.join(dir, f)}\n`).join(''),
  );
});

test('boolean flags take the flux forms --flag and --flag=false', () => {
  const r = run(['render', ...GOLDEN_FLAGS, '--network-policy=false', '--watch-all-namespaces', '--out', out]);
  expect(r.code).toBe(0);
  const text = fs.readFileSync(path.join(out, 'clusters/development/flux-system/gotk-components.yaml'), 'utf8');
  expect(text).not.toContain('kind: NetworkPolicy');
  expect(text).toContain('--watch-all-namespaces=true');
});

test('bad input exits 2, names each flag, value and rule, and writes nothing', () => {
  const r = run(['render', ...GOLDEN_FLAGS, '--namespace=Flux_System', '--log-level=trace', '--interval=5 minutes', '--out', out]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(
    `flux-bootstrap: invalid --namespace "Flux_System": must be a lowercase RFC 1123 label (a-z, 0-9, '-'). Fix: use e.g. "flux-system".\n` +
      'flux-bootstrap: invalid --log-level "trace": must be one of debug, info, error. Fix: use e.g. "info".\n' +
      'flux-bootstrap: invalid --interval "5 minutes": must be a positive Go duration made of h, m, s and ms parts. Fix: use e.g. "1m0s" or "90s".\n',
  );
  expect(fs.readdirSync(out)).toEqual([]);
});

test('a non-boolean value for a boolean flag is refused with the flux spelling', () => {
  const r = run(['render', ...GOLDEN_FLAGS, '--network-policy=maybe', '--out', out]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    'flux-bootstrap: invalid --network-policy "maybe": must be a boolean. Fix: use --network-policy=true or --network-policy=false.\n',
  );
});

test('an unknown flag is refused before anything else', () => {
  const r = run(['render', ...GOLDEN_FLAGS, '--namespaces=x', '--out', out]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    'flux-bootstrap: invalid flag "--namespaces": is not a flag of flux-bootstrap render. Fix: see flux-bootstrap render --help.\n',
  );
});

test('--out is required', () => {
  const r = run(['render', ...GOLDEN_FLAGS]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('flux-bootstrap: missing --out: a value is required. Fix: pass --out <dir>, e.g. --out ./fleet.\n');
});

test('a distribution that cannot be read exits 1 with the reason and writes nothing', () => {
  const r = run(['render', ...GOLDEN_FLAGS, '--distribution=/nonexistent', '--out', out]);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    'flux-bootstrap: distribution "/nonexistent" is neither an existing directory, a .tar.gz file nor an http(s) URL\n',
  );
  expect(fs.readdirSync(out)).toEqual([]);
});

test('--help lists every flux bootstrap flag with its default', () => {
  const r = run(['render', '--help']);
  expect(r.code).toBe(0);
  for (const flag of [
    '--version',
    '--components',
    '--components-extra',
    '--namespace',
    '--cluster-domain',
    '--network-policy',
    '--log-level',
    '--watch-all-namespaces',
    '--registry',
    '--image-pull-secret',
    '--toleration-keys',
    '--url',
    '--branch',
    '--path',
    '--interval',
    '--secret-name',
    '--recurse-submodules',
    '--distribution',
    '--out',
  ]) {
    expect(r.stdout).toContain(`\n  ${flag}`);
  }
  expect(r.stdout).toContain('(default ghcr.io/fluxcd)');
  expect(r.stdout).toContain('(default 1m0s)');
});

test('an unknown command exits 2', () => {
  const r = run(['bootstrap']);
  expect(r.code).toBe(2);
  expect(r.stderr.split('\n')[0]).toBe('flux-bootstrap: unknown command "bootstrap". Fix: use "render".');
});
