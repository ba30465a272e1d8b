// harness: kube-audit, git-ssh, pulumi
// The steady-state costs, counted on the servers (the sshd's per-session access log and the API
// server's audit log), asserted exactly so that a regression fails `npm test`:
//   - a no-change `preview` talks to neither server;
//   - a no-change `preview --refresh` makes one ls-remote (no clone, no fetch) and writes nothing;
//   - a no-change `up` writes nothing (no push, no API write).
// examples/pulumi-git-ssh as the benchmark runs it: no Flux controllers, no reconciliation wait.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measure, type Cost } from '../bench/observe';
import { gitEnv, gitOk } from '../harness/git-client';
import { enableAccessLog, gitSshCommand, takeAccessLog, writeKnownHosts, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import { GitSshFlow } from '../harness/pulumi-git-ssh-flow';
import { harnessInfo } from '../harness/state';

let services: { kube: KubeInfo; gitSsh: GitSshInfo; pulumi: PulumiInfo };
let flow: GitSshFlow;
let tmp: string;

beforeAll(async () => {
  services = { kube: harnessInfo<KubeInfo>('kube'), gitSsh: harnessInfo<GitSshInfo>('git-ssh'), pulumi: harnessInfo<PulumiInfo>('pulumi') };
  enableAccessLog(services.gitSsh);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-costs-'));
  flow = await GitSshFlow.prepare(services, { workDir: tmp, repo: `costs/r${process.pid}`, stackName: 'costs', awaitReconciliation: false });
}, 300_000);

afterAll(async () => {
  await flow?.destroy().catch(() => undefined);
  await flow?.removeStack();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Bytes the server sends for one `git ls-remote <url> refs/heads/main`: measured, not assumed. */
async function lsRemoteBytes(): Promise<number> {
  const env = gitEnv(path.join(tmp, 'git-home'), { GIT_SSH_COMMAND: gitSshCommand(flow.admin.privateKeyFile, writeKnownHosts(services.gitSsh, path.join(tmp, 'kh'))) });
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
    expect({ gitSessions: cost.gitSessions, pushes: cost.pushes, apiWrites: cost.apiWrites }).toEqual({ gitSessions: 1, pushes: 0, apiWrites: 0 });
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
});
