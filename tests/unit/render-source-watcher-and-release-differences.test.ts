// source-watcher's wiring and the generator differences between Flux releases, as recorded in
// provider/generate/generator-versions.ts (flux2#5440, #5519, #5573, #5574).
import {
  componentObjects,
  generateComponents,
  generatorTraits,
  makeDistribution,
  validateRender,
  type KubeObject,
} from '../../provider/engine';
import { distribution, GOLDEN_OPTIONS } from './support/reference';

const WITH_WATCHER = {
  ...GOLDEN_OPTIONS,
  componentsExtra: ['image-reflector-controller', 'image-automation-controller', 'source-watcher'],
};

function deployment(objects: KubeObject[], name: string): any {
  return objects.find((o) => o.kind === 'Deployment' && (o.metadata as any).name === name);
}

describe('source-watcher (v2.9.3)', () => {
  let objects: KubeObject[];
  let text: string;
  beforeAll(async () => {
    const dist = await distribution('v2.9.3');
    objects = componentObjects(validateRender(WITH_WATCHER), dist);
    text = generateComponents(validateRender(WITH_WATCHER), dist);
  });

  test('is listed last in the header', () => {
    expect(text.split('\n')[3]).toBe(
      '# Components: source-controller,kustomize-controller,helm-controller,notification-controller,image-reflector-controller,image-automation-controller,source-watcher',
    );
  });

  test('advertises its own storage address and sends events to notification-controller', () => {
    expect(deployment(objects, 'source-watcher').spec.template.spec.containers[0].args).toEqual([
      '--events-addr=http://notification-controller.$(RUNTIME_NAMESPACE).svc.cluster.local./',
      '--watch-all-namespaces=true',
      '--log-level=info',
      '--log-encoding=json',
      '--enable-leader-election',
      '--storage-path=/data',
      '--storage-adv-addr=source-watcher.$(RUNTIME_NAMESPACE).svc.cluster.local.',
    ]);
    expect(deployment(objects, 'source-watcher').spec.template.spec.containers[0].image).toBe('ghcr.io/fluxcd/source-watcher:v2.2.2');
  });

  test('turns on the ExternalArtifact feature gate of kustomize-controller and helm-controller only', () => {
    for (const name of ['kustomize-controller', 'helm-controller']) {
      expect(deployment(objects, name).spec.template.spec.containers[0].args.at(-1)).toBe('--feature-gates=ExternalArtifact=true');
    }
    expect(text.split('--feature-gates=ExternalArtifact=true').length - 1).toBe(2);
  });

  test('without source-watcher no feature gate is added', async () => {
    const plain = generateComponents(validateRender(GOLDEN_OPTIONS), await distribution('v2.9.3'));
    expect(plain).not.toContain('--feature-gates');
  });
});

describe('generator differences between releases', () => {
  test('the table: legacy before v2.7.0, the #5573 bug in v2.7.0-v2.7.1, current from v2.7.2', () => {
    expect(generatorTraits('v2.6.3')).toEqual({
      podTemplateLabels: false,
      eventsAddrRuntimeNamespace: false,
      sourceWatcherStorageHost: 'source-controller',
      externalArtifactGate: false,
    });
    expect(generatorTraits('v2.7.1')).toEqual({
      podTemplateLabels: true,
      eventsAddrRuntimeNamespace: false,
      sourceWatcherStorageHost: 'source-controller',
      externalArtifactGate: true,
    });
    expect(generatorTraits('v2.7.5')).toEqual({
      podTemplateLabels: true,
      eventsAddrRuntimeNamespace: true,
      sourceWatcherStorageHost: 'source-watcher',
      externalArtifactGate: true,
    });
    expect(() => generatorTraits('v2.4.0')).toThrow('no generator behaviour recorded for Flux v2.4.0');
  });

  // The same manifests rendered as if they were older releases isolate the generator's behaviour.
  async function renderAs(version: string, extra: Record<string, unknown> = {}): Promise<KubeObject[]> {
    const files = (await distribution('v2.8.5')).files;
    return componentObjects(validateRender({ ...GOLDEN_OPTIONS, version, ...extra }), makeDistribution(version, { ...files }, 'test'));
  }

  test('up to v2.6.x pod templates keep their own labels and --events-addr names the namespace', async () => {
    const objects = await renderAs('v2.6.0', { namespace: 'gitops' });
    const d = deployment(objects, 'kustomize-controller');
    expect(d.metadata.labels['app.kubernetes.io/instance']).toBe('gitops');
    expect(d.spec.template.metadata.labels).toEqual({
      app: 'kustomize-controller',
      'app.kubernetes.io/component': 'kustomize-controller',
      'app.kubernetes.io/part-of': 'flux',
    });
    expect(d.spec.template.spec.containers[0].args[0]).toBe('--events-addr=http://notification-controller.gitops.svc.cluster.local./');
  });

  test('from v2.7.x pod templates carry instance, version and part-of', async () => {
    const d = deployment(await renderAs('v2.7.5'), 'kustomize-controller');
    expect(d.spec.template.metadata.labels).toEqual({
      app: 'kustomize-controller',
      'app.kubernetes.io/component': 'kustomize-controller',
      'app.kubernetes.io/instance': 'flux-system',
      'app.kubernetes.io/part-of': 'flux',
      'app.kubernetes.io/version': 'v2.7.5',
    });
  });

  test("v2.7.0 and v2.7.1 pointed source-watcher at source-controller's storage address (flux2#5573)", async () => {
    const args = deployment(await renderAs('v2.7.1', { componentsExtra: ['source-watcher'] }), 'source-watcher').spec.template.spec
      .containers[0].args;
    expect(args[6]).toBe('--storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.');
    expect(args[0]).toBe('--events-addr=http://notification-controller.flux-system.svc.cluster.local./');
  });
});
