// harness: kube, git-ssh, flux-controllers, pulumi
// The whole loop with the real Flux controllers (source-controller and kustomize-controller of
// Flux v2.9.3, run as local processes by the harness): they clone the bootstrapped repository
// over SSH with the deploy key and the scanned known_hosts, and Flux manages itself from git.
//
// The harness cluster has no nodes, so the controller Deployments stay unscheduled: what is
// checked (and what a bootstrap must wait for here) is reconciliation, GitRepository and
// Kustomization Ready at the pushed commit, not Deployment availability.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { controllerStatus, waitForControllersReady, type FluxControllersInfo } from '../harness/flux-controllers';
import { fluxStatus, waitForReconciled } from '../harness/flux-status';
import { listGrants, keyId, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import { tail } from '../harness/processes';
import { commitAndPush, plainGitBootstrap, removePlainBootstrap } from '../harness/plain-git-bootstrap';
import type { PulumiInfo } from '../harness/pulumi';
import { GitSshFlow, type UpResult } from '../harness/pulumi-git-ssh-flow';
import { harnessInfo } from '../harness/state';
import { formatTimings } from '../harness/up-timeline';

let kube: KubeInfo;
let gitSsh: GitSshInfo;
let flux: FluxControllersInfo;
let rest: KubeRest;
let tmp: string;

beforeAll(() => {
  kube = harnessInfo<KubeInfo>('kube');
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  flux = harnessInfo<FluxControllersInfo>('flux-controllers');
  rest = new KubeRest(kube);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-reconciles-'));
});

afterAll(() => {
  // FLUX_BOOTSTRAP_KEEP_HARNESS=1 keeps the Pulumi logs and clones too
  if (tmp && process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
});

function configMap(name: string, namespace: string, data: Record<string, string>): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`, `  namespace: ${namespace}`, 'data:'];
  for (const [k, v] of Object.entries(data)) lines.push(`  ${k}: ${JSON.stringify(v)}`);
  return lines.join('\n') + '\n';
}

describe('the Flux controllers, given bootstrap files pushed with plain git (no provider)', () => {
  test('clone over SSH with the deploy key, reach Ready at the pushed commit, apply a workload; removal keeps the workload', async () => {
    const namespace = uniqueName('flux-plain');
    const clusterPath = 'clusters/plain';
    const workloadName = `${namespace}-workload`;
    const t0 = Date.now();
    const b = await plainGitBootstrap({
      rest,
      gitSsh,
      namespace,
      clusterPath,
      workDir: path.join(tmp, namespace),
      repo: `fleet/${namespace}`,
      extraFiles: { [`${clusterPath}/workload.yaml`]: configMap(workloadName, 'default', { owner: namespace }) },
    });
    const applied = Date.now();
    await waitForControllersReady(flux);
    const first = await waitForReconciled(rest, { namespace, revision: b.revision, timeoutMs: 180_000 });
    expect(first.status.gitRepository.revision).toBe(`main@sha1:${b.commit}`);
    expect(first.status.kustomization.revision).toBe(`main@sha1:${b.commit}`);
    const workload = await rest.get(`/api/v1/namespaces/default/configmaps/${workloadName}`);
    expect(workload?.data).toEqual({ owner: namespace });
    expect(workload?.metadata?.labels?.['kustomize.toolkit.fluxcd.io/name']).toBe(namespace);
    process.stderr.write(`plain-git bootstrap: applied in ${applied - t0} ms, Ready ${first.kustomizationReadyAt - applied} ms later\n`);

    // a second commit under the cluster path is applied by the next reconciliation
    const second = await commitAndPush(
      b,
      { [`${clusterPath}/workload.yaml`]: configMap(workloadName, 'default', { owner: namespace, round: '2' }) },
      'Change the workload',
    );
    await rest.mergePatch(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${namespace}/gitrepositories/${namespace}`, {
      metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': new Date().toISOString() } },
    });
    await waitForReconciled(rest, { namespace, revision: `main@sha1:${second}`, timeoutMs: 180_000 });
    expect((await rest.get(`/api/v1/namespaces/default/configmaps/${workloadName}`))?.data).toEqual({ owner: namespace, round: '2' });

    await removePlainBootstrap(rest, namespace);
    expect(await rest.get(`/api/v1/namespaces/default/configmaps/${workloadName}`)).not.toBeNull();
    await rest.delete(`/api/v1/namespaces/default/configmaps/${workloadName}`);
  });
});

describe('pulumi up of examples/pulumi-git-ssh against the harness sshd and API server', () => {
  let flow: GitSshFlow | undefined;
  let destroyed = false;
  const workloadName = uniqueName('workload');

  afterAll(async () => {
    if (flow && !destroyed) await flow.destroy().catch(() => undefined);
    await flow?.removeStack();
    await rest.delete(`/api/v1/namespaces/default/configmaps/${workloadName}`).catch(() => undefined);
  });

  function report(step: string, r: UpResult): void {
    process.stderr.write(`${step} ${r.version} at ${r.revision}: ${formatTimings(r.timings)}\n`);
  }

  test(
    'up: Flux clones over SSH with the generated deploy key and reconciles itself; a committed workload appears; ' +
      'a version bump is reconciled again; destroy removes Flux and keeps the workload',
    async () => {
      const name = uniqueName('cluster');
      const pulumiLog = path.join(tmp, `${name}-pulumi.log`);
      try {
        await fullFlow(name, pulumiLog);
      } catch (e) {
        // what Pulumi, Flux and the controllers said last, for the post-mortem
        const status = await fluxStatus(rest, 'flux-system').catch(() => null);
        (e as Error).message +=
          `\n\nFlux status: ${JSON.stringify(status)}\ncontrollers: ${JSON.stringify(controllerStatus(flux).controllers)}` +
          `\n\n${pulumiLog} (tail):\n${tail(pulumiLog, 40)}` +
          Object.values(flux.controllers)
            .map((c) => `\n\n${c.log} (tail):\n${tail(c.log, 20)}`)
            .join('');
        throw e;
      }
    },
  );

  async function fullFlow(name: string, pulumiLog: string): Promise<void> {
    flow = await GitSshFlow.prepare(
      { kube, gitSsh, flux, pulumi: harnessInfo<PulumiInfo>('pulumi') },
      {
        workDir: path.join(tmp, name),
        repo: `fleet/${name}`,
        stackName: name,
        pulumiOutput: (chunk) => fs.appendFileSync(pulumiLog, chunk),
      },
    );

    // 1. up with Flux v2.8.5: one commit, the key registered, install, Ready at that commit
    const first = await flow.up('v2.8.5');
    report('first up', first);
    expect(first.version).toBe('v2.8.5');
    expect(first.status.gitRepository.revision).toBe(`main@sha1:${first.commit}`);
    expect(first.status.kustomization.revision).toBe(`main@sha1:${first.commit}`);
    expect(first.timings.kustomizationReadyMs).not.toBeNull();
    // source-controller cloned with the generated key (granted read-only on the sshd) and the
    // scanned known_hosts, both from the flux-system Secret
    const secret = await rest.get('/api/v1/namespaces/flux-system/secrets/flux-system');
    const decoded = (k: string) => Buffer.from(secret.data[k], 'base64').toString('utf8').trim();
    expect(keyId(decoded('identity.pub'))).toBe(keyId(first.publicKey));
    expect(decoded('known_hosts')).toBe(gitSsh.knownHosts);
    expect(
      listGrants(gitSsh)
        .filter((g) => g.repo === `fleet/${name}` && keyId(g.publicKey) === keyId(first.publicKey))
        .map((g) => g.access),
    ).toEqual(['ro']);
    // Flux manages itself from git: kustomize-controller applied the committed components
    const dep = await rest.get('/apis/apps/v1/namespaces/flux-system/deployments/source-controller');
    expect(dep.metadata.labels['kustomize.toolkit.fluxcd.io/name']).toBe('flux-system');
    expect(dep.spec.template.spec.containers[0].image).toBe('ghcr.io/fluxcd/source-controller:v1.8.2');
    // never available: no nodes. Reconciliation is what was awaited.
    expect(dep.status?.availableReplicas ?? 0).toBe(0);

    // 2. a workload committed under the cluster path appears in the cluster
    const w = await flow.commitToClusterPath(
      'workload.yaml',
      configMap(workloadName, 'default', { message: 'hello from git' }),
      'Add a workload',
    );
    process.stderr.write(`workload commit ${w.commit} applied ${w.appliedMs} ms after the reconcile request\n`);
    expect((await rest.get(`/api/v1/namespaces/default/configmaps/${workloadName}`))?.data).toEqual({ message: 'hello from git' });

    // 3. bump Flux: a new commit on top of the workload's, reconciled again
    const second = await flow.up('v2.9.3');
    report('bump', second);
    expect(second.version).toBe('v2.9.3');
    expect(second.commit).not.toBe(first.commit);
    expect(second.status.kustomization.revision).toBe(`main@sha1:${second.commit}`);
    const bumped = await rest.get('/apis/apps/v1/namespaces/flux-system/deployments/source-controller');
    expect(bumped.spec.template.spec.containers[0].image).toBe('ghcr.io/fluxcd/source-controller:v1.9.3');
    expect(fs.existsSync(path.join(flow.clone, flow.clusterPath, 'workload.yaml'))).toBe(true);
    expect(await rest.get(`/api/v1/namespaces/default/configmaps/${workloadName}`)).not.toBeNull();

    // 4. destroy: Flux gone, the workload stays
    const gone = await flow.destroy();
    destroyed = true;
    expect(gone.status.gitRepository.exists).toBe(false);
    expect(gone.status.kustomization.exists).toBe(false);
    expect(gone.crdsLeft).toEqual([]);
    expect(gone.namespaceLeft).toBe(false);
    expect((await rest.get(`/api/v1/namespaces/default/configmaps/${workloadName}`))?.data).toEqual({ message: 'hello from git' });
    // with this instance's Deployments gone, the harness's stand-in for the kubelet stops the
    // controllers, as their pods would; a controller keeps running only while a Deployment of
    // its name remains elsewhere (another test of a shared harness): checked either way
    const seen = await controllersFollowDeployments();
    expect(seen.deployments.filter((d) => d.startsWith('flux-system/'))).toEqual([]);
    for (const [controller, state] of Object.entries(seen.states)) {
      expect(`${controller} ${state}`).toBe(
        `${controller} ${seen.deployments.some((d) => d.endsWith(`/${controller}`)) ? 'running' : 'stopped'}`,
      );
    }
  }

  /** Waits until the supervisor runs exactly the controllers that have a Deployment, and says
   *  which Deployments (namespace/name) and controller states it saw agree. */
  async function controllersFollowDeployments(
    timeoutMs = 60_000,
  ): Promise<{ deployments: string[]; states: Record<string, 'running' | 'stopped'> }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const deployments = (
        ((await rest.get('/apis/apps/v1/deployments'))?.items ?? []) as Array<{
          metadata: { name: string; namespace: string; deletionTimestamp?: string };
        }>
      )
        .filter((d) => !d.metadata.deletionTimestamp && ['source-controller', 'kustomize-controller'].includes(d.metadata.name))
        .map((d) => `${d.metadata.namespace}/${d.metadata.name}`);
      const states = Object.fromEntries(
        Object.entries(controllerStatus(flux).controllers).map(
          ([n, c]) => [n, c.state === 'running' || c.state === 'stopping' ? 'running' : 'stopped'] as const,
        ),
      );
      const agree =
        Object.entries(states).every(([n, st]) => (st === 'running') === deployments.some((d) => d.endsWith(`/${n}`))) &&
        Object.values(controllerStatus(flux).controllers).every((c) => c.state !== 'stopping');
      if (agree || Date.now() > deadline) return { deployments, states };
      await new Promise((r) => setTimeout(r, 250));
    }
  }
});
