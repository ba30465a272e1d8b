// harness: flux-cli
// The engine's gotk-components.yaml and gotk-sync.yaml against what the real flux CLI of three
// releases (one per minor line) writes for the same options: byte for byte, one test per file,
// release and case. The CLI's outputs are cached per release (tests/harness/flux-cli-outputs.ts).
import { generateComponents, generateSync, loadDistribution, validateRender, type Distribution } from '../../provider/engine';
import { cliFiles, type CliCase } from '../harness/flux-cli-render';
import { DIFFERENTIAL_RELEASES, PROVEN_RELEASES, type FluxCliInfo } from '../harness/flux-cli';
import { harnessInfo } from '../harness/state';
import { firstDifference } from '../harness/first-difference';

const cli = harnessInfo<FluxCliInfo>('flux-cli');
const SSH = 'ssh://git@github.com/acme/fleet';

/** Every option the engine shares with `flux bootstrap`, each moved away from its default. */
const CASES: Record<string, Omit<CliCase, 'version'>> = {
  'all defaults': { url: SSH },
  'the six components over ssh on master (the radix-flux bootstrap)': {
    url: 'ssh://git@github.com/equinor/radix-flux',
    branch: 'master',
    path: 'clusters/development',
    componentsExtra: ['image-reflector-controller', 'image-automation-controller'],
  },
  'another namespace': { url: SSH, namespace: 'gitops', path: 'clusters/prod' },
  'the two required components only': { url: SSH, components: ['source-controller', 'kustomize-controller'] },
  'no notification-controller (no --events-addr)': {
    url: SSH,
    components: ['source-controller', 'kustomize-controller', 'helm-controller'],
  },
  'every extra component, source-watcher included': {
    url: SSH,
    componentsExtra: ['image-reflector-controller', 'image-automation-controller', 'source-watcher'],
  },
  'source-watcher without helm-controller': {
    url: SSH,
    components: ['source-controller', 'kustomize-controller', 'notification-controller'],
    componentsExtra: ['source-watcher'],
  },
  'a private registry with an image pull secret and credentials': {
    url: SSH,
    registry: 'registry.example.com:5000/mirror/fluxcd',
    imagePullSecret: 'regcred',
    registryCredentials: 'robot:t0ken',
  },
  "no registry: the manifests' own images": { url: SSH, registry: '' },
  'an image pull secret alone': { url: SSH, imagePullSecret: 'flux-pull' },
  'toleration keys': { url: SSH, tolerationKeys: ['node.kubernetes.io/not-ready', 'dedicated'] },
  'network policy off': { url: SSH, networkPolicy: false },
  'log level debug': { url: SSH, logLevel: 'debug' },
  'another cluster domain': { url: SSH, clusterDomain: 'k8s.internal.example' },
  'watching its own namespace only': { url: SSH, watchAllNamespaces: false },
  'an https URL and a branch with a slash': { url: 'https://git.example.com/fleet/infra.git', branch: 'release/v1' },
  'ssh on another port': { url: 'ssh://git@git.example.com:2222/fleet/infra', path: 'clusters/staging' },
  'a path written ./x': { url: SSH, path: './clusters/dev' },
  'a path written x/': { url: SSH, path: 'clusters/dev/' },
  'an interval of 90s': { url: SSH, interval: '90s' },
  'an interval of 1h': { url: SSH, interval: '1h' },
  'another secret name': { url: SSH, secretName: 'git-credentials' },
  'recursing into submodules': { url: SSH, recurseSubmodules: true },
  'everything at once': {
    url: 'https://git.example.com/fleet/infra.git',
    branch: 'prod',
    path: './clusters/eu/',
    namespace: 'flux',
    componentsExtra: ['image-reflector-controller', 'image-automation-controller', 'source-watcher'],
    registry: 'mirror.example.com/flux',
    imagePullSecret: 'pull',
    tolerationKeys: ['dedicated'],
    networkPolicy: false,
    logLevel: 'error',
    clusterDomain: 'cluster.example',
    watchAllNamespaces: false,
    interval: '5m',
    secretName: 'fleet-git',
    recurseSubmodules: true,
  },
};

const distributions = new Map<string, Promise<Distribution>>();
function distribution(release: (typeof DIFFERENTIAL_RELEASES)[number]): Promise<Distribution> {
  if (!distributions.has(release))
    distributions.set(release, loadDistribution({ version: release, source: cli.releases[release]!.manifests }));
  return distributions.get(release)!;
}

describe.each([...PROVEN_RELEASES])('flux %s', (release) => {
  describe.each(Object.entries(CASES))('%s', (_name, options) => {
    const c: CliCase = { version: release, ...options };
    let theirs: ReturnType<typeof cliFiles>;
    let opts: ReturnType<typeof validateRender>;
    beforeAll(() => {
      theirs = cliFiles(cli.releases[release]!.bin, c);
      opts = validateRender({ ...c });
    });

    test('gotk-components.yaml is what flux install --export writes', async () => {
      const ours = generateComponents(opts, await distribution(release));
      expect(firstDifference(ours, theirs['gotk-components.yaml'])).toBeNull();
    });

    test('gotk-sync.yaml is what flux create source git and kustomization write', () => {
      expect(firstDifference(generateSync(opts), theirs['gotk-sync.yaml'])).toBeNull();
    });
  });
});
