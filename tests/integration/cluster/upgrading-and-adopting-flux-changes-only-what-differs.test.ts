// Upgrades and adoption against a real kube-apiserver on a control plane of its own (see
// private-kube.ts): an upgrade writes only objects whose manifests changed, and an installation
// made by `flux bootstrap` (then re-applied by kustomize-controller) is adopted without a write.
import { applyObjects, countActions } from '../../../provider/cluster/apply';
import { connect, type Connection } from '../../../provider/cluster/connection';
import { assertAdoptable, detectInstallation } from '../../../provider/cluster/detect';
import { comparable, diffPaths } from '../../../provider/cluster/diff';
import { listInventory } from '../../../provider/cluster/inventory';
import { keyOf, refOf, type KubeObject } from '../../../provider/cluster/objects';
import { uninstall } from '../../../provider/cluster/uninstall';
import { isEmptyPlan, planApply } from '../../../provider/cluster/plan';
import { bootstrapOutput, renderInstall, renderSync } from './flux-fixture';
import { eventually, getObject, resourceVersions, seconds } from './helpers';
import { startPrivateKube, type PrivateKube } from './private-kube';

const log = (m: string) => process.stderr.write(`[cluster] ${m}\n`);
let kube: PrivateKube;
let conn: Connection;

beforeAll(async () => {
  kube = await startPrivateKube('upgrade');
  conn = await connect({ kubeconfigPath: kube.info.kubeconfig });
});

afterAll(async () => {
  conn?.close();
  await kube?.stop();
});

describe('upgrading Flux v2.8.5 to v2.9.3', () => {
  const NS = `up-${Date.now().toString(36)}`;
  let old: KubeObject[];
  let next: KubeObject[];

  test('writes only the objects whose manifests differ, each with the fields that differ', async () => {
    old = await renderInstall('v2.8.5', NS);
    next = await renderInstall('v2.9.3', NS);
    await applyObjects(conn, old);
    const before = await resourceVersions(conn, next);
    const oldByKey = new Map(old.map((o) => [keyOf(refOf(o)), o]));
    const t0 = Date.now();
    const results = await applyObjects(conn, next);
    const counts = countActions(results);
    const labelOnly = results.filter(
      (r) => r.action === 'configured' && r.changes.every((p) => p.endsWith('["app.kubernetes.io/version"]')),
    );
    log(
      `upgrade v2.8.5 -> v2.9.3 of ${next.length} objects in ${seconds(Date.now() - t0)}: ${JSON.stringify(counts)}, ` +
        `${labelOnly.length} of them only the app.kubernetes.io/version label`,
    );
    for (const r of results.filter((x) => x.action === 'configured' && !labelOnly.includes(x))) {
      const paths = r.changes.filter((p) => !p.endsWith('["app.kubernetes.io/version"]'));
      log(`  ${r.object}: ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` (+${paths.length - 3} more)` : ''}`);
    }
    const after = await resourceVersions(conn, next);
    for (const r of results) {
      const key = keyOf(r.ref);
      const was = oldByKey.get(key);
      if (!was) {
        expect(r.action).toBe('created');
        continue;
      }
      const manifestDiff = diffPaths(comparable(was), comparable(next.find((o) => keyOf(refOf(o)) === key) as KubeObject));
      if (manifestDiff.length === 0) {
        expect({ object: r.object, action: r.action }).toEqual({ object: r.object, action: 'unchanged' });
        expect(after.get(key)).toBe(before.get(key));
      } else {
        expect({ object: r.object, action: r.action }).toEqual({ object: r.object, action: 'configured' });
        // What the server changed is what the manifests changed (the server may default away some).
        for (const path of r.changes)
          expect({ object: r.object, path, inManifestDiff: manifestDiff.includes(path) }).toMatchObject({ inManifestDiff: true });
      }
    }
    // Every object carries app.kubernetes.io/version, so a version bump touches each one.
    expect(counts.configured).toBeGreaterThan(0);
    const deployment = results.find((r) => r.object === `Deployment/${NS}/source-controller`);
    expect(deployment?.changes).toEqual(expect.arrayContaining(['spec.template.spec.containers[name=manager].image']));
  });

  test('a second apply of v2.9.3 is a no-op', async () => {
    const results = await applyObjects(conn, next);
    expect(countActions(results)).toEqual({ created: 0, configured: 0, unchanged: next.length });
  });

  test('uninstall with keepNamespace removes Flux and keeps the namespace', async () => {
    const report = await uninstall(conn, { namespace: NS, keepNamespace: true });
    expect(report.deleted).not.toContain(`Namespace/${NS}`);
    expect(report.deleted).toContain(`Deployment/${NS}/source-controller`);
    // CRDs go asynchronously: the API server first deletes their custom resources.
    await eventually('only the namespace left', async () => (await listInventory(conn, NS)).length === 1, 120_000);
    const left = await listInventory(conn, NS);
    expect(left.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([`Namespace/${NS}`]);
  });

  test('installing again right after an uninstall waits for the CRDs and namespace still being deleted', async () => {
    await applyObjects(conn, next);
    await uninstall(conn, { namespace: NS });
    const sync = await renderSync(NS);
    const progress: string[] = [];
    const results = await applyObjects(conn, [...next, ...sync], { onProgress: (m) => progress.push(m) });
    expect(countActions(results)).toEqual({ created: next.length + sync.length, configured: 0, unchanged: 0 });
    expect(progress).toEqual(expect.arrayContaining([`Namespace/${NS} is being deleted; waiting for it to go before creating it again`]));
    const crd = await getObject(conn, next.find((o) => o.kind === 'CustomResourceDefinition') as KubeObject);
    expect(crd?.metadata.deletionTimestamp).toBeUndefined();
    await uninstall(conn, { namespace: NS });
    await eventually('Flux CRDs gone', async () => (await listInventory(conn, NS)).length === 0, 120_000);
  });
});

describe('adopting an installation made by flux bootstrap', () => {
  const NS = 'flux-system';
  const { components, sync } = bootstrapOutput();
  const objects = [...components, ...sync];
  // kustomize-controller re-applies gotk-components.yaml with its own manager and labels.
  const asKustomizeController = objects.map((o) => ({
    ...o,
    metadata: {
      ...o.metadata,
      labels: { ...(o.metadata.labels ?? {}), 'kustomize.toolkit.fluxcd.io/name': NS, 'kustomize.toolkit.fluxcd.io/namespace': NS },
    },
  }));

  beforeAll(async () => {
    await applyObjects(conn, objects, { fieldManager: 'flux' });
    await applyObjects(conn, asKustomizeController, { fieldManager: 'kustomize-controller' });
  });

  test('is detected as adoptable, with its version and controllers', async () => {
    const inst = await detectInstallation(conn, NS);
    expect(inst).toMatchObject({
      status: 'adoptable',
      owner: 'flux',
      version: 'v2.9.3',
      controllers: [
        'helm-controller',
        'image-automation-controller',
        'image-reflector-controller',
        'kustomize-controller',
        'notification-controller',
        'source-controller',
      ],
      fieldManagers: expect.arrayContaining(['flux', 'kustomize-controller']),
    });
    expect(() => assertAdoptable(inst)).not.toThrow();
  });

  test('applying the identical manifests changes nothing, not even managedFields', async () => {
    const before = await resourceVersions(conn, objects);
    expect(isEmptyPlan(await planApply(conn, objects, { namespace: NS }))).toBe(true);
    const results = await applyObjects(conn, objects);
    expect(countActions(results)).toEqual({ created: 0, configured: 0, unchanged: objects.length });
    expect(await resourceVersions(conn, objects)).toEqual(before);
  });
});

describe('installations managed by something else', () => {
  test('a Helm release is refused unless forced', async () => {
    const NS = 'flux-helm';
    const labels = { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/instance': NS, 'app.kubernetes.io/managed-by': 'Helm' };
    await applyObjects(
      conn,
      [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: {
            name: 'source-controller',
            namespace: NS,
            labels,
            annotations: { 'meta.helm.sh/release-name': 'flux2', 'meta.helm.sh/release-namespace': NS },
          },
          spec: {
            selector: { matchLabels: { app: 'source-controller' } },
            template: {
              metadata: { labels: { app: 'source-controller' } },
              spec: { containers: [{ name: 'manager', image: 'ghcr.io/fluxcd/source-controller:v1.9.3' }] },
            },
          },
        },
      ],
      { fieldManager: 'helm' },
    );
    const inst = await detectInstallation(conn, NS);
    expect(inst).toMatchObject({ status: 'foreign', owner: 'helm' });
    expect(() => assertAdoptable(inst)).toThrow(
      /refusing to adopt: Flux in flux-helm is managed by Helm .*meta\.helm\.sh\/release-name=flux2.*Fix: uninstall the Helm release/s,
    );
    expect(() => assertAdoptable(inst, true)).not.toThrow();
  });

  test('the Flux Operator (its FluxInstance CRD) is refused', async () => {
    await applyObjects(conn, [
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'fluxinstances.fluxcd.controlplane.io' },
        spec: {
          group: 'fluxcd.controlplane.io',
          scope: 'Namespaced',
          names: { kind: 'FluxInstance', listKind: 'FluxInstanceList', plural: 'fluxinstances', singular: 'fluxinstance' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      },
    ]);
    const inst = await detectInstallation(conn, 'flux-system');
    expect(inst).toMatchObject({ status: 'foreign', owner: 'flux-operator' });
    expect(() => assertAdoptable(inst)).toThrow(/managed by the Flux Operator.*Fix: manage Flux through the FluxInstance/s);
  });
});
