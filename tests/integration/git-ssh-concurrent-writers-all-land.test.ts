// harness: git-ssh
// Many writers, one repository, one branch (terraform-provider-flux #662): 20 writers in four
// processes (separate stacks, CI jobs) commit to different paths at once. Inside a process
// they take turns; across processes they race, and a lost race is re-applied on the new tip.
// All must land, each as exactly one commit, none lost, on a straight line.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { generateDeployKey } from '../../provider/keys';
import { accessLog, createBareRepo, enableAccessLog, grantKey, revokeKey, urlFor, type GitSshInfo } from '../harness/git-ssh';
import { harnessInfo } from '../harness/state';
import { commitCount, filesAt, serverGit } from './git/bare-repo';

/** A node process that commits `count` files concurrently and prints the results as JSON. */
function writerProcess(url: string, auth: object, first: number, count: number): Promise<Array<{ commit: string; attempts: number }>> {
  const gitModule = path.resolve(__dirname, '..', '..', 'provider', 'git');
  const script = `
    const { commitFiles } = require(${JSON.stringify(gitModule)});
    const [url, auth, first, count] = JSON.parse(process.argv[1]);
    Promise.all(Array.from({ length: count }, (_, j) => { const i = first + j; return commitFiles(url, auth, {
      branch: 'main', files: { ['clusters/c' + i + '/flux-system/gotk-sync.yaml']: 'cluster: c' + i + '\\n' },
      message: 'Add Flux sync manifests for c' + i, author: { name: 'writer ' + i, email: 'w' + i + '@example.test' },
    }); })).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stderr.write(String(e && e.message)); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, JSON.stringify([url, auth, first, count])], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`writer process ${first}: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

test('20 concurrent writers in four processes, to different paths, all land', async () => {
  const info = harnessInfo<GitSshInfo>('git-ssh');
  enableAccessLog(info);
  const name = `git-concurrent-${randomBytes(4).toString('hex')}/fleet`;
  const dir = createBareRepo(info, name);
  const key = generateDeployKey();
  grantKey(info, key.publicKey, name, 'rw');
  const auth = { kind: 'ssh', privateKey: key.privateKeyPem, knownHosts: info.knownHosts };
  const url = urlFor(info, name);
  try {
    const n = 20;
    const started = Date.now();
    const done = (await Promise.all([0, 5, 10, 15].map((first) => writerProcess(url, auth, first, 5)))).flat();
    const pushes = accessLog(info, name).filter((s) => s.verb === 'receive-pack').length;
    console.log(
      `${n} writers in 4 processes landed in ${Date.now() - started} ms; attempts: ${done.map((d) => d.attempts).join(' ')}; pushes: ${pushes}`,
    );

    expect(commitCount(dir)).toBe(n);
    expect(filesAt(dir, 'main')).toHaveLength(n);
    // every returned commit is in the branch's history, and history is a straight line
    const history = serverGit(dir, ['rev-list', 'main']).split('\n');
    expect(new Set(history)).toEqual(new Set(done.map((d) => d.commit)));
    expect(serverGit(dir, ['rev-list', '--merges', '--count', 'main'])).toBe('0');
    // every push attempt is accounted for: the ones that lost a race were retried
    expect(pushes).toBe(done.reduce((s, d) => s + d.attempts, 0));
  } finally {
    revokeKey(info, key.publicKey);
  }
}, 180_000);
