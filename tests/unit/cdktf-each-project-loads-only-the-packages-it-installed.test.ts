// `flux-bootstrap/cdktf` in projects that installed only what docs/cdktf.md says: each runs in a
// child Node whose module resolution fails for every package the project did not install (as
// npm leaves them out), synthesizes, and reports the CDK and provider packages it loaded. A
// plain-Git or GitLab user needs no GitHub provider package, a GitHub user no GitLab one, and
// neither needs any prebuilt provider package nor the other CDK library. The package's type
// declarations import neither library either.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distributionDir } from './support/reference';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CONSTRUCTS = path.join(ROOT, 'dist', 'provider', 'cdktf');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-loads-'));

// makes `require` fail for the packages in MISSING (comma-separated names; `@cdktf/*` a scope),
// with the error Node gives for a package that is not installed
const PRELOAD = `'use strict';
const Module = require('node:module');
const missing = (process.env.MISSING || '').split(',').filter(Boolean);
const absent = (r) => missing.some((m) => (m.endsWith('/*') ? r.startsWith(m.slice(0, -1)) : r === m || r.startsWith(m + '/')));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (absent(request)) throw Object.assign(new Error("Cannot find module '" + request + "'"), { code: 'MODULE_NOT_FOUND' });
  return resolve.call(this, request, ...rest);
};
`;

// the user's program: App and TerraformStack from LIB, the construct of CASE, then synth
const PROGRAM = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const lib = require(require.resolve(process.env.LIB, { paths: [${JSON.stringify(ROOT)}] }));
const { FluxBootstrap, FluxCluster } = require(${JSON.stringify(CONSTRUCTS)});
if (!lib.App) {
  // neither library installed: a tree of plain constructs
  try {
    new FluxCluster(new lib.Construct(undefined, 'root'), 'flux', {
      version: 'v2.9.3', url: 'ssh://git@git.example.com/fleet.git', cluster: {},
      credentials: { privateKey: 'KEY', publicKey: 'PUB', knownHosts: 'git.example.com ssh-ed25519 AAAA' },
    });
  } catch (e) {
    console.log(JSON.stringify({ error: e.message }));
  }
  process.exit(0);
}
const app = new lib.App({ outdir: process.env.OUT });
const stack = new lib.TerraformStack(app, 'fleet');
const common = { version: 'v2.9.3', distribution: ${JSON.stringify(distributionDir('v2.9.3'))}, cluster: { configPath: '/kube' } };
const repository = (host) => ({ host, owner: 'acme', name: 'fleet', knownHosts: 'gitlab.com ssh-ed25519 AAAA' });
if (process.env.CASE === 'git')
  new FluxCluster(stack, 'flux', { ...common, url: 'ssh://git@git.example.com/fleet.git',
    credentials: { privateKey: 'KEY', publicKey: 'PUB', knownHosts: 'git.example.com ssh-ed25519 AAAA' } });
else new FluxBootstrap(stack, 'flux', { ...common, repository: repository(process.env.CASE) });
app.synth();
const tf = JSON.parse(fs.readFileSync(path.join(process.env.OUT, 'stacks', 'fleet', 'cdk.tf.json'), 'utf8'));
const loaded = new Set();
for (const file of Object.keys(require.cache)) {
  const m = /node_modules\\/((@cdktf|@cdktn)\\/[^/]+|cdktf|cdktn)\\//.exec(file);
  if (m) loaded.add(m[1]);
}
console.log(JSON.stringify({ resources: Object.keys(tf.resource).sort(), loaded: [...loaded].sort() }));
`;

const preload = path.join(work, 'preload.js');
const program = path.join(work, 'main.js');
fs.writeFileSync(preload, PRELOAD);
fs.writeFileSync(program, PROGRAM);

function run(lib: string, kase: string, missing: string[]): { resources: string[]; loaded: string[]; error?: string } {
  const out = path.join(work, `${lib}-${kase}`);
  const r = spawnSync(process.execPath, ['-r', preload, program], {
    env: { ...process.env, LIB: lib, CASE: kase, OUT: out, MISSING: missing.join(',') },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${lib} ${kase} exited ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { resources: string[]; loaded: string[]; error?: string };
}

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const CLUSTER_ONLY = ['kubectl_manifest', 'terraform_data'];
// a cdktf project installs cdktf and constructs; a cdktn project cdktn and constructs
const CDKTF_PROJECT = ['cdktn', '@cdktf/*', '@cdktn/*'];
const CDKTN_PROJECT = ['cdktf', '@cdktf/*', '@cdktn/*'];

test('cdktf, plain Git (FluxCluster): no provider package and no cdktn is loaded', () => {
  expect(run('cdktf', 'git', CDKTF_PROJECT)).toEqual({ resources: CLUSTER_ONLY, loaded: ['cdktf'] });
});

test('cdktf, GitLab and GitHub (FluxBootstrap): neither loads a provider package', () => {
  expect(run('cdktf', 'gitlab', CDKTF_PROJECT)).toEqual({
    resources: ['gitlab_deploy_key', 'gitlab_project', 'gitlab_repository_file', ...CLUSTER_ONLY, 'tls_private_key'],
    loaded: ['cdktf'],
  });
  expect(run('cdktf', 'github', CDKTF_PROJECT).loaded).toEqual(['cdktf']);
});

test('cdktn, plain Git and GitHub: only cdktn is loaded, cdktf is not even installed', () => {
  expect(run('cdktn', 'git', CDKTN_PROJECT)).toEqual({ resources: CLUSTER_ONLY, loaded: ['cdktn'] });
  expect(run('cdktn', 'github', CDKTN_PROJECT)).toEqual({
    resources: ['github_repository', 'github_repository_deploy_key', 'github_repository_file', ...CLUSTER_ONLY, 'tls_private_key'],
    loaded: ['cdktn'],
  });
});

test('with neither library installed, the construct says which to install', () => {
  const { error } = run('constructs', 'git', ['cdktf', 'cdktn', '@cdktf/*']);
  expect(error).toMatch(/needs the cdktf or the cdktn library, and neither is installed\. Fix: npm install cdktn/);
});

test("the package's type declarations reach neither CDK library nor a provider package", () => {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)) {
      if (!m[1].startsWith('.')) bare.add(m[1]);
      else {
        const target = path.resolve(path.dirname(file), m[1]);
        const found = [`${target}.d.ts`, path.join(target, 'index.d.ts')].find((f) => fs.existsSync(f));
        if (found) walk(found);
      }
    }
  };
  walk(path.join(CONSTRUCTS, 'index.d.ts'));
  expect([...bare].filter((b) => /^(cdktf|cdktn|@cdktf\/|@cdktn\/)/.test(b))).toEqual([]);
  expect(bare.has('constructs')).toBe(true);
});
