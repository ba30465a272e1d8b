// Gitless bootstrap in the engine: a sync url oci://<registry>/<repository>:<tag> renders the
// same three files with an OCIRepository in gotk-sync.yaml, a docker-config source Secret (or
// none for anonymous pulls, ca.crt with a private CA), no deploy key; bad urls and Git-only
// settings are refused at validation, naming the field, the value and the fix.
import { desiredState, InputErrors, validateRender } from '../../provider/engine';
import { ociSourceSecret } from '../../provider/generate/secrets';
import type { Distribution } from '../../provider/distribution/types';
import { distribution } from './support/reference';

let dist: Distribution;
beforeAll(async () => {
  dist = await distribution('v2.9.3');
});

const OCI = { version: 'v2.9.3', url: 'oci://registry.example.com:5000/fleet/prod:cluster-a', path: 'clusters/a' };
const errorsOf = (input: unknown) => {
  try {
    validateRender(input);
    return [];
  } catch (e) {
    return (e as InputErrors).errors.map((x) => ({ field: x.field, message: x.message }));
  }
};

test('the sync file holds an OCIRepository at the tag (url without it) and a Kustomization on it; no deploy key', () => {
  const d = desiredState(OCI, dist);
  expect(d.sourceKind).toBe('oci');
  expect(d.deployKeyRequired).toBe(false);
  expect(Object.keys(d.files)).toEqual([
    'clusters/a/flux-system/gotk-components.yaml',
    'clusters/a/flux-system/gotk-sync.yaml',
    'clusters/a/flux-system/kustomization.yaml',
  ]);
  const source = d.objects.find((o) => o.kind === 'OCIRepository')!;
  expect(source.spec).toEqual({
    interval: '1m0s',
    ref: { tag: 'cluster-a' },
    url: 'oci://registry.example.com:5000/fleet/prod',
    secretRef: { name: 'flux-system' },
  });
  expect(d.objects.find((o) => o.kind === 'GitRepository')).toBeUndefined();
  expect(d.objects.find((o) => o.kind === 'Kustomization')!.spec).toMatchObject({
    path: './clusters/a',
    sourceRef: { kind: 'OCIRepository', name: 'flux-system' },
  });
  expect(d.files['clusters/a/flux-system/gotk-sync.yaml']).toContain('kind: OCIRepository\n');
  expect(d.secretShape.source).toMatchObject({
    type: 'kubernetes.io/dockerconfigjson',
    keys: ['.dockerconfigjson'],
    registry: 'registry.example.com:5000',
    transport: 'oci',
  });
});

test('the pull Secret: .dockerconfigjson for the registry, ca.crt with a private CA; anonymous needs none', () => {
  const withCa = desiredState({ ...OCI, oci: { privateCa: true, insecure: false } }, dist);
  expect(withCa.objects.find((o) => o.kind === 'OCIRepository')!.spec).toMatchObject({
    certSecretRef: { name: 'flux-system' },
    secretRef: { name: 'flux-system' },
  });
  const secret = ociSourceSecret(withCa.secretShape.source, { username: 'robot', password: 's3cret-pw' }, 'PEM')!;
  expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
  const data = secret.stringData as Record<string, string>;
  expect(Object.keys(data).sort()).toEqual(['.dockerconfigjson', 'ca.crt']);
  expect(JSON.parse(data['.dockerconfigjson'])).toEqual({
    auths: {
      'registry.example.com:5000': { username: 'robot', password: 's3cret-pw', auth: Buffer.from('robot:s3cret-pw').toString('base64') },
    },
  });

  const anonymous = desiredState({ ...OCI, oci: { anonymous: true, insecure: true } }, dist);
  const spec = anonymous.objects.find((o) => o.kind === 'OCIRepository')!.spec as Record<string, unknown>;
  expect(spec.secretRef).toBeUndefined();
  expect(spec.insecure).toBe(true);
  expect(ociSourceSecret(anonymous.secretShape.source, {})).toBeUndefined();
});

test('cosign and notation settings reach the OCIRepository as given', () => {
  const d = desiredState({ ...OCI, oci: { verify: { provider: 'cosign', secretName: 'cosign-keys' } } }, dist);
  expect((d.objects.find((o) => o.kind === 'OCIRepository')!.spec as Record<string, unknown>).verify).toEqual({
    provider: 'cosign',
    secretRef: { name: 'cosign-keys' },
  });
});

test('bad urls and Git-only settings: the field, the value and the fix', () => {
  expect(errorsOf({ ...OCI, url: 'oci://registry.example.com/fleet/prod' })).toEqual([
    {
      field: 'url',
      message:
        'invalid url "oci://registry.example.com/fleet/prod": has no tag: the artifact is pushed to, and Flux follows, one tag. Fix: add the tag, e.g. "oci://registry.example.com/fleet/prod:production".',
    },
  ]);
  const upper = errorsOf({ ...OCI, url: 'oci://ghcr.io/Acme/fleet:prod' });
  expect(upper).toHaveLength(1);
  expect(upper[0].message).toMatch(
    /^invalid url "oci:\/\/ghcr.io\/Acme\/fleet:prod": must be oci:\/\/<registry>\[:<port>\]\/<repository>:<tag>.*Fix: use e\.g\. "oci:\/\/ghcr\.io\/acme\/fleet-manifests:production"\.$/,
  );
  expect(errorsOf({ ...OCI, url: 'oci://' }).map((e) => e.field)).toEqual(['url']);
  expect(errorsOf({ ...OCI, provider: 'github' }).map((e) => e.field)).toEqual(['provider']);
  expect(errorsOf({ ...OCI, recurseSubmodules: true }).map((e) => e.field)).toEqual(['recurseSubmodules']);
  const gitWithOci = errorsOf({ ...OCI, url: 'ssh://git@github.com/acme/fleet', oci: { insecure: true } });
  expect(gitWithOci).toEqual([
    {
      field: 'oci',
      message: expect.stringContaining(
        'applies only to an oci:// url. Fix: remove oci, or give url as oci://<registry>/<repository>:<tag>.',
      ),
    },
  ]);
  expect(errorsOf({ ...OCI, oci: { verify: { provider: 'gpg' } } }).map((e) => e.field)).toEqual(['oci.verify.provider']);
});
