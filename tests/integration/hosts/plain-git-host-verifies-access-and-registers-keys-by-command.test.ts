// harness: git-ssh
// PlainGitHost (flux bootstrap git): no API, so the repository must exist; access is verified
// with one ls-remote, and deploy keys are registered by a user-supplied command (here a
// stand-in that grants the key in the harness sshd) or left to the user.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitError } from '../../../provider/git';
import { HostError, PlainGitHost } from '../../../provider/hosts';
import { createBareRepo, grantKey, revokeKey, urlFor, type GitSshInfo } from '../../harness/git-ssh';
import { harnessInfo } from '../../harness/state';
import { SshGitClient } from './ssh-client';

const info = harnessInfo<GitSshInfo>('git-ssh');
const script = join(__dirname, 'grant-key-command.js');
let tmp: string;
let ssh: SshGitClient;
let repo: string;
let url: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'plain-git-'));
  ssh = new SshGitClient(tmp, info.knownHosts);
  repo = `plain-${randomBytes(3).toString('hex')}/fleet`;
  createBareRepo(info, repo);
  url = urlFor(info, repo);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('access is verified with the given credentials, and the sync URL is the URL given', async () => {
  const admin = ssh.key('admin');
  grantKey(info, admin.publicKey, repo, 'rw');
  const host = new PlainGitHost({ url, auth: { kind: 'ssh', privateKey: admin.privateKey, knownHosts: info.knownHosts } });
  const r = await host.ensureRepository({ owner: '', name: '', create: false });
  expect(r).toMatchObject({ created: false, empty: true, syncUrl: url, warnings: [] });
  expect((await ssh.push(url, admin, 'a.yaml')).code).toBe(0);
  expect((await host.getRepository({ owner: '', name: '' }))?.empty).toBe(false);
  revokeKey(info, admin.publicKey);
});

test("a key the server does not know fails the access check with the git layer's clear error", async () => {
  const stranger = ssh.key('stranger');
  const host = new PlainGitHost({ url, auth: { kind: 'ssh', privateKey: stranger.privateKey, knownHosts: info.knownHosts } });
  const err = await host.ensureRepository({ owner: '', name: '', create: false }).catch((e: Error) => e);
  expect(err).toBeInstanceOf(GitError);
  expect((err as GitError).kind).toBe('auth');
});

test('addKeyCommand registers the key (read-only unless asked) and removeKeyCommand revokes it', async () => {
  const host = new PlainGitHost({
    url,
    addKeyCommand: [process.execPath, script, 'add', info.stateDir, repo],
    removeKeyCommand: [process.execPath, script, 'remove', info.stateDir, repo],
  });
  const k = ssh.key('flux');
  const r = await host.upsertDeployKey({
    owner: '',
    name: '',
    title: 'flux-system-main-flux-system-./clusters/dev',
    publicKey: k.publicKey,
  });
  expect(r).toMatchObject({ changed: true });
  expect(r.id).toBe(k.publicKey.split(' ').slice(0, 2).join(' '));
  expect((await ssh.clone(url, k)).code).toBe(0);
  expect((await ssh.push(url, k, 'b.yaml', 'other')).code).not.toBe(0);
  await host.deleteDeployKey({ owner: '', name: '', id: r.id });
  expect((await ssh.clone(url, k)).code).not.toBe(0);
});

test('without addKeyCommand nothing is registered and the result says the user must do it', async () => {
  const lines: string[] = [];
  const host = new PlainGitHost({ url, log: (l) => lines.push(l) });
  const k = ssh.key('manual');
  const r = await host.upsertDeployKey({ owner: '', name: '', title: 't', publicKey: k.publicKey });
  expect(r).toEqual({ id: 't', changed: false, manual: true });
  expect(lines.join('\n')).toContain(k.publicKey.split(' ')[1]);
  expect((await host.ensureRepository({ owner: '', name: '', create: false })).warnings).toEqual([expect.stringMatching(/not verified/)]);
});

test('a failing key command is a HostError with its stderr, scrubbed of the values given in env', async () => {
  const secret = 'gitolite-admin-s3cr3t-value';
  const host = new PlainGitHost({ url, addKeyCommand: [process.execPath, script, 'add', info.stateDir, repo], env: { FAIL_WITH: secret } });
  const err = await host.upsertDeployKey({ owner: '', name: '', title: 't', publicKey: ssh.key('x').publicKey }).catch((e: Error) => e);
  expect(err).toBeInstanceOf(HostError);
  expect((err as Error).message).toMatch(/exited with 3: registration refused: \[secret\]\. Fix: /);
  expect((err as Error).message).not.toContain(secret);
});
