// Every bad input is refused with one message naming the field, the value, the rule and a fix.
import { inspect } from 'node:util';
import { checkBootstrap, InputErrors, Secret, validateRender } from '../../provider/engine';

const BASE = { version: 'v2.9.3', url: 'ssh://git@github.com/org/fleet' };
const ALL_COMPONENTS =
  'source-controller, kustomize-controller, helm-controller, notification-controller, image-reflector-controller, image-automation-controller, source-watcher';
const URL_RULE =
  'must be an ssh://, https:// or http:// Git URL with a host and no password. Fix: use e.g. "ssh://git@github.com/org/repo" (scp-style "git@host:org/repo" is not accepted by Flux).';
const BRANCH_RULE =
  'must be a valid Git branch name (no spaces, control characters, "..", "~", "^", ":", "?", "*", "[", "\\", "@{"; not starting with "-" or "/"; not ending with "/", "." or ".lock"). Fix: use e.g. "main".';
const LONG = 'a'.repeat(64);

const cases: [string, Record<string, unknown>, string][] = [
  [
    'namespace with capitals and underscore',
    { namespace: 'Flux_System' },
    `invalid namespace "Flux_System": must be a lowercase RFC 1123 label (a-z, 0-9, '-'). Fix: use e.g. "flux-system".`,
  ],
  [
    'namespace longer than 63 characters',
    { namespace: LONG },
    `invalid namespace "${LONG}": must be at most 63 characters. Fix: use e.g. "flux-system".`,
  ],
  [
    'namespace starting with a dash',
    { namespace: '-flux' },
    `invalid namespace "-flux": must be a lowercase RFC 1123 label (a-z, 0-9, '-'). Fix: use e.g. "flux-system".`,
  ],
  [
    'namespace YAML reads as a number',
    { namespace: '123' },
    'invalid namespace "123": must not read as a YAML number, boolean or null: Flux writes it unquoted into its templates. Fix: use a name with a letter, e.g. "flux-system".',
  ],
  [
    'namespace YAML 1.1 reads as a boolean',
    { namespace: 'yes' },
    'invalid namespace "yes": must not read as a YAML number, boolean or null: Flux writes it unquoted into its templates. Fix: use a name with a letter, e.g. "flux-system".',
  ],
  [
    'version without the v',
    { version: '2.9.3' },
    'invalid version "2.9.3": must be a Flux release "vX.Y.Z" (v2.5.0 or later) or "latest". Fix: use e.g. "v2.9.3".',
  ],
  [
    'version without a patch number',
    { version: 'v2.9' },
    'invalid version "v2.9": must be a Flux release "vX.Y.Z" (v2.5.0 or later) or "latest". Fix: use e.g. "v2.9.3".',
  ],
  [
    'version older than v2.5.0',
    { version: 'v2.4.9' },
    'invalid version "v2.4.9": must be v2.5.0 or later: older releases used a generator this engine does not reproduce. Fix: use e.g. "v2.9.3".',
  ],
  [
    'unknown component',
    { components: ['source-controller', 'kustomize-controller', 'flagger'] },
    `invalid components[2] "flagger": must be one of ${ALL_COMPONENTS}. Fix: use only known component names.`,
  ],
  [
    'repeated component',
    { components: ['source-controller', 'kustomize-controller', 'source-controller'] },
    'invalid components ["source-controller","kustomize-controller","source-controller"]: must not list "source-controller" twice. Fix: remove the second "source-controller".',
  ],
  [
    'components without kustomize-controller',
    { components: ['source-controller', 'helm-controller'] },
    'invalid components ["source-controller","helm-controller"]: must include source-controller and kustomize-controller: Flux needs them to reconcile itself. Fix: add "kustomize-controller".',
  ],
  [
    'a default controller as an extra',
    { componentsExtra: ['helm-controller'] },
    'invalid componentsExtra[0] "helm-controller": must be one of image-reflector-controller, image-automation-controller, source-watcher. Fix: list the default controllers under components instead.',
  ],
  [
    'an extra already listed in components',
    {
      components: ['source-controller', 'kustomize-controller', 'image-reflector-controller'],
      componentsExtra: ['image-reflector-controller'],
    },
    'invalid componentsExtra ["image-reflector-controller"]: must not repeat "image-reflector-controller", which components already lists. Fix: remove "image-reflector-controller" from componentsExtra.',
  ],
  [
    'source-watcher before v2.7.0',
    { version: 'v2.6.3', componentsExtra: ['source-watcher'] },
    'invalid componentsExtra ["source-watcher"]: must not include "source-watcher" before Flux v2.7.0 (v2.6.3 does not ship it). Fix: use version "v2.7.0" or later, or remove "source-watcher".',
  ],
  [
    'cluster domain with capitals',
    { clusterDomain: 'Cluster.Local' },
    'invalid clusterDomain "Cluster.Local": must be a lowercase DNS domain without a trailing dot. Fix: use e.g. "cluster.local".',
  ],
  [
    'cluster domain with a trailing dot',
    { clusterDomain: 'cluster.local.' },
    'invalid clusterDomain "cluster.local.": must be a lowercase DNS domain without a trailing dot. Fix: use e.g. "cluster.local".',
  ],
  ['network policy as a word', { networkPolicy: 'yes' }, 'invalid networkPolicy "yes": must be a boolean. Fix: use true or false.'],
  [
    'watch-all-namespaces as a number',
    { watchAllNamespaces: 1 },
    'invalid watchAllNamespaces 1: must be a boolean. Fix: use true or false.',
  ],
  [
    'log level flux does not have',
    { logLevel: 'warn' },
    'invalid logLevel "warn": must be one of debug, info, error. Fix: use e.g. "info".',
  ],
  [
    'registry with an upper-case path',
    { registry: 'ghcr.io/FluxCD' },
    'invalid registry "ghcr.io/FluxCD": must be a registry host[:port] followed by a lowercase repository path. Fix: use e.g. "ghcr.io/fluxcd" or "registry.example.com:5000/fluxcd".',
  ],
  [
    'registry with a trailing slash',
    { registry: 'ghcr.io/fluxcd/' },
    'invalid registry "ghcr.io/fluxcd/": must be a registry host[:port] followed by a lowercase repository path. Fix: use e.g. "ghcr.io/fluxcd" or "registry.example.com:5000/fluxcd".',
  ],
  [
    'image pull secret with an underscore',
    { imagePullSecret: 'reg_cred' },
    `invalid imagePullSecret "reg_cred": must be a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.'). Fix: use e.g. "flux-registry".`,
  ],
  [
    'registry credentials without a colon',
    { imagePullSecret: 'regcred', registryCredentials: 'robot-token' },
    `invalid registryCredentials [secret]: must be "user:password" with exactly one ':' and both parts non-empty. Fix: pass the credentials as "user:password".`,
  ],
  [
    'registry credentials without an image pull secret',
    { registryCredentials: new Secret('robot:s3cr3t') },
    'invalid registryCredentials [secret]: needs imagePullSecret: the credentials are stored in that Secret. Fix: set imagePullSecret, e.g. "flux-registry".',
  ],
  [
    'toleration key with a space',
    { tolerationKeys: ['bad key'] },
    'invalid tolerationKeys[0] "bad key": must be a Kubernetes taint key ([prefix/]name). Fix: use e.g. "node-role.kubernetes.io/control-plane".',
  ],
  [
    'repeated toleration key',
    { tolerationKeys: ['gpu', 'gpu'] },
    'invalid tolerationKeys ["gpu","gpu"]: must not list "gpu" twice. Fix: remove the second "gpu".',
  ],
  ['scp-style Git URL', { url: 'git@github.com:org/fleet' }, `invalid url "git@github.com:org/fleet": ${URL_RULE}`],
  ['Git URL with an unsupported scheme', { url: 'ftp://example.com/fleet' }, `invalid url "ftp://example.com/fleet": ${URL_RULE}`],
  [
    'Git URL with a password in it',
    { url: 'https://bot:hunter2@example.com/fleet.git' },
    `invalid url "https://bot:hunter2@example.com/fleet.git": ${URL_RULE}`,
  ],
  ['branch with ..', { branch: 'feature..x' }, `invalid branch "feature..x": ${BRANCH_RULE}`],
  ['branch starting with a dash', { branch: '-main' }, `invalid branch "-main": ${BRANCH_RULE}`],
  [
    'absolute path',
    { path: '/clusters/prod' },
    'invalid path "/clusters/prod": must be a relative path inside the repository without ".." segments. Fix: use e.g. "clusters/production".',
  ],
  [
    'path escaping the repository',
    { path: 'clusters/../../etc' },
    'invalid path "clusters/../../etc": must be a relative path inside the repository without ".." segments. Fix: use e.g. "clusters/production".',
  ],
  [
    'interval in days',
    { interval: '1d' },
    'invalid interval "1d": must be a positive Go duration made of h, m, s and ms parts. Fix: use e.g. "1m0s" or "90s".',
  ],
  ['zero interval', { interval: '0s' }, 'invalid interval "0s": must be at least 1ms. Fix: use e.g. "1m0s" or "90s".'],
  [
    'secret name with a space',
    { secretName: 'flux system' },
    `invalid secretName "flux system": must be a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.'). Fix: use e.g. "flux-system".`,
  ],
  [
    'recurse-submodules as a string',
    { recurseSubmodules: 'true' },
    'invalid recurseSubmodules "true": must be a boolean. Fix: use true or false.',
  ],
  [
    'misspelt option',
    { nameSpace: 'flux-system' },
    'invalid nameSpace "flux-system": is not a known option. Fix: rename it to "namespace".',
  ],
  [
    'author e-mail without @',
    { authorEmail: 'flux.example.com' },
    'invalid authorEmail "flux.example.com": must be an e-mail address like "name@example.com". Fix: use e.g. "flux@example.com".',
  ],
  [
    'kustomization with both patches and content',
    { kustomization: { patches: [], content: 'kind: Kustomization\n' } },
    'invalid kustomization {"patches":[],"content":"kind: Kustomization\\n"}: must set either patches or content, not both. Fix: keep one of patches and content.',
  ],
];

describe('a single bad input gives exactly one message', () => {
  test.each(cases)('%s', (_name, bad, message) => {
    const { value, errors } = checkBootstrap({ ...BASE, ...bad });
    expect(value).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([message]);
  });

  test('there are at least 25 of them', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });
});

test('a missing url names the field and an example', () => {
  expect(checkBootstrap({ version: 'v2.9.3' }).errors.map((e) => e.message)).toEqual([
    'missing url: a value is required. Fix: use e.g. "ssh://git@github.com/org/repo" (scp-style "git@host:org/repo" is not accepted by Flux).',
  ]);
});

test('options that are not an object are refused', () => {
  expect(checkBootstrap('v2.9.3').errors.map((e) => e.message)).toEqual([
    'invalid options "v2.9.3": must be an object. Fix: pass the options as an object.',
  ]);
});

test('all problems are reported together, with field, value, reason and remedy', () => {
  let thrown: unknown;
  try {
    validateRender({ ...BASE, namespace: 'Flux_System', logLevel: 'trace', interval: 'soon' });
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(InputErrors);
  const errors = (thrown as InputErrors).errors;
  expect(errors.map((e) => [e.field, e.value])).toEqual([
    ['namespace', 'Flux_System'],
    ['logLevel', 'trace'],
    ['interval', 'soon'],
  ]);
  expect(errors[0].reason).toBe("must be a lowercase RFC 1123 label (a-z, 0-9, '-')");
  expect(errors[0].remedy).toBe('use e.g. "flux-system"');
  expect((thrown as Error).message.split('\n')).toHaveLength(3);
});

test('a secret value never appears in an error, its JSON or its inspection', () => {
  const password = 'p4ss-w0rd-never-shown';
  const { errors } = checkBootstrap({ ...BASE, registryCredentials: `robot:${password}:extra` });
  expect(errors).toHaveLength(1);
  const e = errors[0];
  for (const rendering of [e.message, JSON.stringify(e), inspect(e, { depth: 5 }), String(e.value), e.stack ?? '']) {
    expect(rendering).not.toContain(password);
  }
  expect(e.message).toContain('[secret]');
});
