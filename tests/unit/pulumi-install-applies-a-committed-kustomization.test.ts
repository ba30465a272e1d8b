// A kustomization.yaml the user committed (the program does not manage it) changes what
// ControllerInstall applies, as `flux bootstrap` applies it: its strategic-merge and JSON6902
// patches (with target selectors) reach the objects; a file Flux could not build either is
// ignored rather than failing the preview.
import { withCommittedKustomization } from '../../provider/resources/committed-kustomization';
import * as controllerInstall from '../../provider/resources/controller-install';
import { renderDesired } from '../../provider/resources/engine-options';
import { UNKNOWN } from '../../provider/resources/common';
import { distributionDir } from '../harness/flux-reference';

const INSTALL = {
  version: 'v2.9.3',
  url: 'ssh://git@git.example.com/fleet',
  path: 'clusters/prod',
  distribution: distributionDir('v2.9.3'),
  cluster: { kubeconfig: 'apiVersion: v1' },
  credentials: { privateKey: 'x', publicKey: 'y', knownHosts: 'z' },
};

export const COMMITTED = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- gotk-components.yaml
- gotk-sync.yaml
patches:
- patch: |
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: source-controller
      namespace: flux-system
    spec:
      template:
        metadata:
          annotations:
            example.com/patched: "yes"
- patch: |
    - op: add
      path: /spec/template/spec/containers/0/args/-
      value: --requeue-dependency=5s
  target:
    kind: Deployment
    labelSelector: app.kubernetes.io/component=kustomize-controller
`;

type Obj = {
  kind: string;
  metadata: { name: string };
  spec: { template: { metadata: { annotations?: Record<string, string> }; spec: { containers: { args: string[] }[] } } };
};

test('the committed patches reach the objects and the hash; without the file nothing changes', async () => {
  const plain = await controllerInstall.check({}, INSTALL);
  const patched = await controllerInstall.check({}, { ...INSTALL, committedKustomization: COMMITTED });
  expect(patched.failures).toEqual([]);
  expect(patched.inputs.desiredHash).not.toBe(plain.inputs.desiredHash);
  expect((await controllerInstall.check({}, { ...INSTALL, committedKustomization: '' })).inputs.desiredHash).toBe(plain.inputs.desiredHash);

  const d = await renderDesired(
    withCommittedKustomization({ version: 'v2.9.3', url: INSTALL.url, path: INSTALL.path }, COMMITTED),
    INSTALL,
  );
  const deployment = (name: string) => (d.objects as unknown as Obj[]).find((o) => o.kind === 'Deployment' && o.metadata.name === name)!;
  expect(deployment('source-controller').spec.template.metadata.annotations).toMatchObject({
    'example.com/patched': 'yes',
    'prometheus.io/scrape': 'true',
  });
  expect(deployment('kustomize-controller').spec.template.spec.containers[0].args).toContain('--requeue-dependency=5s');
  expect(deployment('helm-controller').spec.template.spec.containers[0].args).not.toContain('--requeue-dependency=5s');
});

test('a kustomization the program manages wins; a file without our resources is ignored', () => {
  const managed = withCommittedKustomization({ kustomization: { patches: [] } }, COMMITTED);
  expect(managed).toEqual({ kustomization: { patches: [] } });
  expect(withCommittedKustomization({}, 'resources: [other.yaml]\n')).toEqual({});
});

test('unknown at a preview (SyncManifests has not read the repository): the plan uses the last one read, none at first; unstamped, and never "no change"', async () => {
  const plain = await controllerInstall.check({}, INSTALL);
  const first = await controllerInstall.check({}, { ...INSTALL, committedKustomization: UNKNOWN });
  expect(first.failures).toEqual([]);
  // a first preview plans the objects, as if the repository had no kustomization.yaml of its own
  expect(first.inputs.desiredHash).toBe(plain.inputs.desiredHash);
  expect(first.inputs.plan).toMatch(/^apply \d+ objects$/);
  expect(first.inputs.renderStamp).toBeUndefined();
  expect(first.inputs.committedKustomization).toBe(UNKNOWN);
  // later previews plan with the patches read last time
  const patched = await controllerInstall.check({}, { ...INSTALL, committedKustomization: COMMITTED });
  const later = await controllerInstall.check(patched.inputs, { ...INSTALL, committedKustomization: UNKNOWN });
  expect(later.inputs.desiredHash).toBe(patched.inputs.desiredHash);
  expect(later.inputs.plan).toBe('');
  // the same hash, but `up` reads the file again: the preview does not promise "no change"
  const d = await controllerInstall.diff(
    'https://127.0.0.1:6443/flux-system',
    { ...patched.inputs, objectsHash: patched.inputs.desiredHash, drift: [] },
    later.inputs,
  );
  expect(d.changes).toBe(true);
});

test('a strategic-merge patch without a target or namespace matches nothing in flux-system, as kustomize-controller says: the preview names it', async () => {
  const noNamespace = COMMITTED.replace('      namespace: flux-system\n', '');
  expect(noNamespace).not.toBe(COMMITTED);
  const r = await controllerInstall.check({}, { ...INSTALL, committedKustomization: noNamespace });
  expect(r.failures).toEqual([
    {
      property: 'kustomization',
      reason: expect.stringContaining(
        'matches no object (Deployment/source-controller; kustomize matches a patch without a target by kind, name and namespace, none meaning "default"). Fix: set kind, metadata.name and metadata.namespace (e.g. flux-system)',
      ),
    },
  ]);
});
