// The Bootstrap component: static inputs are validated before anything is registered (the
// message is the CLI's), and the resources are wired with Flux's defaults, the controllers of a
// first install going in beside the commit.
import * as pulumi from '@pulumi/pulumi';
import { Bootstrap, type BootstrapArgs } from '../../provider/pulumi';

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registered: Registered[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        const computed = {
          commit: args.type.endsWith(':SyncManifests') ? 'c0ffee' : undefined,
          preinstalled: args.type.endsWith(':ControllerPreinstall') ? 'https://k8s.example:6443/flux-system' : undefined,
        };
        return { id: `${args.name}-id`, state: { ...args.inputs, ...computed } };
      },
      call: () => ({}),
    },
    'project',
    'stack',
    false,
  );
});

const GITHUB: BootstrapArgs = {
  repository: { host: 'github', owner: 'acme', name: 'fleet', token: 'ghp_secret' },
  path: 'clusters/prod',
  version: 'v2.9.3',
  cluster: { kubeconfig: 'apiVersion: v1' },
};

function settled(o: pulumi.Output<unknown>): Promise<unknown> {
  return new Promise((resolve) => o.apply(resolve));
}

describe('Bootstrap', () => {
  test('bad static input fails at construction with every problem, as the CLI words it', () => {
    const args = {
      ...GITHUB,
      version: '2.9',
      namespace: 'Flux',
      repository: { host: 'github' as const, owner: 'acme', token: 't' },
      deployKey: { algorithm: 'rsa' as const, bits: 1000 },
    };
    expect(() => new Bootstrap('bad', args)).toThrow(
      [
        'invalid version "2.9": must be a Flux release "vX.Y.Z" (v2.5.0 or later) or "latest". Fix: use e.g. "v2.9.3".',
        'invalid namespace "Flux": must be a lowercase RFC 1123 label (a-z, 0-9, \'-\'). Fix: use e.g. "flux-system".',
        'missing repository.name: a value is required for host "github". Fix: give the repository name, e.g. "fleet".',
        'invalid deployKey.bits 1000: must be a multiple of 8 between 2048 and 16384. Fix: use 4096.',
      ].join('\n'),
    );
    expect(registered).toEqual([]);
  });

  test('plain git needs push credentials', () => {
    expect(() => new Bootstrap('bad', { ...GITHUB, repository: { host: 'git', url: 'ssh://git@h/fleet' } })).toThrow(
      'missing repository.push: a value is required. Fix: give {privateKey, knownHosts} of a key that may push, or {username, password}.',
    );
  });

  test('Outputs are not judged at construction: the resources check them later', () => {
    expect(() => new Bootstrap('later', { ...GITHUB, version: pulumi.output('2.9') })).not.toThrow();
  });

  test('composes Repository -> DeployKey -> SyncManifests (beside ControllerPreinstall) -> ControllerInstall with flux defaults', async () => {
    registered.length = 0;
    const b = new Bootstrap('prod', GITHUB);
    await settled(pulumi.all([b.install.urn, b.commit]));
    const mine = registered.filter((r) => r.name.startsWith('prod'));
    const types = mine.map((r) => r.type);
    // registration order follows when each one's inputs resolve: compare as a set
    expect([...types].sort()).toEqual([
      'flux-bootstrap:index:Bootstrap',
      'pulumi-nodejs:dynamic/flux-bootstrap:ControllerInstall',
      'pulumi-nodejs:dynamic/flux-bootstrap:ControllerPreinstall',
      'pulumi-nodejs:dynamic/flux-bootstrap:DeployKey',
      'pulumi-nodejs:dynamic/flux-bootstrap:Repository',
      'pulumi-nodejs:dynamic/flux-bootstrap:SyncManifests',
    ]);
    const of = (kind: string) => mine.find((r) => r.type.endsWith(`:${kind}`))!;
    const [repo, key, manifests, preinstall, install] = [
      'Repository',
      'DeployKey',
      'SyncManifests',
      'ControllerPreinstall',
      'ControllerInstall',
    ].map(of);
    expect(repo.inputs).toMatchObject({ host: 'github', owner: 'acme', name: 'fleet' });
    expect(key.inputs).toMatchObject({ title: 'flux-system-main-flux-system-./clusters/prod' });
    expect(manifests.inputs).toMatchObject({
      version: 'v2.9.3',
      path: 'clusters/prod',
      auth: secret({ username: 'git', password: 'ghp_secret' }),
    });
    expect(install.inputs).toMatchObject({
      version: 'v2.9.3',
      path: 'clusters/prod',
      commit: 'c0ffee',
      preinstalled: 'https://k8s.example:6443/flux-system',
    });
    expect(install.inputs).not.toHaveProperty('authorName');
    // the controllers need neither the commit nor the deploy key
    expect(preinstall.inputs).toMatchObject({
      version: 'v2.9.3',
      path: 'clusters/prod',
      cluster: secret({ kubeconfig: 'apiVersion: v1' }),
    });
    expect(preinstall.inputs).not.toHaveProperty('commit');
    expect(preinstall.inputs).not.toHaveProperty('credentials');
    expect(await settled(b.commit)).toBe('c0ffee');
  });

  test('secret inputs given as plain strings reach every resource marked secret; registry credentials reach only the install', async () => {
    registered.length = 0;
    const b = new Bootstrap('plain', {
      ...GITHUB,
      imagePullSecret: 'regcred',
      registryCredentials: 'robot:plain-password',
      deployKey: { passphrase: 'pass' },
    });
    await settled(pulumi.all([b.install.urn, b.commit]));
    const byType = (t: string) => registered.find((r) => r.name.startsWith('plain') && r.type.endsWith(`:${t}`))!.inputs;
    expect(byType('Repository').token).toEqual(secret('ghp_secret'));
    expect(byType('DeployKey')).toMatchObject({ token: secret('ghp_secret'), passphrase: secret('pass') });
    expect(byType('SyncManifests')).not.toHaveProperty('registryCredentials');
    expect(byType('ControllerPreinstall')).toMatchObject({
      registryCredentials: secret('robot:plain-password'),
      cluster: secret({ kubeconfig: 'apiVersion: v1' }),
    });
    expect(byType('ControllerInstall')).toMatchObject({
      registryCredentials: secret('robot:plain-password'),
      cluster: secret({ kubeconfig: 'apiVersion: v1' }),
      credentials: secret(expect.anything()),
    });
  });
});

/** How a value marked secret reaches the mocked engine. */
function secret(value: unknown): Record<string, unknown> {
  return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value };
}
