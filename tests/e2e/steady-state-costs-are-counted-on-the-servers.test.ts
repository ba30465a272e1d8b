// harness: kube-audit, git-ssh, pulumi
// The steady-state costs, counted on the servers (the sshd's per-session access log and the API
// server's audit log), asserted exactly so that a regression fails `npm test`:
//   - a no-change `preview` talks to neither server;
//   - a no-change `preview --refresh` makes one ls-remote (no clone, no fetch) and writes nothing;
//   - a no-change `up` writes nothing (no push, no API write);
//   - the same holds for a stack whose state holds the provider stub as earlier releases stored
//     it (serialized by `pulumi.dynamic.Resource`, not written by stub.ts).
// examples/pulumi-git-ssh as the benchmark runs it: no Flux controllers, no reconciliation wait.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { measure, type Cost } from '../bench/observe';
import { gitEnv, gitOk } from '../harness/git-client';
import { enableAccessLog, gitSshCommand, takeAccessLog, writeKnownHosts, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import { GitSshFlow } from '../harness/pulumi-git-ssh-flow';
import { harnessInfo } from '../harness/state';
import { implModuleName, type ImplKind } from '../../provider/pulumi/stub';

let services: { kube: KubeInfo; gitSsh: GitSshInfo; pulumi: PulumiInfo };
let flow: GitSshFlow;
let tmp: string;

beforeAll(async () => {
  services = { kube: harnessInfo<KubeInfo>('kube'), gitSsh: harnessInfo<GitSshInfo>('git-ssh'), pulumi: harnessInfo<PulumiInfo>('pulumi') };
  enableAccessLog(services.gitSsh);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-costs-'));
  flow = await GitSshFlow.prepare(services, {
    workDir: tmp,
    repo: `costs/r${process.pid}`,
    stackName: 'costs',
    awaitReconciliation: false,
  });
}, 300_000);

afterAll(async () => {
  await flow?.destroy().catch(() => undefined);
  await flow?.removeStack();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Bytes the server sends for one `git ls-remote <url> refs/heads/main`: measured, not assumed. */
async function lsRemoteBytes(): Promise<number> {
  const env = gitEnv(path.join(tmp, 'git-home'), {
    GIT_SSH_COMMAND: gitSshCommand(flow.admin.privateKeyFile, writeKnownHosts(services.gitSsh, path.join(tmp, 'kh'))),
  });
  takeAccessLog(services.gitSsh);
  await gitOk(['ls-remote', '--', flow.url, 'refs/heads/main'], { env });
  const sessions = takeAccessLog(services.gitSsh);
  expect(sessions).toHaveLength(1);
  return sessions[0].bytesSent;
}

const counts = (c: Cost) => ({ gitSessions: c.gitSessions, pushes: c.pushes, apiRequests: c.apiRequests, apiWrites: c.apiWrites });

describe('steady state, counted on the servers', () => {
  test('a first install commits once', async () => {
    const { cost, value } = await measure(services, () => flow.up('v2.9.3'));
    expect(value.commit).toBe(flow.head());
    expect(cost.pushes).toBe(1);
  }, 1_200_000); // the first run compiles the program: minutes on a loaded machine

  test('a no-change preview makes no git session and no API request', async () => {
    const { cost, value } = await measure(services, () => flow.program.stack.preview({ color: 'never' }));
    expect(Object.keys(value.changeSummary)).toEqual(['same']);
    expect(counts(cost)).toEqual({ gitSessions: 0, pushes: 0, apiRequests: 0, apiWrites: 0 });
  });

  test('a no-change preview --refresh makes one ls-remote, clones nothing and writes nothing', async () => {
    const advertisement = await lsRemoteBytes();
    const { cost, value } = await measure(services, () => flow.program.stack.preview({ color: 'never', refresh: true }));
    expect(Object.keys(value.changeSummary)).toEqual(['same']);
    expect({ gitSessions: cost.gitSessions, pushes: cost.pushes, apiWrites: cost.apiWrites }).toEqual({
      gitSessions: 1,
      pushes: 0,
      apiWrites: 0,
    });
    // the server sent the ref advertisement and nothing more: no pack, so no clone or fetch
    expect(cost.gitBytes).toBe(advertisement);
  });

  test('a no-change up pushes nothing and makes no API write', async () => {
    const head = flow.head();
    const { cost, value } = await measure(services, () => flow.program.stack.up({ color: 'never' }));
    expect(Object.keys(value.summary.resourceChanges ?? {})).toEqual(['same']);
    expect(flow.head()).toBe(head);
    expect(counts(cost)).toEqual({ gitSessions: 0, pushes: 0, apiRequests: 0, apiWrites: 0 });
  });

  test('a stack holding the stub serialized by earlier releases previews and ups with no change and no cost', async () => {
    const stateFile = path.join(new URL(services.pulumi.backendUrl).pathname, '.pulumi', 'stacks', 'flux-bootstrap-git-ssh', 'costs.json');
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    const resources = state.checkpoint.latest.resources as Array<{
      type: string;
      inputs?: Record<string, unknown>;
      outputs?: Record<string, unknown>;
    }>;
    let replaced = 0;
    for (const r of resources) {
      if (typeof r.inputs?.__provider !== 'string') continue;
      const kind = kindOf(r.type);
      // what this release stores (stub.ts), for every kind
      expect(r.inputs.__provider).toMatch(/^exports\.handler = \(\) => \(function stubHandler\(/);
      expect(r.inputs.__provider).toContain(JSON.stringify(implModuleName(kind)));
      const earlier = await serializedLikeEarlierReleases(kind);
      expect(earlier).toContain('exports.handler = __f0;');
      r.inputs.__provider = earlier;
      if (r.outputs) r.outputs.__provider = earlier;
      replaced++;
    }
    expect(replaced).toBeGreaterThanOrEqual(4);
    fs.writeFileSync(stateFile, JSON.stringify(state, null, 4));
    const preview = await measure(services, () => flow.program.stack.preview({ color: 'never' }));
    expect(Object.keys(preview.value.changeSummary)).toEqual(['same']);
    expect(counts(preview.cost)).toEqual({ gitSessions: 0, pushes: 0, apiRequests: 0, apiWrites: 0 });
    const head = flow.head();
    const up = await measure(services, () => flow.program.stack.up({ color: 'never' }));
    expect(Object.keys(up.value.summary.resourceChanges ?? {})).toEqual(['same']);
    expect(flow.head()).toBe(head);
    expect(counts(up.cost)).toEqual({ gitSessions: 0, pushes: 0, apiRequests: 0, apiWrites: 0 });
  }, 600_000);
});

/** `pulumi-nodejs:dynamic/flux-bootstrap:SyncManifests` -> `sync-manifests` */
function kindOf(type: string): ImplKind {
  return type
    .split(':')
    .pop()!
    .replace(/[a-z][A-Z]/g, (m) => `${m[0]}-${m[1]}`)
    .toLowerCase() as ImplKind;
}

/** The `__provider` text earlier releases stored: `pulumi.dynamic.Resource` serialized an object
 *  literal whose methods required the implementation by name (falling back to its own copy). */
async function serializedLikeEarlierReleases(kind: ImplKind): Promise<string> {
  // the name they stored, before the implementations moved to provider/resources (package.json's
  // exports still resolves it)
  const mod = `flux-bootstrap/dist/provider/pulumi/impl/${kind}.js`;
  const local = path.join(path.resolve(__dirname, '..', '..', 'provider', 'resources'), `${kind}.js`);
  const load = () => {
    try {
      return require(mod);
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (err.code !== 'MODULE_NOT_FOUND' || !String(err.message).includes(mod)) throw e;
      return require(local);
    }
  };
  const provider: pulumi.dynamic.ResourceProvider = {
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
  return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}
