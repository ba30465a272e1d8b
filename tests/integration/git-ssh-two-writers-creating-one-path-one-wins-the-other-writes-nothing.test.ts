// harness: git-ssh
// Two stacks create the same new cluster path at once (issue 14, scenario 7). commitFiles'
// `expect` guard ({path: null}: "absent when I read it") is checked against every tip the
// commit is built on, so exactly one writer lands; the other fails before pushing anything,
// and its error names the path and the commit that holds the winner's file.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { commitFiles, GitError, type GitAuth } from '../../provider/git';
import { generateDeployKey } from '../../provider/keys';
import { accessLog, createBareRepo, enableAccessLog, grantKey, revokeKey, urlFor, type GitSshInfo } from '../harness/git-ssh';
import { harnessInfo } from '../harness/state';
import { commitCount, fileAt, filesAt, head } from './git/bare-repo';

const FILE = 'clusters/prod/flux-system/gotk-sync.yaml';
const author = { name: 'Flux Bootstrap', email: 'flux@example.test' };
let info: GitSshInfo;
let auth: GitAuth;
let publicKey: string;
const id = randomBytes(4).toString('hex');

beforeAll(() => {
  info = harnessInfo<GitSshInfo>('git-ssh');
  enableAccessLog(info);
  const key = generateDeployKey();
  publicKey = key.publicKey;
  auth = { kind: 'ssh', privateKey: key.privateKeyPem, knownHosts: info.knownHosts };
});
afterAll(() => revokeKey(info, publicKey));

function repo(name: string): { name: string; url: string; dir: string } {
  const r = `git-race-${id}/${name}`;
  const dir = createBareRepo(info, r);
  grantKey(info, publicKey, r, 'rw');
  return { name: r, url: urlFor(info, r), dir };
}

/** One stack's create, in its own node process (so the two really race, with no shared
 *  branch lock): prints {commit} on success, {error, kind} on failure. */
function writer(url: string, who: string): Promise<{ commit?: string; error?: string; kind?: string }> {
  const gitModule = path.resolve(__dirname, '..', '..', 'provider', 'git');
  const script = `
    const { commitFiles } = require(${JSON.stringify(gitModule)});
    const [url, auth, file, who] = JSON.parse(process.argv[1]);
    commitFiles(url, auth, {
      branch: 'main', files: { [file]: 'owner: ' + who + '\\n' }, expect: { [file]: null },
      message: 'Add Flux sync manifests (' + who + ')', author: { name: who, email: who + '@example.test' },
    }).then((r) => process.stdout.write(JSON.stringify({ commit: r.commit })),
      (e) => process.stdout.write(JSON.stringify({ error: e.message, kind: e.kind })));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, JSON.stringify([url, auth, FILE, who])], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`writer ${who}: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

test("two processes create the same new path at once: one wins, the other names the path and the winner's commit and writes nothing", async () => {
  const r = repo('race');
  const results = await Promise.all([writer(r.url, 'stack-a'), writer(r.url, 'stack-b')]);
  const won = results.filter((x) => x.commit);
  const lost = results.filter((x) => x.error);
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  const winner = won[0].commit!;
  // the branch holds the winner's commit alone: the loser wrote nothing
  expect(head(r.dir)).toBe(winner);
  expect(commitCount(r.dir)).toBe(1);
  expect(filesAt(r.dir, 'main')).toEqual([FILE]);
  expect(fileAt(r.dir, 'main', FILE)).toBe(`owner: ${results.indexOf(won[0]) === 0 ? 'stack-a' : 'stack-b'}`);
  expect(lost[0].kind).toBe('conflict');
  expect(lost[0].error).toContain(FILE);
  expect(lost[0].error).toContain(winner);
  // every push the loser tried was one that lost the race: no more receive-packs landed than one
  const pushes = accessLog(info, r.name).filter((s) => s.verb === 'receive-pack');
  expect(pushes.length).toBeGreaterThanOrEqual(1);
  expect(pushes.length).toBeLessThanOrEqual(2);
}, 120_000);

test('a writer that read the path absent, and finds it created since, fails before pushing and names the path and that commit', async () => {
  const r = repo('stale');
  // stack B read the branch (the path was absent), then stack A created the path
  const a = await commitFiles(r.url, auth, {
    branch: 'main',
    files: { [FILE]: 'owner: stack-a\n' },
    expect: { [FILE]: null },
    message: 'Add Flux sync manifests (a)',
    author,
  });
  const pushesBefore = accessLog(info, r.name).filter((s) => s.verb === 'receive-pack').length;
  const b = commitFiles(r.url, auth, {
    branch: 'main',
    files: { [FILE]: 'owner: stack-b\n' },
    expect: { [FILE]: null },
    message: 'Add Flux sync manifests (b)',
    author,
  });
  await expect(b).rejects.toBeInstanceOf(GitError);
  const err = (await b.catch((e: unknown) => e)) as GitError;
  expect(err.kind).toBe('conflict');
  expect(err.message).toContain(FILE);
  expect(err.message).toContain(a.commit!);
  expect(err.message).toMatch(/Fix: /);
  expect(head(r.dir)).toBe(a.commit);
  expect(commitCount(r.dir)).toBe(1);
  expect(fileAt(r.dir, 'main', FILE)).toBe('owner: stack-a');
  expect(accessLog(info, r.name).filter((s) => s.verb === 'receive-pack').length).toBe(pushesBefore);
}, 120_000);
