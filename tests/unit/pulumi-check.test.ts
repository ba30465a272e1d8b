// check() of every dynamic resource: bad input becomes {property, reason} with the InputError
// message (field, value, fix), preview unknowns are skipped, secrets never show.
import * as controllerInstall from '../../provider/resources/controller-install';
import * as deployKey from '../../provider/resources/deploy-key';
import * as repository from '../../provider/resources/repository';
import * as syncManifests from '../../provider/resources/sync-manifests';
import { UNKNOWN } from '../../provider/resources/common';
import { distributionDir } from '../harness/flux-reference';

const dist = distributionDir;
const SYNC = { version: 'v2.9.3', url: 'ssh://git@git.example.com/fleet', path: 'clusters/prod', distribution: dist('v2.9.3') };

describe('SyncManifests check', () => {
  test('names the field, the value and the fix, for every bad option at once', async () => {
    const r = await syncManifests.check({}, { ...SYNC, version: '2.9', namespace: 'Flux' });
    expect(r.failures).toEqual([
      {
        property: 'version',
        reason: 'invalid version "2.9": must be a Flux release "vX.Y.Z" (v2.5.0 or later) or "latest". Fix: use e.g. "v2.9.3".',
      },
      {
        property: 'namespace',
        reason: 'invalid namespace "Flux": must be a lowercase RFC 1123 label (a-z, 0-9, \'-\'). Fix: use e.g. "flux-system".',
      },
    ]);
  });

  test('a missing required option', async () => {
    const { version: _v, ...rest } = SYNC;
    const r = await syncManifests.check({}, rest);
    expect(r.failures).toEqual([{ property: 'version', reason: 'missing version: a value is required. Fix: use e.g. "v2.9.3".' }]);
  });

  test('unknown values at preview are skipped and nothing is rendered', async () => {
    const r = await syncManifests.check({}, { ...SYNC, url: UNKNOWN, namespace: 'Flux' });
    expect(r.failures).toEqual([{ property: 'namespace', reason: expect.stringContaining('invalid namespace "Flux"') }]);
    const ok = await syncManifests.check({}, { ...SYNC, url: UNKNOWN });
    expect(ok.failures).toEqual([]);
    expect(ok.inputs?.desiredFiles).toBeUndefined();
  });

  test('renders the blob ids of the files it owns and a plan', async () => {
    const r = await syncManifests.check({}, SYNC);
    expect(r.failures).toEqual([]);
    expect(Object.keys(r.inputs.desiredFiles)).toEqual([
      'clusters/prod/flux-system/gotk-components.yaml',
      'clusters/prod/flux-system/gotk-sync.yaml',
    ]);
    expect(r.inputs.plan).toBe(
      [
        'create clusters/prod/flux-system/gotk-components.yaml',
        'create clusters/prod/flux-system/gotk-sync.yaml',
        'create clusters/prod/flux-system/kustomization.yaml (if absent)',
      ].join('\n'),
    );
  });

  test('a managed kustomization.yaml is owned too', async () => {
    const patch =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: source-controller\n  namespace: flux-system\nspec:\n  replicas: 2\n';
    const r = await syncManifests.check({}, { ...SYNC, kustomization: { patches: [{ patch }] } });
    expect(r.failures).toEqual([]);
    expect(Object.keys(r.inputs.desiredFiles)).toContain('clusters/prod/flux-system/kustomization.yaml');
    const bad = await syncManifests.check(
      {},
      { ...SYNC, kustomization: { patches: [{ patch: patch.replace('source-controller', 'x') }] } },
    );
    expect(bad.failures).toEqual([
      {
        property: 'kustomization',
        reason: expect.stringMatching(
          /^invalid kustomization\.patches\[0\]\.patch .*: matches no object \(Deployment\/flux-system\/x; .*\)\. Fix: /,
        ),
      },
    ]);
  });

  test('the plan of a version bump counts changed lines per file', async () => {
    const old = (await syncManifests.check({}, { ...SYNC, version: 'v2.8.5', distribution: dist('v2.8.5') })).inputs;
    const r = await syncManifests.check(old, SYNC);
    expect(r.inputs.plan).toMatch(/^clusters\/prod\/flux-system\/gotk-components\.yaml \+\d+ -\d+$/);
  });

  test('push credentials: secrets never appear in the reason', async () => {
    const r = await syncManifests.check(
      {},
      { ...SYNC, auth: { privateKey: 'hunter2-hunter2', knownHosts: 'git.example.com ssh-ed25519 AAAA' } },
    );
    const text = JSON.stringify(r.failures);
    expect(text).not.toContain('hunter2');
    expect(r.failures?.map((f) => f.property)).toEqual(['', '']);
    expect(r.failures?.[1].reason).toMatch(/^invalid auth.privateKey \[secret\]: the private key is not in PEM form\. Fix: /);
  });

  test('a distribution that cannot be loaded', async () => {
    const r = await syncManifests.check({}, { ...SYNC, distribution: '/nonexistent/v2.9.3' });
    expect(r.failures).toEqual([
      {
        property: 'distribution',
        reason: expect.stringMatching(
          /^invalid distribution "\/nonexistent\/v2\.9\.3": could not be loaded \(.*\)\. Fix: give a directory/,
        ),
      },
    ]);
  });
});

describe('Repository check', () => {
  test('an unknown host', async () => {
    expect((await repository.check({}, { host: 'bitbucket' })).failures).toEqual([
      {
        property: 'host',
        reason:
          'invalid host "bitbucket": must be one of github, gitlab, gitea, git. Fix: use e.g. "github", or "git" for a plain Git server.',
      },
    ]);
  });

  test('API hosts need a name and a token, and never show the token', async () => {
    expect((await repository.check({}, { host: 'github', owner: 'acme' })).failures).toEqual([
      { property: 'name', reason: 'missing name: a value is required for host "github". Fix: give the repository name, e.g. "fleet".' },
      {
        property: '',
        reason:
          'missing token: a value is required to call the github API. Fix: pass a personal access token, e.g. pulumi.secret(process.env.GITHUB_TOKEN).',
      },
    ]);
  });

  test('defaults like flux bootstrap: private, created when missing', async () => {
    const r = await repository.check({}, { host: 'github', owner: 'acme', name: 'fleet', token: 'ghp_x' });
    expect(r.failures).toEqual([]);
    expect(r.inputs).toMatchObject({ visibility: 'private', create: true, forceDestroy: false });
  });

  test('plain git takes a url and nothing of the API hosts', async () => {
    expect((await repository.check({}, { host: 'git', url: 'ssh://git@h/fleet', owner: 'acme' })).failures).toEqual([
      { property: 'owner', reason: 'invalid owner "acme": does not apply to host "git". Fix: remove it; the url names the repository.' },
    ]);
  });
});

describe('DeployKey check', () => {
  const HOST = { host: 'git', url: 'ssh://git@git.example.com/fleet' };

  test('rsa sizes', async () => {
    expect((await deployKey.check({}, { ...HOST, algorithm: 'rsa', bits: 1000 })).failures).toEqual([
      { property: 'bits', reason: 'invalid bits 1000: must be a multiple of 8 between 2048 and 16384. Fix: use 4096.' },
    ]);
  });

  test('a given key that is not one, without showing it', async () => {
    expect((await deployKey.check({}, { ...HOST, privateKey: 'hunter2-not-a-key' })).failures).toEqual([
      {
        property: '',
        reason:
          'invalid privateKey [secret]: the private key is not in PEM form. Fix: give the private key file content, starting with "-----BEGIN OPENSSH PRIVATE KEY-----" or "-----BEGIN PRIVATE KEY-----" (generate one with: ssh-keygen -t ed25519 -N "" -f identity).',
      },
    ]);
  });

  test("defaults: ed25519, read-only, flux's title", async () => {
    const r = await deployKey.check({}, HOST);
    expect(r.inputs).toMatchObject({ algorithm: 'ed25519', readOnly: true, title: 'flux-system-main-flux-system' });
  });
});

describe('ControllerInstall check', () => {
  const INSTALL = { ...SYNC, cluster: { kubeconfig: 'apiVersion: v1' }, credentials: { privateKey: 'x', publicKey: 'y', knownHosts: 'z' } };

  test('the cluster is required', async () => {
    const { cluster: _c, ...rest } = INSTALL;
    expect((await controllerInstall.check({}, rest)).failures).toEqual([
      {
        property: '',
        reason: 'missing cluster: a value is required. Fix: give {kubeconfig} (content), {kubeconfigPath} or {host, caPem, token}.',
      },
    ]);
  });

  test('an unknown kubeconfig at preview is fine and touches nothing', async () => {
    const r = await controllerInstall.check({}, { ...INSTALL, cluster: { kubeconfig: UNKNOWN } });
    expect(r.failures).toEqual([]);
    expect(r.inputs.desiredHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('wait options', async () => {
    expect((await controllerInstall.check({}, { ...INSTALL, wait: { timeoutSeconds: -1 } })).failures).toEqual([
      { property: 'wait', reason: 'invalid wait.timeoutSeconds -1: must be a positive number of seconds. Fix: use e.g. 300.' },
    ]);
  });

  test('an ssh sync URL needs the deploy key', async () => {
    const r = await controllerInstall.check({}, { ...INSTALL, credentials: undefined });
    expect(r.failures).toEqual([
      {
        property: '',
        reason:
          'missing credentials: needs privateKey, publicKey and knownHosts for the ssh URL ssh://git@git.example.com/fleet. Fix: pass the DeployKey outputs, or use an https URL with username and password.',
      },
    ]);
  });
});
