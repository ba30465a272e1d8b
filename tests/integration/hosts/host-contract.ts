// What every API Git host must do, checked the same way against fake-github, fake-gitlab and a
// real Gitea: repositories are created or adopted, deploy keys really open (and close) SSH
// access, upserts are idempotent, and failures name the input and never show the token.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../../provider/errors';
import { deployKeyTitle, type GitHost } from '../../../provider/hosts';
import { SshGitClient } from './ssh-client';

export interface ContractEnv {
  /** a host client with the good token; `log` lines are appended to `logs` */
  host: (log: (line: string) => void) => GitHost;
  /** the same host with a token it rejects */
  badTokenHost: (log: (line: string) => void) => GitHost;
  token: string;
  hostLabel: string;
  /** the token's user, and an organization/group it may create in */
  user: string;
  org: string;
  sshHost: string;
  knownHosts: string;
  /** files the server side writes (request logs): must not hold the token either */
  serverLogs: string[];
}

export function hostContract(env: () => ContractEnv): void {
  let e: ContractEnv;
  let host: GitHost;
  let ssh: SshGitClient;
  let tmp: string;
  const logs: string[] = [];
  const errors: string[] = [];
  const unique = () => `fleet-${crypto.randomBytes(3).toString('hex')}`;
  const title = (p: string) => deployKeyTitle({ namespace: 'flux-system', branch: 'main', secretName: 'flux-system', path: p });
  const capture = async <T>(p: Promise<T>): Promise<Error> => {
    try {
      await p;
    } catch (err) {
      errors.push(String(err), JSON.stringify(err), (err as Error).stack ?? '');
      return err as Error;
    }
    throw new Error('expected a failure');
  };

  beforeAll(() => {
    e = env();
    host = e.host((l) => logs.push(l));
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'host-contract-'));
    ssh = new SshGitClient(tmp, e.knownHosts);
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('a created repository comes back with flux URLs, and asking again adopts it', async () => {
    const name = unique();
    const made = await host.ensureRepository({
      owner: e.user,
      name,
      create: true,
      defaultBranch: 'main',
      description: 'flux-bootstrap test',
    });
    expect(made).toMatchObject({ created: true, empty: true, defaultBranch: 'main', warnings: [] });
    expect(made.syncUrl).toBe(`ssh://git@${e.sshHost}/${e.user}/${name}`);
    expect(made.sshUrl).toBe(made.syncUrl);
    expect(made.httpsUrl).toMatch(new RegExp(`^https?://.+/${e.user}/${name}\\.git$`));
    expect(host.cloneUrl({ owner: e.user, name }, 'ssh')).toBe(made.syncUrl);
    const again = await host.ensureRepository({ owner: e.user, name, create: false });
    expect(again).toMatchObject({ created: false, empty: true, syncUrl: made.syncUrl });
  });

  test('a read-write key pushes, a read-only key clones but cannot push, an unregistered key cannot clone, and a deleted key is refused', async () => {
    const name = unique();
    const repo = await host.ensureRepository({ owner: e.user, name, create: true });
    const [writer, reader, stranger] = [ssh.key('writer'), ssh.key('reader'), ssh.key('stranger')];
    await host.upsertDeployKey({ owner: e.user, name, title: title('clusters/rw'), publicKey: writer.publicKey, readOnly: false });
    const ro = await host.upsertDeployKey({ owner: e.user, name, title: title('clusters/ro'), publicKey: reader.publicKey });
    expect(ro.changed).toBe(true);

    const pushed = await ssh.push(repo.syncUrl, writer, 'gotk-sync.yaml');
    expect(pushed).toMatchObject({ code: 0 });
    expect((await host.getRepository({ owner: e.user, name }))?.empty).toBe(false);

    const cloned = await ssh.clone(repo.syncUrl, reader);
    expect(cloned.code).toBe(0);
    expect(cloned.files).toEqual(['gotk-sync.yaml']);
    expect((await ssh.push(repo.syncUrl, reader, 'nope.yaml', 'other')).code).not.toBe(0);
    expect((await ssh.clone(repo.syncUrl, stranger)).code).not.toBe(0);

    await host.deleteDeployKey({ owner: e.user, name, title: title('clusters/ro') });
    expect((await ssh.clone(repo.syncUrl, reader)).code).not.toBe(0);
    expect((await ssh.clone(repo.syncUrl, writer)).code).toBe(0);
  });

  test('upserting the same title and key changes nothing; another key under that title replaces the first', async () => {
    const name = unique();
    const repo = await host.ensureRepository({ owner: e.user, name, create: true });
    const [k1, k2] = [ssh.key('k1'), ssh.key('k2')];
    const t = title('clusters/dev');
    const first = await host.upsertDeployKey({ owner: e.user, name, title: t, publicKey: k1.publicKey });
    // the comment differs (hosts drop it), the key material does not
    const same = await host.upsertDeployKey({
      owner: e.user,
      name,
      title: t,
      publicKey: `${k1.publicKey.split(' ').slice(0, 2).join(' ')} other-comment`,
    });
    expect(same).toEqual({ id: first.id, changed: false });
    const replaced = await host.upsertDeployKey({ owner: e.user, name, title: t, publicKey: k2.publicKey });
    expect(replaced.changed).toBe(true);
    expect(replaced.id).not.toBe(first.id);
    expect((await ssh.clone(repo.syncUrl, k1)).code).not.toBe(0);
    expect((await ssh.clone(repo.syncUrl, k2)).code).toBe(0);
    // deleting what is already gone is fine, by id and by title
    await host.deleteDeployKey({ owner: e.user, name, id: first.id });
    await host.deleteDeployKey({ owner: e.user, name, title: 'never-registered' });
  });

  test('a registered key is found by its id with its title, key and access; once deleted, the same lookup answers null', async () => {
    const name = unique();
    await host.ensureRepository({ owner: e.user, name, create: true });
    const k = ssh.key('lookup');
    const t = title('clusters/lookup');
    const made = await host.upsertDeployKey({ owner: e.user, name, title: t, publicKey: k.publicKey });
    expect(typeof host.getDeployKey).toBe('function');
    const found = await host.getDeployKey!({ owner: e.user, name, id: made.id });
    expect(found).toEqual({ id: made.id, title: t, key: expect.any(String), readOnly: true });
    expect(found!.key.split(' ').slice(0, 2)).toEqual(k.publicKey.split(' ').slice(0, 2));
    await host.deleteDeployKey({ owner: e.user, name, id: made.id });
    expect(await host.getDeployKey!({ owner: e.user, name, id: made.id })).toBeNull();
    // an id the host never gave, and a repository that is gone, are "no key" too
    expect(await host.getDeployKey!({ owner: e.user, name, id: '999999' })).toBeNull();
    expect(await host.getDeployKey!({ owner: e.user, name: unique(), id: made.id })).toBeNull();
  });

  test('a repository in an organization/group is created there', async () => {
    const name = unique();
    const made = await host.ensureRepository({ owner: e.org, name, create: true, visibility: 'private' });
    expect(made.created).toBe(true);
    expect(made.syncUrl).toBe(`ssh://git@${e.sshHost}/${e.org}/${name}`);
    expect(await host.getRepository({ owner: e.org, name })).not.toBeNull();
  });

  test('a missing repository without create names the repository; an unknown owner names the owner', async () => {
    const missing = await capture(host.ensureRepository({ owner: e.user, name: unique(), create: false }));
    expect(missing).toBeInstanceOf(InputError);
    expect((missing as InputError).field).toBe('repository');
    expect(missing.message).toMatch(/Fix: .*createRepository/);
    const owner = await capture(host.ensureRepository({ owner: 'no-such-owner-xyz', name: unique(), create: true, personal: false }));
    expect(owner).toBeInstanceOf(InputError);
    expect((owner as InputError).field).toBe('owner');
  });

  test('a rejected token says so, names the host and gives a remedy, without the token', async () => {
    const bad = e.badTokenHost((l) => logs.push(l));
    const err = await capture(bad.getRepository({ owner: e.user, name: 'anything' }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('token');
    expect(err.message).toContain(`token rejected by ${e.hostLabel}`);
    expect(err.message).toMatch(/\. Fix: .+token/);
    expect(err.message).toContain('[secret]');
  });

  test('deleting refuses a repository with commits unless forced, and removes an empty one', async () => {
    const [full, empty] = [unique(), unique()];
    const repo = await host.ensureRepository({ owner: e.user, name: full, create: true });
    await host.ensureRepository({ owner: e.user, name: empty, create: true });
    const k = ssh.key('del');
    await host.upsertDeployKey({ owner: e.user, name: full, title: 'push', publicKey: k.publicKey, readOnly: false });
    expect((await ssh.push(repo.syncUrl, k, 'a.yaml')).code).toBe(0);
    const refused = await capture(host.deleteRepository({ owner: e.user, name: full }));
    expect(refused.message).toMatch(/has commits.*Fix: .*force/);
    await host.deleteRepository({ owner: e.user, name: full, force: true });
    await host.deleteRepository({ owner: e.user, name: empty });
    expect(await host.getRepository({ owner: e.user, name: full })).toBeNull();
    expect(await host.getRepository({ owner: e.user, name: empty })).toBeNull();
    await host.deleteRepository({ owner: e.user, name: empty }); // already gone: fine
  });

  test('the token appears in no log line, error, or server log captured by these tests', () => {
    expect(errors.length).toBeGreaterThan(0);
    const captured = [...logs, ...errors, ...e.serverLogs.map((f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : ''))].join('\n');
    expect(captured.length).toBeGreaterThan(0);
    expect(captured).not.toContain(e.token);
  });
}
