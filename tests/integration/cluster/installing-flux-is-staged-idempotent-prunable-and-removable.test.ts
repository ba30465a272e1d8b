// The cluster layer against a real kube-apiserver (v1.34, with kube-controller-manager for
// namespace deletion and garbage collection), on a control plane of its own (see private-kube.ts).
// There is no kubelet: Deployments never become available, so waits here check the Flux objects
// and turn the Deployment check off, except where its pending message is the point.
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { applyObjects, countActions } from '../../../provider/cluster/apply';
import { connect, type Connection } from '../../../provider/cluster/connection';
import { listInventory } from '../../../provider/cluster/inventory';
import { conditionOf, describeObject, keyOf, refOf, type KubeObject } from '../../../provider/cluster/objects';
import { isEmptyPlan, planApply } from '../../../provider/cluster/plan';
import { prune } from '../../../provider/cluster/prune';
import { applySecret } from '../../../provider/cluster/secret-apply';
import { uninstall } from '../../../provider/cluster/uninstall';
import { waitForReconciliation } from '../../../provider/cluster/wait';
import { Secret } from '../../../provider/secret';
import { ALL_COMPONENTS, renderInstall, renderSync } from './flux-fixture';
import { eventually, getObject, resourceVersions, seconds, setStatus } from './helpers';
import { startPrivateKube, type PrivateKube } from './private-kube';

const NS = `fx-${Date.now().toString(36)}`;
const REV = 'main@sha1:0123456789abcdef0123456789abcdef01234567';
const log = (m: string) => process.stderr.write(`[cluster] ${m}\n`);

let kube: PrivateKube;
let conn: Connection;
let objects: KubeObject[];
const timings: Record<string, string> = {};

beforeAll(async () => {
  objects = await renderInstall('v2.9.3', NS);
  kube = await startPrivateKube('lifecycle');
  conn = await connect({ kubeconfigPath: kube.info.kubeconfig });
});

afterAll(async () => {
  log(`timings: ${JSON.stringify(timings)}`);
  conn?.close();
  await kube?.stop();
});

describe('installing Flux v2.9.3 (all seven components) with server-side apply', () => {
  test('a fresh install creates every object, CRDs first, and leaves every CRD Established', async () => {
    expect(new Set(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name))).toEqual(new Set(ALL_COMPONENTS));
    const t0 = Date.now();
    const results = await applyObjects(conn, objects, { onProgress: () => undefined });
    timings.install = seconds(Date.now() - t0);
    log(`install of ${objects.length} objects: ${timings.install}`);
    expect(countActions(results)).toEqual({ created: objects.length, configured: 0, unchanged: 0 });
    expect(results.map((r) => r.object)).toEqual(objects.map(describeObject));
    for (const crd of objects.filter((o) => o.kind === 'CustomResourceDefinition')) {
      expect(conditionOf(await getObject(conn, crd), 'Established')?.status).toBe('True');
    }
  });

  test('applying the same objects again writes nothing: all unchanged, resourceVersions kept, empty plan', async () => {
    const before = await resourceVersions(conn, objects);
    const t0 = Date.now();
    const results = await applyObjects(conn, objects);
    timings.reapply = seconds(Date.now() - t0);
    log(`no-change re-apply of ${objects.length} objects: ${timings.reapply}`);
    expect(countActions(results)).toEqual({ created: 0, configured: 0, unchanged: objects.length });
    expect(await resourceVersions(conn, objects)).toEqual(before);
    const t1 = Date.now();
    const plan = await planApply(conn, objects, { namespace: NS });
    timings.plan = seconds(Date.now() - t1);
    expect(isEmptyPlan(plan)).toBe(true);
    expect(plan.unchanged).toHaveLength(objects.length);
  });

  test('a plan names the changed fields of a modified object and writes nothing', async () => {
    const changed = structuredClone(objects);
    const deploy = changed.find((o) => o.kind === 'Deployment' && o.metadata.name === 'source-controller') as KubeObject;
    const container = (deploy.spec as { template: { spec: { containers: { name: string; args: string[] }[] } } }).template.spec
      .containers[0];
    const index = container.args.findIndex((a) => a.startsWith('--log-level='));
    container.args[index] = '--log-level=debug';
    const before = await resourceVersions(conn, objects);
    const plan = await planApply(conn, changed, { namespace: NS });
    expect(plan.create).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.update).toEqual([
      { object: `Deployment/${NS}/source-controller`, changes: [`spec.template.spec.containers[name=manager].args[${index}]`] },
    ]);
    expect(await resourceVersions(conn, objects)).toEqual(before);
  });
});

describe('pruning', () => {
  test('removing a component deletes exactly its objects and nothing else', async () => {
    const desired = await renderInstall(
      'v2.9.3',
      NS,
      ALL_COMPONENTS.filter((c) => c !== 'image-automation-controller'),
    );
    const wanted = new Set(desired.map((o) => keyOf(refOf(o))));
    const expected = objects
      .filter((o) => !wanted.has(keyOf(refOf(o))))
      .map(describeObject)
      .sort();
    expect(expected).toEqual([
      'CustomResourceDefinition/imageupdateautomations.image.toolkit.fluxcd.io',
      `Deployment/${NS}/image-automation-controller`,
      `ServiceAccount/${NS}/image-automation-controller`,
    ]);
    const plan = await planApply(conn, desired, { namespace: NS });
    expect([...plan.delete].sort()).toEqual(expected);

    const inventory = await listInventory(conn, NS, desired);
    expect(inventory).toHaveLength(objects.length);
    const result = await prune(conn, { namespace: NS, desired, inventory });
    expect([...result.deleted].sort()).toEqual(expected);
    await eventually('pruned objects gone', async () => {
      const rv = await resourceVersions(
        conn,
        objects.filter((o) => !wanted.has(keyOf(refOf(o)))),
      );
      return [...rv.values()].every((v) => v === undefined);
    });
    const left = await listInventory(conn, NS, desired);
    expect(left.map((o) => keyOf({ ...refOf(o), namespace: undefined })).sort()).toEqual(
      desired.map((o) => keyOf({ ...refOf(o), namespace: undefined })).sort(),
    );
  });
});

describe('the source secret', () => {
  const secret = (identity: string) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: NS, namespace: NS },
    stringData: {
      identity: new Secret(identity),
      'identity.pub': 'ecdsa-sha2-nistp384 AAAA',
      known_hosts: 'example.invalid ecdsa-sha2-nistp384 AAAA',
    },
  });

  test('is created, kept when unchanged, updated when the key changes; results never carry values', async () => {
    expect((await applySecret(conn, secret('KEY-1'))).action).toBe('created');
    expect((await applySecret(conn, secret('KEY-1'))).action).toBe('unchanged');
    const updated = await applySecret(conn, secret('KEY-2'));
    expect(updated).toMatchObject({ action: 'configured', changes: ['data.identity'] });
    expect(JSON.stringify(updated)).not.toContain('KEY-2');
    const live = await getObject(conn, secret('x'));
    expect(Buffer.from((live?.data as Record<string, string>).identity, 'base64').toString()).toBe('KEY-2');
  });

  test('the image pull secret is a kubernetes.io/dockerconfigjson Secret', async () => {
    const pull = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/dockerconfigjson',
      metadata: { name: 'regcred', namespace: NS },
      stringData: {
        '.dockerconfigjson': JSON.stringify({
          auths: { 'ghcr.io': { username: 'u', password: 'p', auth: Buffer.from('u:p').toString('base64') } },
        }),
      },
    };
    expect((await applySecret(conn, pull)).action).toBe('created');
    expect((await getObject(conn, pull))?.type).toBe('kubernetes.io/dockerconfigjson');
  });
});

describe('waiting for reconciliation', () => {
  let gitRepository: KubeObject;
  let kustomization: KubeObject;
  const readyStatus = (status: 'True' | 'False' | 'Unknown', reason: string, message: string, extra: Record<string, unknown>) => ({
    observedGeneration: 1,
    conditions: [{ type: 'Ready', status, reason, message, lastTransitionTime: new Date().toISOString(), observedGeneration: 1 }],
    ...extra,
  });
  const noDeployments = { deployments: false, gitRepository: true, kustomization: true };

  beforeAll(async () => {
    [gitRepository, kustomization] = await renderSync(NS);
    await applyObjects(conn, [gitRepository, kustomization]);
    await setStatus(
      conn,
      gitRepository,
      readyStatus('True', 'Succeeded', 'stored artifact', {
        artifact: { revision: REV, path: 'x', url: 'http://x', digest: 'sha256:0', lastUpdateTime: new Date().toISOString() },
      }),
    );
  });

  test('fails fast when the Kustomization reports Ready=False, with the controller message', async () => {
    await setStatus(
      conn,
      kustomization,
      readyStatus('False', 'ArtifactFailed', 'kustomization path not found: stat /tmp/x/clusters/test: no such file or directory', {}),
    );
    const t0 = Date.now();
    await expect(
      waitForReconciliation(conn, { namespace: NS, revision: REV, checks: noDeployments, timeoutMs: 60_000, pollMs: 200 }),
    ).rejects.toThrow(
      /Kustomization .*: the Kustomization's path is not in the repository .*\(Flux says ArtifactFailed: kustomization path not found.*Fix: check path and branch/,
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  test('times out naming what is still pending', async () => {
    await setStatus(conn, kustomization, readyStatus('Unknown', 'Progressing', 'Reconciliation in progress', {}));
    const progress: string[] = [];
    await expect(
      waitForReconciliation(conn, {
        namespace: NS,
        revision: REV,
        checks: noDeployments,
        timeoutMs: 1_500,
        pollMs: 200,
        onProgress: (m) => progress.push(m),
      }),
    ).rejects.toThrow(
      new RegExp(
        `timed out after 2s waiting for Flux to reconcile; still pending: Kustomization ${NS}/${NS}: Progressing \\(Reconciliation in progress\\)`,
      ),
    );
    expect(progress[0]).toMatch(/^waiting: Kustomization/);
  });

  test('succeeds when both are Ready at the expected revision', async () => {
    await setStatus(
      conn,
      kustomization,
      readyStatus('True', 'ReconciliationSucceeded', `Applied revision: ${REV}`, { lastAppliedRevision: REV, lastAttemptedRevision: REV }),
    );
    const result = await waitForReconciliation(conn, {
      namespace: NS,
      revision: REV,
      checks: noDeployments,
      timeoutMs: 10_000,
      pollMs: 200,
    });
    expect(result.ready).toHaveLength(2);
  });

  test('a different expected revision keeps it pending', async () => {
    await expect(
      waitForReconciliation(conn, {
        namespace: NS,
        revision: `main@sha1:${'f'.repeat(40)}`,
        checks: noDeployments,
        timeoutMs: 800,
        pollMs: 200,
      }),
    ).rejects.toThrow(/artifact revision is main@sha1:0123/);
  });

  test('without a kubelet the controller Deployments stay pending, and the timeout says so', async () => {
    await expect(waitForReconciliation(conn, { namespace: NS, revision: REV, timeoutMs: 800, pollMs: 200 })).rejects.toThrow(
      /still pending: Deployment .*source-controller/,
    );
  });

  test('a suspended Kustomization fails at once', async () => {
    await applyObjects(conn, [{ ...kustomization, spec: { ...(kustomization.spec as object), suspend: true } }]);
    await expect(
      waitForReconciliation(conn, { namespace: NS, revision: REV, checks: noDeployments, timeoutMs: 30_000, pollMs: 200 }),
    ).rejects.toThrow(/is suspended/);
  });
});

describe('uninstalling', () => {
  const apps = `${NS}-apps`;
  const workload: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'web',
      namespace: apps,
      labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': NS },
    },
    data: { owner: 'flux' },
  };
  const appsKustomization: KubeObject = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: NS, finalizers: ['finalizers.fluxcd.io'] },
    spec: { interval: '10m', path: './apps', prune: true, sourceRef: { kind: 'GitRepository', name: NS } },
  };

  test('removes Flux, keeps what Flux deployed, and strips finalizers so nothing hangs', async () => {
    await applyObjects(conn, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: apps } }, workload, appsKustomization]);
    const progress: string[] = [];
    const report = await uninstall(conn, { namespace: NS, onProgress: (m) => progress.push(m) });
    expect(report.suspended).toContain(`Kustomization/${NS}/apps`);
    expect(report.finalizersRemoved).toContain(`Kustomization/${NS}/apps`);
    expect(report.deleted).toEqual(
      expect.arrayContaining([
        `Deployment/${NS}/source-controller`,
        `ClusterRole/crd-controller-${NS}`,
        `ClusterRoleBinding/cluster-reconciler-${NS}`,
        'CustomResourceDefinition/kustomizations.kustomize.toolkit.fluxcd.io',
        `Namespace/${NS}`,
      ]),
    );
    await eventually('Flux CRDs gone', async () => (await listInventory(conn, NS)).length === 0, 120_000);
    await eventually(`namespace ${NS} gone`, async () => (await conn.getOrUndefined(`/api/v1/namespaces/${NS}`)) === undefined, 120_000);
    expect((await getObject(conn, workload))?.data).toEqual({ owner: 'flux' });
  });

  test('a second uninstall finds nothing to do and does not fail', async () => {
    const report = await uninstall(conn, { namespace: NS });
    expect(report).toEqual({ suspended: [], finalizersRemoved: [], deleted: [] });
  });
});

describe('credentials', () => {
  test('a rejected token says so and how to fix it', async () => {
    await expect(connect({ host: kube.info.server, caPem: kube.info.ca, token: 'not-the-token' })).rejects.toThrow(
      /GET \/version: .*\(HTTP 401 from https:\/\/127\.0\.0\.1:\d+\)\. Fix: the credentials were rejected/,
    );
  });

  test('inline host, CA and token work like the kubeconfig', async () => {
    const inline = await connect({ host: kube.info.server, caPem: kube.info.ca, token: new Secret(kube.info.token) });
    try {
      expect(inline.serverVersion).toBe(kube.info.version);
    } finally {
      inline.close();
    }
  });

  test('kubeconfig content (YAML or JSON, as a Pulumi k8s.Provider outputs it) works as is', async () => {
    const yamlText = fs.readFileSync(kube.info.kubeconfig, 'utf8');
    for (const kubeconfig of [yamlText, JSON.stringify(parse(yamlText))]) {
      const c = await connect({ kubeconfig: new Secret(kubeconfig), context: 'harness' });
      try {
        expect(c.serverVersion).toBe(kube.info.version);
      } finally {
        c.close();
      }
    }
  });

  test('an exec plugin supplies the token, as aws/gcloud plugins do', async () => {
    const credential =
      'process.stdout.write(JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status: { token: process.env.HARNESS_TOKEN } }))';
    const c = await connect({
      host: kube.info.server,
      caPem: kube.info.ca,
      exec: { command: process.execPath, args: ['-e', credential], env: { HARNESS_TOKEN: kube.info.token } },
    });
    try {
      expect(await c.request({ method: 'GET', path: '/api/v1/namespaces/default' })).toMatchObject({ kind: 'Namespace' });
    } finally {
      c.close();
    }
  });

  test('a wrong CA fails TLS verification with a clear message', async () => {
    await expect(connect({ host: kube.info.server, token: kube.info.token })).rejects.toThrow(
      /cannot verify the TLS certificate of the Kubernetes API at https:\/\/127\.0\.0\.1:\d+.*Fix: give the CA/,
    );
  });
});
