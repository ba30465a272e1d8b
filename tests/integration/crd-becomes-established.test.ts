// harness: kube
// CustomResourceDefinitions work as on a real cluster: a new CRD becomes Established, its
// objects can then be created, and the CRD's OpenAPI schema is enforced. Flux's bootstrap
// applies its CRDs first and waits for exactly this before applying the rest.
import { kubeClient, statusOf, uniqueName, until } from '../harness/kube-client';

describe('a CustomResourceDefinition', () => {
  const { k8s, kc } = kubeClient();
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const group = 'harness.fluxbootstrap.test';
  const plural = uniqueName('widgets').replace(/-/g, '');
  const crdName = `${plural}.${group}`;

  afterAll(async () => {
    await ext.deleteCustomResourceDefinition({ name: crdName }).catch(() => undefined);
  });

  test('becomes Established, then accepts objects that match its schema', async () => {
    await ext.createCustomResourceDefinition({
      body: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: crdName },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural, singular: plural.replace(/s$/, ''), kind: 'Widget', listKind: 'WidgetList' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: { spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 } } } },
                },
              },
            },
          ],
        },
      },
    });
    const established = await until('CRD Established=True', async () => {
      const crd = await ext.readCustomResourceDefinition({ name: crdName });
      return crd.status?.conditions?.find((c) => c.type === 'Established' && c.status === 'True');
    });
    expect(established.reason).toBe('InitialNamesAccepted');

    // Discovery can lag Established by a moment; the first create is retried until it lands.
    const created = await until(
      'first custom object created',
      async () => {
        try {
          return await custom.createNamespacedCustomObject({
            group,
            version: 'v1',
            namespace: 'default',
            plural,
            body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'one' }, spec: { size: 3 } },
          });
        } catch (e) {
          if (statusOf(e) === 404) return undefined;
          throw e;
        }
      },
      30_000,
    );
    expect(created.metadata.uid).toBeTruthy();
    const read = await custom.getNamespacedCustomObject({ group, version: 'v1', namespace: 'default', plural, name: 'one' });
    expect(read.spec).toEqual({ size: 3 });
  });

  test('rejects objects that violate its schema with 422', async () => {
    const err = await custom
      .createNamespacedCustomObject({
        group,
        version: 'v1',
        namespace: 'default',
        plural,
        body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'bad' }, spec: { size: 0 } },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(statusOf(err)).toBe(422);
  });
});
