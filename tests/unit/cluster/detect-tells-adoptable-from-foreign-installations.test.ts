import { assertAdoptable, judgeInstallation } from '../../../provider/cluster/detect';
import type { KubeObject } from '../../../provider/cluster/objects';

const NS = 'flux-system';
const fluxLabels = { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/instance': NS, 'app.kubernetes.io/version': 'v2.9.3' };

function deploy(
  name: string,
  labels: Record<string, string> = fluxLabels,
  managers = ['flux', 'kube-controller-manager'],
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels, annotations, managedFields: managers.map((manager) => ({ manager })) },
  };
}
const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: fluxLabels } };

describe('installation detection', () => {
  test('nothing there is absent', () => {
    expect(judgeInstallation(NS, undefined, [], undefined, undefined).status).toBe('absent');
  });

  test('flux bootstrap or the Terraform provider (managers flux, kustomize-controller) is adoptable', () => {
    const inst = judgeInstallation(
      NS,
      ns,
      [deploy('source-controller'), deploy('kustomize-controller', fluxLabels, ['kustomize-controller'])],
      undefined,
      undefined,
    );
    expect(inst).toMatchObject({
      status: 'adoptable',
      owner: 'flux',
      version: 'v2.9.3',
      controllers: ['kustomize-controller', 'source-controller'],
    });
    expect(() => assertAdoptable(inst)).not.toThrow();
  });

  test('a Helm release is refused unless forced, with how to proceed', () => {
    const inst = judgeInstallation(
      NS,
      ns,
      [
        deploy('source-controller', { ...fluxLabels, 'app.kubernetes.io/managed-by': 'Helm' }, ['helm'], {
          'meta.helm.sh/release-name': 'flux2',
        }),
      ],
      undefined,
      undefined,
    );
    expect(inst).toMatchObject({ status: 'foreign', owner: 'helm' });
    expect(() => assertAdoptable(inst)).toThrow(
      /refusing to adopt: Flux in flux-system is managed by Helm.*Fix: uninstall the Helm release/s,
    );
    expect(() => assertAdoptable(inst, true)).not.toThrow();
  });

  test('the Flux Operator, by its labels or its FluxInstance CRD, is refused', () => {
    const labelled = judgeInstallation(
      NS,
      ns,
      [deploy('source-controller', { ...fluxLabels, 'fluxcd.controlplane.io/name': 'flux' })],
      undefined,
      undefined,
    );
    expect(labelled).toMatchObject({ status: 'foreign', owner: 'flux-operator' });
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'fluxinstances.fluxcd.controlplane.io' },
    };
    expect(judgeInstallation(NS, ns, [deploy('source-controller')], undefined, crd)).toMatchObject({
      status: 'foreign',
      owner: 'flux-operator',
    });
  });

  test('controllers labelled for another instance are not ours to adopt', () => {
    const inst = judgeInstallation(
      NS,
      ns,
      [deploy('source-controller', { ...fluxLabels, 'app.kubernetes.io/instance': 'flux-other' })],
      undefined,
      undefined,
    );
    expect(inst.status).toBe('foreign');
  });
});
