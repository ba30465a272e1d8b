// The FluxInstance spec is checked like every other option: the schema (types, enums, syntax)
// and the CRD's own rules, every problem at once, each naming the field, the value and the fix.
// The manifest written is the spec as given (the one default filled in is the registry, which
// the CRD requires), with its keys sorted as the YAML writer sorts them.
import { checkFluxInstance } from '../../../schema/flux-instance-checks';
import { instanceManifest, resolveInstanceVersion } from '../../../provider/operator/instance';

test('every problem is named at once, with its fix', () => {
  const r = checkFluxInstance({
    distribution: { version: 'latest', registry: 'ghcr.io/Flux' },
    components: ['source-controller', 'helm-controller'],
    cluster: { type: 'k3s', networkPolicy: 'yes' },
    sharding: { shards: ['a'], storage: 'persistent' },
    sync: { kind: 'GitRepository', url: 'git@github.com:acme/fleet', ref: 'main', path: '../up' },
    wait: true,
  });
  expect(r.errors.map((e) => e.message)).toEqual([
    'invalid wait true: is not a known option. Fix: remove it (known options: distribution, components, cluster, sharding, storage, kustomize, sync).',
    'invalid distribution.registry "ghcr.io/Flux": must be a registry host[:port] followed by a lowercase repository path. Fix: use e.g. "ghcr.io/fluxcd".',
    'invalid cluster.type "k3s": must be one of kubernetes, openshift, aws, azure, gcp. Fix: use e.g. "kubernetes".',
    'invalid cluster.networkPolicy "yes": must be a boolean. Fix: use true or false.',
    'invalid sync.path "../up": must be a relative path without ".." segments. Fix: use e.g. "clusters/prod".',
    // the rules of the fields that passed the schema still run
    'invalid components ["source-controller","helm-controller"]: must include kustomize-controller. Fix: add kustomize-controller.',
    'invalid sharding.storage "persistent": needs storage: persistent shards keep their artifacts on a volume. Fix: set storage {class, size}, or use "ephemeral".',
  ]);
  const semantic = checkFluxInstance({
    distribution: { version: 'latest' },
    components: ['source-controller', 'helm-controller'],
    sharding: { shards: ['a'], storage: 'persistent' },
    sync: { kind: 'GitRepository', url: 'git@github.com:acme/fleet', ref: 'main', path: 'clusters/a' },
  });
  expect(semantic.errors.map((e) => e.field)).toEqual(['distribution.version', 'components', 'sharding.storage', 'sync.url', 'sync.ref']);
});

test('the manifest is the FluxInstance flux in the namespace, the registry default filled in', () => {
  const spec = checkFluxInstance({
    distribution: { version: '2.x' },
    components: ['source-controller', 'kustomize-controller'],
    cluster: { type: 'kubernetes', multitenant: true, networkPolicy: true, domain: 'cluster.local' },
    sync: {
      kind: 'GitRepository',
      url: 'ssh://git@github.com/acme/fleet',
      ref: 'refs/heads/main',
      path: 'clusters/prod',
      pullSecret: 'flux-system',
    },
  }).value!;
  expect(instanceManifest(spec, 'flux-system')).toBe(
    [
      '---',
      'apiVersion: fluxcd.controlplane.io/v1',
      'kind: FluxInstance',
      'metadata:',
      '  name: flux',
      '  namespace: flux-system',
      'spec:',
      '  cluster:',
      '    domain: cluster.local',
      '    multitenant: true',
      '    networkPolicy: true',
      '    type: kubernetes',
      '  components:',
      '  - source-controller',
      '  - kustomize-controller',
      '  distribution:',
      '    registry: ghcr.io/fluxcd',
      '    version: 2.x',
      '  sync:',
      '    kind: GitRepository',
      '    path: clusters/prod',
      '    pullSecret: flux-system',
      '    ref: refs/heads/main',
      '    url: ssh://git@github.com/acme/fleet',
      '',
    ].join('\n'),
  );
});

test('a range matching none of the carried releases says which there are', () => {
  const spec = checkFluxInstance({ distribution: { version: '3.x' } }).value!;
  expect(() => resolveInstanceVersion(spec, ['v2.2.3', 'v2.9.5'], 'v0.59.0')).toThrow(
    'invalid instance.distribution.version "3.x": matches none of the Flux releases the operator v0.59.0 carries (v2.2.3 to v2.9.5). Fix: use a range that includes one of them, e.g. "2.x".',
  );
});
