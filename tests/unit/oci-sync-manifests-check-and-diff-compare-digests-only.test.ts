// OciSyncManifests check and diff need no registry: check renders the files and computes the
// layer digest (equal options, equal digest), diff compares digests; bad input fails at preview
// naming the field, the value and the fix, and never shows the registry password.
// ControllerInstall with an oci:// url asks for the pull credentials it needs.
import * as controllerInstall from '../../provider/resources/controller-install';
import * as oci from '../../provider/resources/oci-sync-manifests';
import { UNKNOWN } from '../../provider/resources/common';
import { distributionDir } from '../harness/flux-reference';

const BASE = {
  version: 'v2.9.3',
  url: 'oci://registry.example.com/fleet/prod:cluster',
  path: 'clusters/prod',
  distribution: distributionDir('v2.9.3'),
};
const PASSWORD = 'registry-pw-never-shown';

test('check renders the layer digest deterministically; another option, another digest', async () => {
  const a = await oci.check({}, { ...BASE, auth: { username: 'robot', password: PASSWORD } });
  const b = await oci.check({}, { ...BASE });
  expect(a.failures).toEqual([]);
  expect(String(a.inputs.layerDigest)).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(b.inputs.layerDigest).toBe(a.inputs.layerDigest);
  const c = await oci.check({}, { ...BASE, interval: '2m' });
  expect(c.inputs.layerDigest).not.toBe(a.inputs.layerDigest);
});

test('bad url, a Git url, half credentials: failures name the field and the fix, without the password', async () => {
  const noTag = await oci.check({}, { ...BASE, url: 'oci://registry.example.com/fleet/prod' });
  expect(noTag.failures).toEqual([
    {
      property: 'url',
      reason:
        'invalid url "oci://registry.example.com/fleet/prod": has no tag: the artifact is pushed to, and Flux follows, one tag. Fix: add the tag, e.g. "oci://registry.example.com/fleet/prod:production".',
    },
  ]);
  const git = await oci.check({}, { ...BASE, url: 'ssh://git@github.com/acme/fleet' });
  expect(git.failures).toEqual([
    {
      property: 'url',
      reason: expect.stringContaining(
        'is not an oci:// URL: OciSyncManifests pushes the manifests to a registry. Fix: give oci://<registry>/<repository>:<tag>, or use SyncManifests',
      ),
    },
  ]);
  const half = await oci.check({}, { ...BASE, auth: { password: PASSWORD } });
  expect(half.failures!.map((f) => f.property)).toEqual(['']);
  expect(JSON.stringify(half.failures)).not.toContain(PASSWORD);
  const unknown = await oci.check({}, { ...BASE, url: UNKNOWN });
  expect(unknown.failures).toEqual([]);
  expect(unknown.inputs.layerDigest).toBeUndefined();
});

test('diff: same layer and the tag where it was pushed is no change; new content, a moved tag or new settings are', async () => {
  const news = (await oci.check({}, { ...BASE })).inputs;
  const olds = { ...news, digest: 'sha256:aa', pushedDigest: 'sha256:aa' };
  expect((await oci.diff('id', olds, news)).changes).toBe(false);
  expect((await oci.diff('id', { ...olds, layerDigest: 'sha256:other' }, news)).changes).toBe(true);
  expect((await oci.diff('id', { ...olds, digest: 'sha256:bb' }, news)).changes).toBe(true);
  expect((await oci.diff('id', olds, { ...news, auth: { username: 'robot', password: PASSWORD } })).changes).toBe(true);
  expect((await oci.diff('id', olds, { ...news, layerDigest: undefined })).changes).toBe(true);
});

test('ControllerInstall with an oci:// url needs the registry user, or oci.anonymous; the CA with oci.privateCa', async () => {
  const install = { ...BASE, cluster: { kubeconfigPath: '/nonexistent' }, wait: { deployments: false } };
  const none = await controllerInstall.check({}, install);
  expect(none.failures).toEqual([
    {
      property: '',
      reason: expect.stringContaining('needs username and password of a registry user that may pull from registry.example.com'),
    },
  ]);
  expect(none.failures![0].reason).toContain(
    'Fix: give {username, password} (a token goes in password), or set oci.anonymous: true for a public artifact.',
  );
  expect((await controllerInstall.check({}, { ...install, oci: { anonymous: true } })).failures).toEqual([]);
  const ca = await controllerInstall.check(
    {},
    { ...install, oci: { privateCa: true }, credentials: { username: 'robot', password: PASSWORD } },
  );
  expect(ca.failures).toEqual([{ property: '', reason: expect.stringContaining('credentials.caPem') }]);
  expect(JSON.stringify(ca.failures)).not.toContain(PASSWORD);
  expect(
    (
      await controllerInstall.check(
        {},
        { ...install, oci: { privateCa: true }, credentials: { username: 'robot', password: PASSWORD, caPem: 'PEM' } },
      )
    ).failures,
  ).toEqual([]);
});
