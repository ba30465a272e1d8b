// harness: kube-audit, git-ssh, pulumi
// examples/pulumi-git-ssh with the two edits docs/pulumi.md gives for a Node.js program served by
// the provider plugin (import `flux-bootstrap/pulumi/plugin`, name the plugin in Pulumi.yaml by
// its path in node_modules): the stack holds `flux-bootstrap:index:*` resources and no dynamic
// ones, so Pulumi never starts its dynamic provider host. On a branch a colleague also pushes
// to, the steady-state costs are those of the dynamic resources (counted on the servers), and
// destroy takes our files and leaves the colleague's.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measure, type Cost } from '../bench/observe';
import { enableAccessLog, repoDir, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import { GitSshFlow } from '../harness/pulumi-git-ssh-flow';
import { harnessInfo } from '../harness/state';

let services: { kube: KubeInfo; gitSsh: GitSshInfo; pulumi: PulumiInfo };
let flow: GitSshFlow;
let tmp: string;
const REPO = `plugin-served/r${process.pid}`;
const OURS = 'clusters/demo/flux-system';
const THEIRS = 'clusters/demo/apps/team.yaml';

beforeAll(async () => {
  services = { kube: harnessInfo<KubeInfo>('kube'), gitSsh: harnessInfo<GitSshInfo>('git-ssh'), pulumi: harnessInfo<PulumiInfo>('pulumi') };
  enableAccessLog(services.gitSsh);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-served-'));
  flow = await GitSshFlow.prepare(services, {
    workDir: tmp,
    repo: REPO,
    stackName: 'plugin-served',
    awaitReconciliation: false,
    servedByPlugin: true,
  });
}, 300_000);

afterAll(async () => {
  await flow?.destroy().catch(() => undefined);
  await flow?.removeStack();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const counts = (c: Cost) => ({ gitSessions: c.gitSessions, pushes: c.pushes, apiRequests: c.apiRequests, apiWrites: c.apiWrites });
const tree = (rev: string) =>
  execFileSync('git', ['--git-dir', repoDir(services.gitSsh, REPO), 'ls-tree', '-r', '--name-only', rev], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);

/** A colleague's commit beside ours, pushed straight into the bare repository (no sshd session). */
function colleaguePushes(): string {
  const work = path.join(tmp, 'colleague');
  execFileSync('git', ['clone', '-q', repoDir(services.gitSsh, REPO), work]);
  fs.mkdirSync(path.dirname(path.join(work, THEIRS)), { recursive: true });
  fs.writeFileSync(path.join(work, THEIRS), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team\n');
  const id = ['-c', 'user.name=colleague', '-c', 'user.email=colleague@example.com'];
  execFileSync('git', [...id, 'add', '.'], { cwd: work });
  execFileSync('git', [...id, 'commit', '-q', '-m', 'team app'], { cwd: work });
  execFileSync('git', ['push', '-q', 'origin', 'HEAD:main'], { cwd: work });
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: work, encoding: 'utf8' }).trim();
}

describe('a Node.js program served by the provider plugin', () => {
  test('a first install commits the three files once, with resources the plugin serves and no dynamic one', async () => {
    const { cost, value } = await measure(services, () => flow.up('v2.9.3'));
    expect(value.commit).toBe(flow.head());
    expect(cost.pushes).toBe(1);
    expect(
      tree(value.commit)
        .filter((f) => f.startsWith(`${OURS}/`))
        .sort(),
    ).toEqual(['gotk-components.yaml', 'gotk-sync.yaml', 'kustomization.yaml'].map((f) => `${OURS}/${f}`));
    const state = await flow.program.stack.exportStack();
    const types = ((state.deployment.resources ?? []) as { type: string; custom?: boolean }[]).filter((r) => r.custom).map((r) => r.type);
    expect(types.filter((t) => t.startsWith('pulumi-nodejs'))).toEqual([]);
    expect(types).toContain('pulumi:providers:flux-bootstrap');
    expect(types.filter((t) => t.startsWith('flux-bootstrap:index:')).sort()).toEqual(
      ['ControllerInstall', 'ControllerPreinstall', 'DeployKey', 'Repository', 'SyncManifests'].map((n) => `flux-bootstrap:index:${n}`),
    );
  }, 1_200_000); // the first run compiles the program: minutes on a loaded machine

  test("after a colleague's push, a preview talks to no server and an up writes nothing", async () => {
    const theirs = colleaguePushes();
    const preview = await measure(services, () => flow.program.stack.preview({ color: 'never' }));
    expect(Object.keys(preview.value.changeSummary)).toEqual(['same']);
    expect(counts(preview.cost)).toEqual({ gitSessions: 0, pushes: 0, apiRequests: 0, apiWrites: 0 });

    const refresh = await measure(services, () => flow.program.stack.preview({ color: 'never', refresh: true }));
    expect(Object.keys(refresh.value.changeSummary)).toEqual(['same']);
    // the head moved: ls-remote, then the tree of the new head to see our files unchanged
    expect(counts(refresh.cost)).toEqual({ gitSessions: 2, pushes: 0, apiRequests: 9, apiWrites: 0 });

    const up = await measure(services, () => flow.program.stack.up({ color: 'never' }));
    expect(Object.keys(up.value.summary.resourceChanges ?? {})).toEqual(['same']);
    expect(counts(up.cost)).toEqual({ gitSessions: 0, pushes: 0, apiRequests: 0, apiWrites: 0 });
    expect(flow.head()).toBe(theirs);
  });

  test("destroy removes our files and leaves the colleague's", async () => {
    const { namespaceLeft } = await flow.destroy();
    expect(namespaceLeft).toBe(false);
    const files = tree(flow.head()!);
    expect(files.filter((f) => f.startsWith(`${OURS}/`))).toEqual([]);
    expect(files).toContain(THEIRS);
  });
});
