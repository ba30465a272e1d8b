// harness: kube-audit, git-ssh, pulumi, flux-operator
// The move, as the operator's migration guide describes it, done by one `pulumi up`: a stack of
// examples/pulumi-operator bootstrapped the classic way (flavor classic) with a team's workload
// beside Flux switches to flavor operator with adopt. The preview shows the move (the operator's
// three resources created, the classic three deleted). The up installs the operator, guards the
// classic objects against their Kustomization's prune, replaces the classic files by the
// FluxInstance manifest in one commit, lets the FluxInstance adopt the running controllers (the
// same Deployment objects, never deleted), releases the guards, and the classic resources leave
// the stack without uninstalling anything. The workload's Kustomization never fails or goes
// missing throughout and reaches the move commit; destroy keeps the workload. Then a cluster
// bootstrapped by `flux bootstrap` (its three files as it writes them, byte for byte, applied
// as it applies them, with field manager flux) moves the same way from a new operator stack.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { enableAccessLog, repoDir, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import { harnessInfo } from '../harness/state';
import { distributionDir } from '../harness/flux-reference';
import { gitRepositoryPath, kustomizationPath } from '../harness/flux-status';
import { CLUSTER_PATH, OperatorFlow, ReadyWatch, until, WORKLOAD } from './operator/operator-flow';
import { desiredState, loadDistribution } from '../../provider/engine';
import { generateKeyPair, grantKey, urlFor } from '../harness/git-ssh';
import { parseObjects, type KubeObj } from '../harness/kube-rest';

const services = {
  kube: harnessInfo<KubeInfo>('kube'),
  gitSsh: harnessInfo<GitSshInfo>('git-ssh'),
  pulumi: harnessInfo<PulumiInfo>('pulumi'),
};
let flow: OperatorFlow;
let tmp: string;
const REPO = `move/r${process.pid}`;
const DIR = `${CLUSTER_PATH}/flux-system`;
const CONFIG_MAP = `orders-${process.pid}`;
const uids: Record<string, string> = {};
let classicCommit = '';

const deployment = (name: string) => flow.rest.get(`/apis/apps/v1/namespaces/flux-system/deployments/${name}`);

beforeAll(async () => {
  enableAccessLog(services.gitSsh);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-move-'));
  flow = await OperatorFlow.prepare(services, {
    workDir: tmp,
    repo: REPO,
    stackName: 'move',
    config: { flavor: 'classic', version: 'v2.9.3', distribution: distributionDir('v2.9.3'), waitDeployments: 'false' },
  });
}, 300_000);

afterAll(async () => {
  await flow?.destroy().catch(() => undefined);
  await flow?.removeStack();
  await flow?.rest.delete(`/api/v1/namespaces/default/configmaps/${CONFIG_MAP}`).catch(() => undefined);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('a classic bootstrap runs, with a team workload beside it', async () => {
  const out = await flow.up();
  classicCommit = String(out.commit);
  expect(flow.tree().filter((f) => f.startsWith(DIR))).toEqual(
    ['gotk-components.yaml', 'gotk-sync.yaml', 'kustomization.yaml'].map((f) => `${DIR}/${f}`),
  );
  expect(await flow.types()).toEqual(['ControllerInstall', 'ControllerPreinstall', 'DeployKey', 'Repository', 'SyncManifests']);
  flow.commitWorkload(CONFIG_MAP);
  await flow.rest.mergePatch(gitRepositoryPath('flux-system'), {
    metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': `${Date.now()}` } },
  });
  await until('the workload', () => flow.rest.get(`/api/v1/namespaces/default/configmaps/${CONFIG_MAP}`));
  await until('the workload Kustomization Ready', async () => {
    const k = await flow.rest.get(kustomizationPath('flux-system', WORKLOAD));
    return k?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
  });
  for (const d of ['source-controller', 'kustomize-controller']) uids[d] = (await deployment(d)).metadata.uid as string;
}, 600_000);

test('the preview shows the move: the operator, the instance manifest and the FluxInstance in, the classic resources out', async () => {
  await flow.config({ flavor: 'operator', adopt: 'true', version: '2.9.3', waitDeployments: 'true' });
  const preview = await flow.preview();
  expect(preview.changeSummary).toMatchObject({ create: 3, delete: 3 });
  expect(preview.stdout).toMatch(/\+ .*OperatorInstall/);
  expect(preview.stdout).toMatch(/\+ .*InstanceManifests/);
  expect(preview.stdout).toMatch(/\+ .*FluxInstance/);
  expect(preview.stdout).toMatch(/- .*ControllerInstall/);
}, 300_000);

test('up moves Flux to the operator with one commit while the workload keeps reconciling', async () => {
  const watch = new ReadyWatch(flow.rest, kustomizationPath('flux-system', WORKLOAD));
  let out: Record<string, unknown>;
  try {
    out = await flow.up();
  } finally {
    await watch.stop();
  }
  const move = String(out.commit);
  process.stderr.write(
    `workload during the move: ${watch.samples} samples, ${watch.progressing.length} while reconciling, Ready at ${watch.revisions.join(' then ')}\n`,
  );
  expect(watch.failed).toEqual([]);
  expect(watch.revisions[watch.revisions.length - 1]).toBe(`refs/heads/main@sha1:${move}`);
  // one commit replaced the three classic files with the manifest
  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', repoDir(services.gitSsh, REPO), ...args], { encoding: 'utf8' }).trim();
  expect(git('diff', '--name-status', `${move}~1`, move).split('\n').sort()).toEqual(
    [`A\t${DIR}/flux-instance.yaml`, `D\t${DIR}/gotk-components.yaml`, `D\t${DIR}/gotk-sync.yaml`, `D\t${DIR}/kustomization.yaml`].sort(),
  );
  expect(git('log', '-1', '--format=%s', move)).toBe(
    `Move Flux in ${DIR} to the Flux Operator: flux-instance.yaml replaces gotk-components.yaml, gotk-sync.yaml, kustomization.yaml`,
  );
  expect(git('merge-base', '--is-ancestor', classicCommit, move)).toBe('');
  expect(await flow.types()).toEqual(['DeployKey', 'FluxInstance', 'InstanceManifests', 'OperatorInstall', 'Repository']);
  // adopted, not reinstalled: the same controller Deployments, now the operator's, unguarded
  for (const d of ['source-controller', 'kustomize-controller']) {
    const live = await deployment(d);
    expect(live.metadata.uid).toBe(uids[d]);
    expect(Object.keys(live.metadata.labels).filter((l: string) => l.startsWith('fluxcd.controlplane.io/'))).not.toEqual([]);
    // our guard is released (its field manager owns nothing); the annotation left is the
    // operator's own (`Disabled`, beside ssa: Ignore): it keeps a Kustomization from pruning or applying its objects
    expect((live.metadata.managedFields as { manager: string }[]).map((m) => m.manager)).not.toContain('flux-bootstrap-handover');
    expect(live.metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune']).toBe('Disabled');
  }
  const fi = await flow.rest.get('/apis/fluxcd.controlplane.io/v1/namespaces/flux-system/fluxinstances/flux');
  expect(fi.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
  expect(await flow.rest.get(`/api/v1/namespaces/default/configmaps/${CONFIG_MAP}`)).toBeTruthy();
}, 900_000);

test('after the move a preview is clean, and destroy keeps the workload', async () => {
  const preview = await flow.preview();
  expect(Object.keys(preview.changeSummary)).toEqual(['same']);
  await flow.destroy();
  const gone = async (p: string) => (await flow.rest.request('GET', p)).status === 404;
  expect(await gone('/apis/fluxcd.controlplane.io/v1/namespaces/flux-system/fluxinstances/flux')).toBe(true);
  expect(await gone('/apis/apps/v1/namespaces/flux-system/deployments/source-controller')).toBe(true);
  expect(await flow.rest.get(`/api/v1/namespaces/default/configmaps/${CONFIG_MAP}`)).toBeTruthy();
}, 900_000);

describe('a cluster bootstrapped by flux bootstrap', () => {
  const CLI_REPO = `move-cli/r${process.pid}`;
  let cli: OperatorFlow;
  const cliMap = `billing-${process.pid}`;

  afterAll(async () => {
    await cli?.destroy().catch(() => undefined);
    await cli?.removeStack();
    await flow?.rest.delete(`/api/v1/namespaces/default/configmaps/${cliMap}`).catch(() => undefined);
  });

  test('moves to the operator from a new stack with adopt, its workload reconciling throughout', async () => {
    // the moved stack's destroy left the namespace (it was there before the operator), without Flux in it
    const ns = await flow.rest.get('/api/v1/namespaces/flux-system');
    expect(ns === null || ns.status.phase === 'Active').toBe(true);
    const left = await flow.rest.get('/apis/apps/v1/namespaces/flux-system/deployments');
    expect((left?.items ?? []).map((x: { metadata: { name: string } }) => x.metadata.name)).toEqual([]);
    // what flux bootstrap git writes and applies (the engine's files are its bytes: docs/engine.md)
    const work = path.join(tmp, 'cli');
    cli = await OperatorFlow.prepare(services, {
      workDir: work,
      repo: CLI_REPO,
      stackName: 'move-cli',
      config: { adopt: 'true', version: '2.9.3' },
    });
    const url = urlFor(services.gitSsh, CLI_REPO);
    const d = desiredState(
      { version: 'v2.9.3', components: ['source-controller', 'kustomize-controller'], url, path: CLUSTER_PATH },
      await loadDistribution({ version: 'v2.9.3', source: distributionDir('v2.9.3') }),
    );
    const clone = path.join(work, 'clone');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: clone, encoding: 'utf8' });
    execFileSync('git', ['clone', '-q', repoDir(services.gitSsh, CLI_REPO), clone]);
    for (const [f, c] of Object.entries(d.files)) {
      fs.mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
      fs.writeFileSync(path.join(clone, f), c);
    }
    git('add', '.');
    git('-c', 'user.name=Flux', '-c', 'user.email=flux@example.com', 'commit', '-q', '-m', 'Add Flux v2.9.3 component and sync manifests');
    git('push', '-q', 'origin', 'HEAD:main');
    const deploy = generateKeyPair(work, 'cli-deploy', 'ecdsa');
    grantKey(services.gitSsh, deploy.publicKey, CLI_REPO, 'ro');
    const secret: KubeObj = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'flux-system', namespace: 'flux-system' },
      stringData: {
        identity: deploy.privateKey,
        'identity.pub': deploy.publicKey.split(/\s+/).slice(0, 2).join(' '),
        known_hosts: services.gitSsh.knownHosts,
      },
    };
    const components = parseObjects(d.files[`${DIR}/gotk-components.yaml`]);
    const sync = parseObjects(d.files[`${DIR}/gotk-sync.yaml`]);
    await cli.rest.applyAll([...components, secret, ...sync], 'flux');
    cli.commitWorkload(cliMap);
    await until('the workload', () => cli.rest.get(`/api/v1/namespaces/default/configmaps/${cliMap}`), 300_000);
    await until('the workload Kustomization Ready', async () => {
      const k = await cli.rest.get(kustomizationPath('flux-system', WORKLOAD));
      return k?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
    });
    const uid = (await deployment('source-controller')).metadata.uid as string;

    const watch = new ReadyWatch(cli.rest, kustomizationPath('flux-system', WORKLOAD));
    let out: Record<string, unknown>;
    try {
      out = await cli.up();
    } finally {
      await watch.stop();
    }
    process.stderr.write(
      `workload during the move of a flux bootstrap cluster: ${watch.samples} samples, ${watch.progressing.length} while reconciling\n`,
    );
    expect(watch.failed).toEqual([]);
    expect(watch.revisions[watch.revisions.length - 1]).toBe(`refs/heads/main@sha1:${String(out.commit)}`);
    expect(cli.tree().filter((f) => f.startsWith(DIR))).toEqual([`${DIR}/flux-instance.yaml`]);
    expect((await deployment('source-controller')).metadata.uid).toBe(uid);
    const fi = await cli.rest.get('/apis/fluxcd.controlplane.io/v1/namespaces/flux-system/fluxinstances/flux');
    expect(fi.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
    await cli.destroy();
    expect(await cli.rest.get(`/api/v1/namespaces/default/configmaps/${cliMap}`)).toBeTruthy();
  }, 1_200_000);
});
