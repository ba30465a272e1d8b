// harness: kube
// kube-controller-manager runs: a deleted namespace is emptied and finalized (not stuck in
// Terminating), and the garbage collector deletes objects whose owner is gone, in background
// and in foreground propagation. Without the controller manager both would hang forever.
import { kubeClient, statusOf, uniqueName, until } from '../harness/kube-client';

const gone = async (read: () => Promise<unknown>): Promise<true | undefined> => {
  try {
    await read();
    return undefined;
  } catch (e) {
    if (statusOf(e) === 404) return true;
    throw e;
  }
};

describe('kube-controller-manager', () => {
  const { k8s, kc } = kubeClient();
  const core = kc.makeApiClient(k8s.CoreV1Api);

  test('a deleted namespace is emptied and disappears', async () => {
    const name = uniqueName('doomed');
    await core.createNamespace({ body: { metadata: { name } } });
    await core.createNamespacedConfigMap({ namespace: name, body: { metadata: { name: 'content' }, data: { a: 'b' } } });
    await core.deleteNamespace({ name });
    // The namespace lifecycle: Terminating with the `kubernetes` finalizer until its content is gone.
    const ns = await core.readNamespace({ name }).catch(() => undefined);
    if (ns) expect(ns.status?.phase).toBe('Terminating');
    await until(`namespace ${name} finalized`, () => gone(() => core.readNamespace({ name })), 90_000);
    await expect(core.readNamespacedConfigMap({ namespace: name, name: 'content' })).rejects.toMatchObject({ code: 404 });
  });

  test.each(['Background', 'Foreground'])('garbage collection deletes an owned object (%s propagation)', async (propagationPolicy) => {
    const namespace = 'default';
    const owner = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: uniqueName('owner') } } });
    const child = await core.createNamespacedConfigMap({
      namespace,
      body: {
        metadata: {
          name: uniqueName('child'),
          ownerReferences: [
            { apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata!.name!, uid: owner.metadata!.uid!, blockOwnerDeletion: true },
          ],
        },
      },
    });
    await core.deleteNamespacedConfigMap({ namespace, name: owner.metadata!.name!, propagationPolicy });
    await until(
      `owned ConfigMap ${child.metadata!.name} collected`,
      () => gone(() => core.readNamespacedConfigMap({ namespace, name: child.metadata!.name! })),
      90_000,
    );
    await until(
      `owner ConfigMap ${owner.metadata!.name} deleted`,
      () => gone(() => core.readNamespacedConfigMap({ namespace, name: owner.metadata!.name! })),
      90_000,
    );
  });
});
