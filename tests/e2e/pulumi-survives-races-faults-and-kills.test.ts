// harness: kube, git-ssh, pulumi
// Reliability of the Pulumi provider against the real servers (docs/reliability.md):
// - races: twenty clusters of one stack committing to one repository at once; a second stack
//   on a path the first owns;
// - faults: the git server dropping the push, the API server going away in the middle of the
//   install, `pulumi up` SIGKILLed half-way; each time the next `up` finishes the job with no
//   duplicate commit, no orphaned deploy key and no object stuck terminating;
// - destroy with the cluster and the repository gone: a clear refusal unless
//   deleteUnreachable is set, then success.
// No Flux controller runs here: the programs wait for nothing (waitReconciliation=false).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Stack } from '@pulumi/pulumi/automation';
import { descendantTrees, killAll } from '../harness/descendants';
import { distributionDir } from '../harness/flux-reference';
import { keyCommand } from '../harness/git-ssh-key-command';
import {
  accessLog,
  createBareRepo,
  enableAccessLog,
  generateKeyPair,
  grantKey,
  injectFault,
  listGrants,
  repoDir,
  urlFor,
  type GitSshInfo,
} from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { KubeRest } from '../harness/kube-rest';
import type { PulumiInfo } from '../harness/pulumi';
import { GitSshFlow } from '../harness/pulumi-git-ssh-flow';
import { copyExample, programStack } from '../harness/pulumi-program';
import { harnessInfo } from '../harness/state';
import { tcpProxy, type TcpProxy } from '../harness/tcp-proxy';
import { commitCount, head as bareHead, serverGit as bareGit } from '../integration/git/bare-repo';

let gitSsh: GitSshInfo;
let kube: KubeInfo;
let pulumi: PulumiInfo;
let tmp: string;
let output = '';
const onOutput = (s: string) => {
  output += s;
};

const serverGit = (repo: string, args: string[]) => bareGit(repoDir(gitSsh, repo), args);
const commits = (repo: string) => (bareHead(repoDir(gitSsh, repo)) ? commitCount(repoDir(gitSsh, repo)) : 0);
const grantsOf = (repo: string) => listGrants(gitSsh).filter((g) => g.repo === repo);

beforeAll(() => {
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  kube = harnessInfo<KubeInfo>('kube');
  pulumi = harnessInfo<PulumiInfo>('pulumi');
  enableAccessLog(gitSsh);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-reliability-'));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function fleetStack(
  repo: string,
  stackName: string,
  clusters: string[],
  version: string,
  admin: { privateKey: string },
): Promise<Stack> {
  const { stack } = await programStack(pulumi, copyExample('pulumi-git-fleet', path.join(tmp, stackName)), stackName, {
    PULUMI_NODEJS_TRANSPILE_ONLY: 'true',
  });
  await stack.setAllConfig({
    repositoryUrl: { value: urlFor(gitSsh, repo) },
    knownHosts: { value: gitSsh.knownHosts },
    pushPrivateKey: { value: admin.privateKey, secret: true },
    version: { value: version },
    distribution: { value: distributionDir(version) },
    addKeyCommand: { value: JSON.stringify(keyCommand('add', gitSsh.stateDir, repo)) },
    removeKeyCommand: { value: JSON.stringify(keyCommand('remove', gitSsh.stateDir, repo)) },
    clusters: { value: JSON.stringify(clusters) },
  });
  return stack;
}

describe('races on one repository', () => {
  const repo = `reliability/fleet-${process.pid}`;
  let admin: { privateKey: string; publicKey: string };
  let first: Stack;

  beforeAll(() => {
    createBareRepo(gitSsh, repo);
    admin = generateKeyPair(tmp, 'fleet-admin');
    grantKey(gitSsh, admin.publicKey, repo, 'rw');
  });

  test('twenty clusters of one stack bootstrap into one repository at once: twenty commits, twenty pushes, none rejected', async () => {
    const clusters = Array.from({ length: 20 }, (_, i) => `c${String(i + 1).padStart(2, '0')}`);
    first = await fleetStack(repo, 'fleet-a', clusters, 'v2.9.3', admin);
    const pushesBefore = accessLog(gitSsh, repo).filter((s) => s.verb === 'receive-pack').length;
    const r = await first.up({ onOutput });
    expect(r.summary.result).toBe('succeeded');
    expect(commits(repo)).toBe(20);
    expect(accessLog(gitSsh, repo).filter((s) => s.verb === 'receive-pack').length - pushesBefore).toBe(20);
    const files = serverGit(repo, ['ls-tree', '-r', '--name-only', 'main']).split('\n');
    for (const c of clusters) {
      expect(files).toEqual(
        expect.arrayContaining(
          ['gotk-components.yaml', 'gotk-sync.yaml', 'kustomization.yaml'].map((f) => `clusters/${c}/flux-system/${f}`),
        ),
      );
    }
    // one read-only deploy key per cluster, besides the admin's key
    expect(grantsOf(repo).filter((g) => g.access === 'ro')).toHaveLength(20);
    // every commit on a straight line, each touching one cluster's directory only
    expect(serverGit(repo, ['rev-list', '--merges', '--count', 'main'])).toBe('0');
    const touched = serverGit(repo, ['log', '--format=', '--name-only', 'main'])
      .split('\n')
      .filter(Boolean)
      .map((f) => f.split('/')[1]);
    expect(new Set(touched).size).toBe(20);
  }, 600_000);

  test('a second stack on a path the first owns fails before writing, naming the path, the files and the remedy', async () => {
    const headBefore = serverGit(repo, ['rev-parse', 'main']);
    const keysBefore = grantsOf(repo).filter((g) => g.access === 'ro');
    const second = await fleetStack(repo, 'fleet-b', ['c07'], 'v2.8.5', admin);
    const from = output.length;
    await expect(second.up({ onOutput })).rejects.toThrow(
      /invalid path "clusters\/c07": already holds Flux manifests this resource did not write \(gotk-components\.yaml in clusters\/c07\/flux-system at main@[0-9a-f]{12}\): another stack, `flux bootstrap` or the Flux Terraform provider manages this cluster path\. Fix: give this cluster its own path, or set adopt: true/,
    );
    expect(serverGit(repo, ['rev-parse', 'main'])).toBe(headBefore);
    expect(output.slice(from)).not.toContain(admin.privateKey.split('\n')[1]);
    // its deploy key waits for the files, so the first stack's key of the same title (c07's) is
    // not replaced (before: the second's key took its place, and its destroy left c07 without one)
    expect(grantsOf(repo).filter((g) => g.access === 'ro')).toEqual(keysBefore);
    const r = await second.destroy({ onOutput });
    expect(r.summary.result).toBe('succeeded');
    expect(grantsOf(repo).filter((g) => g.access === 'ro')).toEqual(keysBefore);
    expect(serverGit(repo, ['rev-parse', 'main'])).toBe(headBefore);
  }, 300_000);
});

describe('faults, kills and destroy on one cluster', () => {
  let flow: GitSshFlow;
  let proxy: TcpProxy;
  let rest: KubeRest;
  const repo = `reliability/single-${process.pid}`;

  beforeAll(async () => {
    flow = await GitSshFlow.prepare(
      { kube, gitSsh, pulumi },
      { workDir: path.join(tmp, 'single'), repo, stackName: 'single', awaitReconciliation: false, pulumiOutput: onOutput },
    );
    // the program reaches the API server through a proxy this test can cut
    const server = new URL(kube.server);
    proxy = await tcpProxy(server.hostname, Number(server.port));
    const kubeconfig = fs.readFileSync(kube.kubeconfig, 'utf8').replace(kube.server, `https://127.0.0.1:${proxy.port}`);
    await flow.program.stack.setConfig('kubeconfig', { value: kubeconfig, secret: true });
    rest = new KubeRest(kube);
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
  });

  const namespaceVersion = async () =>
    ((await rest.get('/api/v1/namespaces/flux-system'))?.metadata?.labels ?? {})['app.kubernetes.io/version'];

  test('bad input fails at preview, naming field, value and remedy, before anything is written', async () => {
    const { stack } = flow.program;
    await stack.setAllConfig({ namespace: { value: 'Flux_System' }, version: { value: 'v2.9' } });
    try {
      const failure = await stack.preview({ onOutput }).then(
        () => '',
        (e: Error) => e.message,
      );
      expect(failure).toContain('invalid namespace "Flux_System": must be a lowercase RFC 1123 label');
      expect(failure).toContain('invalid version "v2.9": must be a Flux release "vX.Y.Z"');
      expect(failure).toMatch(/Fix: use e\.g\. "flux-system"/);
    } finally {
      await stack.removeConfig('namespace');
      await stack.removeConfig('version');
    }
    expect(flow.head()).toBeNull();
    expect(grantsOf(repo).filter((g) => g.access === 'ro')).toEqual([]);
    expect(await rest.get('/api/v1/namespaces/flux-system')).toBeFalsy();
  }, 120_000);

  test("the git server dropping the push fails up with the server's words; the next up lands exactly one commit", async () => {
    const heal = injectFault(gitSsh, repo, 'receive-pack');
    try {
      await expect(flow.up('v2.8.5')).rejects.toThrow(/SyncManifests[\s\S]*connection dropped \(injected fault\)/);
    } finally {
      heal();
    }
    expect(flow.head()).toBeNull();
    // the controllers go in beside the push (ControllerPreinstall); what needs the commit waits for it
    expect(await rest.get('/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/flux-system')).toBeFalsy();
    const r = await flow.up('v2.8.5');
    expect(commits(repo)).toBe(1);
    expect(r.commit).toBe(flow.head());
    expect(await namespaceVersion()).toBe('v2.8.5');
  }, 300_000);

  test('the API server going away mid-install fails up; the next up completes it without another commit', async () => {
    const { stack } = flow.program;
    await stack.setAllConfig({ version: { value: 'v2.9.3' }, distribution: { value: distributionDir('v2.9.3') } });
    const base = proxy.connections();
    let timer: NodeJS.Timeout | undefined;
    const watch = setInterval(() => {
      if (proxy.connections() > base && !timer)
        timer = setTimeout(() => {
          void proxy.cut();
        }, 300);
    }, 20);
    try {
      await expect(stack.up({ onOutput })).rejects.toThrow(
        /ControllerInstall[\s\S]*(cannot be reached|ECONNREFUSED|ECONNRESET|socket hang up)[\s\S]*Fix:/,
      );
    } finally {
      clearInterval(watch);
      clearTimeout(timer);
    }
    const afterFailure = commits(repo);
    expect(afterFailure).toBe(2); // the bump's commit landed before the install began
    await proxy.restore();
    const r = await stack.up({ onOutput });
    expect(r.summary.result).toBe('succeeded');
    expect(commits(repo)).toBe(afterFailure);
    expect(await namespaceVersion()).toBe('v2.9.3');
  }, 300_000);

  test('an up SIGKILLed after its commit is finished by the next up: no second commit, one deploy key, nothing stuck', async () => {
    const { stack } = flow.program;
    await stack.setAllConfig({ version: { value: 'v2.8.5' }, distribution: { value: distributionDir('v2.8.5') } });
    const before = commits(repo);
    const running = stack.up({ onOutput }).then(
      () => 'finished',
      (e: Error) => e.message,
    );
    const t = Date.now();
    while (commits(repo) === before && Date.now() - t < 120_000) await new Promise((r) => setTimeout(r, 10));
    // the CLI and everything under it: language host, program, dynamic provider, git, ssh
    const killed = killAll(descendantTrees(/\/pulumi (up|preview|destroy|refresh) /));
    expect(killed.length).toBeGreaterThan(1);
    console.log(
      `killed ${killed.length} processes ${Date.now() - t} ms after up began: ${killed.map((c) => c.split(' ').slice(0, 2).join(' ')).join('; ')}`,
    );
    expect(await running).not.toBe('finished');
    expect(commits(repo)).toBe(before + 1);

    // a killed update leaves the stack locked and its pending operations in the state: the
    // user runs `pulumi cancel` (Pulumi's own remedy, printed by the next command), then up
    await expect(stack.up({ onOutput })).rejects.toThrow(/the stack is currently locked[\s\S]*pulumi cancel/);
    await stack.cancel();
    const r = await stack.up({ onOutput });
    expect(r.summary.result).toBe('succeeded');
    expect(commits(repo)).toBe(before + 1);
    expect(await namespaceVersion()).toBe('v2.8.5');
    expect(grantsOf(repo).filter((g) => g.access === 'ro')).toHaveLength(1);
    const stuck = ((await rest.get('/api/v1/namespaces/flux-system/deployments'))?.items ?? []).filter(
      (d: { metadata: { deletionTimestamp?: string } }) => d.metadata.deletionTimestamp,
    );
    expect(stuck).toEqual([]);
    const again = await stack.preview({ onOutput });
    expect(Object.entries(again.changeSummary).filter(([op, n]) => op !== 'same' && n > 0)).toEqual([]);
  }, 300_000);

  test("no private key in the repository's history, the stored state or anything Pulumi printed", async () => {
    const secret = await rest.get('/api/v1/namespaces/flux-system/secrets/flux-system');
    const deployKey = Buffer.from(secret.data.identity, 'base64').toString();
    const body = (pem: string) =>
      pem
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'))
        .join('');
    const needles = [body(deployKey), body(flow.admin.privateKey)].flatMap((k) => [k.slice(0, 40), k.slice(-40)]);
    const history = serverGit(repo, ['log', '-p', '--all', '--format=%H %s%n%b']);
    const stateFile = path.join(new URL(pulumi.backendUrl).pathname, '.pulumi', 'stacks', 'flux-bootstrap-git-ssh', 'single.json');
    const stored = fs.readFileSync(stateFile, 'utf8');
    for (const [where, text] of [
      ['history', history],
      ['state', stored],
      ['output', output],
    ] as const) {
      expect({
        where,
        found: needles.filter((n) => text.includes(n)).length,
        privateKeyHeader: /PRIVATE KEY-----/.test(text) && where !== 'output',
      }).toEqual({ where, found: 0, privateKeyHeader: false });
    }
  });

  test('destroy with the cluster and the repository gone: refused with the remedy, then with deleteUnreachable it succeeds', async () => {
    const { stack } = flow.program;
    await proxy.cut();
    fs.rmSync(repoDir(gitSsh, repo), { recursive: true, force: true }); // the repository was deleted too
    await expect(stack.destroy({ onOutput })).rejects.toThrow(
      /cannot uninstall Flux: [\s\S]*Fix: if the cluster is only down, retry once it is back; if it was deleted, set deleteUnreachable: true/,
    );
    // recording the setting needs no cluster and no repository
    await stack.setConfig('deleteUnreachable', { value: 'true' });
    const up = await stack.up({ onOutput });
    expect(up.summary.result).toBe('succeeded');
    const r = await stack.destroy({ onOutput });
    expect(r.summary.result).toBe('succeeded');
    expect(grantsOf(repo).filter((g) => g.access === 'ro')).toEqual([]);
    // Flux is still in the (only unreachable) cluster: the user was told to run flux uninstall
    expect(output).toContain('deleteUnreachable is set, so Flux is taken as gone with the cluster');
    expect((await stack.exportStack()).deployment.resources ?? []).toEqual([]);
    await flow.removeStack();
  }, 300_000);
});
