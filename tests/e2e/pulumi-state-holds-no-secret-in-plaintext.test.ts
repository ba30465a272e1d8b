// harness: kube, git-ssh, git-http, github-api, pulumi
// No secret in plaintext, anywhere (issue 14, scenario 9). One Pulumi program sets every secret
// input of every resource, each as a plain string (as a program that forgot pulumi.secret()
// would): the GitHub token (Repository, DeployKey), a given deploy key with its passphrase and
// a generated one, an ssh push key with its passphrase and an https password (SyncManifests),
// the kubeconfig, the pull credentials and the https password Flux syncs with
// (ControllerInstall, through Bootstrap). After `up`, `pulumi stack export` (secrets not
// shown), the state file and the CLI output hold none of them.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Stack } from '@pulumi/pulumi/automation';
import { createBareRepo as createHttpRepo, addCredential, httpUrlFor, type GitHttpInfo } from '../harness/git-http';
import { createBareRepo, grantKey, urlFor, type GitSshInfo } from '../harness/git-ssh';
import type { FakeGitHubInfo } from '../harness/fake-github';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { distributionDir } from '../harness/flux-reference';
import { pulumiEnv, type PulumiInfo } from '../harness/pulumi';
import { writeJsProgram } from '../harness/pulumi-js-program';
import { programStack } from '../harness/pulumi-program';
import { harnessInfo } from '../harness/state';

// Every secret is read from inputs.json as a plain string: nothing here calls pulumi.secret().
const PROGRAM = `
const fs = require('fs');
const path = require('path');
const flux = require('flux-bootstrap/pulumi');
const v = JSON.parse(fs.readFileSync(path.join(__dirname, 'inputs.json'), 'utf8'));
new flux.Bootstrap('https', {
  repository: { host: 'git', url: v.httpsUrl, push: { username: v.httpUser, password: v.httpPassword, caPem: v.caPem } },
  path: 'clusters/secrets', namespace: v.namespace, version: v.version, distribution: v.distribution,
  cluster: { kubeconfig: v.kubeconfig },
  imagePullSecret: 'regcred', registryCredentials: v.registryCredentials,
  wait: { reconciliation: false, deployments: false },
});
new flux.SyncManifests('ssh-push', {
  url: v.sshUrl, path: 'clusters/ssh', version: v.version, distribution: v.distribution,
  auth: { privateKey: v.pushKey, passphrase: v.pushPassphrase, knownHosts: v.sshKnownHosts },
});
const gh = { host: 'github', owner: v.ghOwner, name: v.ghRepo, token: v.ghToken, apiUrl: v.ghApiUrl, sshHost: v.ghSshHost };
const repo = new flux.Repository('gh', gh);
new flux.DeployKey('gh-given', { ...gh, title: 'given', privateKey: v.deployKey, passphrase: v.deployPassphrase, knownHosts: v.sshKnownHosts }, { dependsOn: repo });
const generated = new flux.DeployKey('gh-generated', { ...gh, title: 'generated', knownHosts: v.sshKnownHosts }, { dependsOn: repo });
exports.generatedKey = generated.privateKey;
`;

let tmp: string;
let program: string;
let stack: Stack;
let pulumiInfo: PulumiInfo;
let output = '';
const needles: Record<string, string> = {};

/** An ed25519 key pair whose private key is encrypted with `passphrase`. */
function encryptedKey(dir: string, name: string, passphrase: string): { privateKey: string; publicKey: string } {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', file]);
  return { privateKey: fs.readFileSync(file, 'utf8'), publicKey: fs.readFileSync(`${file}.pub`, 'utf8').trim() };
}

/** Pieces of a secret long and random enough that finding one means the secret leaked. */
function piecesOf(name: string, secret: string): void {
  const body = secret.includes('-----BEGIN')
    ? secret
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'))
        .join('')
    : secret;
  if (body.length <= 48) needles[name] = body;
  else {
    needles[`${name} (start)`] = body.slice(0, 40);
    needles[`${name} (end)`] = body.slice(-40);
  }
}

function leaksIn(text: string): string[] {
  return Object.entries(needles)
    .filter(([, n]) => text.includes(n))
    .map(([name]) => name);
}

beforeAll(async () => {
  const kube = harnessInfo<KubeInfo>('kube');
  const gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  const gitHttp = harnessInfo<GitHttpInfo>('git-http');
  const gh = harnessInfo<FakeGitHubInfo>('github-api');
  pulumiInfo = harnessInfo<PulumiInfo>('pulumi');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-secrets-'));
  const id = randomBytes(4).toString('hex');

  const httpRepo = `secrets/https-${id}`;
  createHttpRepo(gitHttp, httpRepo);
  const httpUser = `flux-${id}`;
  const httpPassword = randomBytes(24).toString('base64url');
  addCredential(gitHttp, { username: httpUser, password: httpPassword, access: 'rw', repos: [httpRepo] });
  const sshRepo = `secrets/ssh-${id}`;
  createBareRepo(gitSsh, sshRepo);
  const pushPassphrase = randomBytes(18).toString('base64url');
  const push = encryptedKey(tmp, 'push', pushPassphrase);
  grantKey(gitSsh, push.publicKey, sshRepo, 'rw');
  const deployPassphrase = randomBytes(18).toString('base64url');
  const deploy = encryptedKey(tmp, 'deploy', deployPassphrase);
  const registryCredentials = `robot:${randomBytes(24).toString('base64url')}`;
  const kubeconfig = fs.readFileSync(kube.kubeconfig, 'utf8');

  piecesOf('https password', httpPassword);
  piecesOf('push key', push.privateKey);
  piecesOf('push key passphrase', pushPassphrase);
  piecesOf('deploy key', deploy.privateKey);
  piecesOf('deploy key passphrase', deployPassphrase);
  piecesOf('registry credentials', registryCredentials.split(':')[1]);
  piecesOf('kubeconfig token', kube.token);
  piecesOf('GitHub token', gh.token);

  program = writeJsProgram(path.join(tmp, 'program'), 'secrets-scan', PROGRAM, {
    httpsUrl: httpUrlFor(gitHttp, httpRepo, { tls: true }),
    httpUser,
    httpPassword,
    caPem: gitHttp.caPem,
    namespace: uniqueName('flux-secrets'),
    version: 'v2.9.3',
    distribution: distributionDir('v2.9.3'),
    kubeconfig,
    registryCredentials,
    sshUrl: urlFor(gitSsh, sshRepo),
    pushKey: push.privateKey,
    pushPassphrase,
    sshKnownHosts: gitSsh.knownHosts,
    ghOwner: gh.login,
    ghRepo: `secrets-${id}`,
    ghToken: gh.token,
    ghApiUrl: gh.apiUrl,
    ghSshHost: gh.sshHost,
    deployKey: deploy.privateKey,
    deployPassphrase,
  });
  ({ stack } = await programStack(pulumiInfo, program, `secrets-${id}`));
}, 300_000);

afterAll(async () => {
  await stack
    ?.destroy({
      onOutput: (s) => {
        output += s;
      },
    })
    .catch(() => undefined);
  await stack?.workspace.removeStack(stack.name).catch(() => undefined);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}, 300_000);

test('every secret input of every resource, given as a plain string, is encrypted in the state and absent from its export and the CLI output', async () => {
  const r = await stack.up({
    onOutput: (s) => {
      output += s;
    },
  });
  expect(r.summary.result).toBe('succeeded');
  piecesOf('generated deploy key', String(r.outputs.generatedKey.value));
  expect(r.outputs.generatedKey.secret).toBe(true);

  const exported = execFileSync(pulumiInfo.pulumi, ['stack', 'export', '--show-secrets=false', '--stack', stack.name], {
    cwd: program,
    env: pulumiEnv(pulumiInfo),
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  expect(exported).toContain('"ciphertext"');
  expect(exported).toContain('flux-bootstrap:SyncManifests'); // the scan covers every resource
  expect(leaksIn(exported)).toEqual([]);

  const stateFile = path.join(new URL(pulumiInfo.backendUrl).pathname, '.pulumi', 'stacks', 'secrets-scan', `${stack.name}.json`);
  expect(leaksIn(fs.readFileSync(stateFile, 'utf8'))).toEqual([]);
  expect(leaksIn(output)).toEqual([]);
}, 1_200_000);

// Pulumi's engine prints a failing property's value beside the reason ("property auth value
// {...} has a problem"), secrets included: a malformed push key once showed in full this way.
const BAD_KEY_PROGRAM = `
const fs = require('fs');
const path = require('path');
const flux = require('flux-bootstrap/pulumi');
const v = JSON.parse(fs.readFileSync(path.join(__dirname, 'inputs.json'), 'utf8'));
new flux.SyncManifests('bad-push-key', {
  url: v.sshUrl, path: 'clusters/bad', version: 'v2.9.3', distribution: v.distribution,
  auth: { privateKey: v.pushKey, knownHosts: v.knownHosts },
});
`;

test('a malformed push key fails the preview naming auth.privateKey, and the CLI output does not show it', async () => {
  const gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  const badKey = `not-a-pem-key-${randomBytes(24).toString('base64url')}`;
  const dir = writeJsProgram(path.join(tmp, 'bad-key'), 'secrets-bad-key', BAD_KEY_PROGRAM, {
    sshUrl: urlFor(gitSsh, 'secrets/never-written'),
    pushKey: badKey,
    knownHosts: gitSsh.knownHosts,
    distribution: distributionDir('v2.9.3'),
  });
  const { stack: bad } = await programStack(pulumiInfo, dir, `bad-key-${randomBytes(3).toString('hex')}`);
  let text = '';
  try {
    await expect(
      bad.preview({
        onOutput: (s) => {
          text += s;
        },
      }),
    ).rejects.toThrow(/auth\.privateKey \[secret\]: the private key is not in PEM form/);
    expect(text).toContain('auth.privateKey');
    expect(text).not.toContain(badKey.slice(14));
  } finally {
    await bad.workspace.removeStack(bad.name, { force: true }).catch(() => undefined);
  }
}, 600_000);
