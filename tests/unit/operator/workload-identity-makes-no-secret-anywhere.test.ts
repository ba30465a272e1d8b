// A cloud's workload identity (provider aws, azure or gcp) authenticates Flux with the cloud's
// own identity of its service account: no credential is stored in the cluster. Proven on the
// objects (no cloud can be reached here): the FluxInstance's sync carries the provider and no
// pullSecret, no Secret is made and credentials given anyway are refused; the classic gitless
// (OCI) bootstrap takes the same provider: its OCIRepository gets spec.provider, no secretRef,
// and the source Secret is absent. A Git url keeps refusing them there, and github stays Git-only.
import { desiredState, InputErrors, validateRender } from '../../../provider/engine';
import { credentialProblems, instanceManifest, syncSecret } from '../../../provider/operator/instance';
import { checkFluxInstance } from '../../../schema/flux-instance-checks';
import type { Distribution } from '../../../provider/distribution/types';
import { distribution } from '../support/reference';

let dist: Distribution;
beforeAll(async () => {
  dist = await distribution('v2.9.3');
});

const OCI = { version: 'v2.9.3', url: 'oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/fleet:prod', path: 'clusters/a' };
const fieldsOf = (input: unknown) => {
  try {
    validateRender(input);
    return [];
  } catch (e) {
    return (e as InputErrors).errors.map((x) => x.message);
  }
};

test.each(['aws', 'azure', 'gcp'] as const)(
  'FluxInstance sync from OCI with provider %s: no pullSecret, no Secret, credentials refused',
  (provider) => {
    const spec = checkFluxInstance({
      distribution: { version: '2.x' },
      sync: { kind: 'OCIRepository', url: 'oci://registry.example.com/fleet', ref: 'latest', path: 'clusters/a', provider },
    }).value!;
    expect(syncSecret(spec, 'flux-system', undefined)).toEqual({ none: `sync.provider ${provider}: the cloud identity, no Secret` });
    expect(syncSecret(spec, 'flux-system', { username: 'u', password: 'p' }).secret).toBeUndefined();
    expect(credentialProblems(spec, { username: 'u', password: 'p' }).map((e) => e.message)).toEqual([
      `invalid credentials [secret]: are given, but sync.provider ${provider} authenticates with the cloud's workload identity: no Secret is made. Fix: remove credentials (nothing secret is stored), or use provider generic.`,
    ]);
    const manifest = instanceManifest(spec, 'flux-system');
    expect(manifest).toContain(`provider: ${provider}`);
    expect(manifest).not.toContain('pullSecret');
  },
);

test('the CRD rules: gcp only for OCI and Bucket sources, github only for Git', () => {
  const bad = checkFluxInstance({
    distribution: { version: '2.x' },
    sync: { kind: 'GitRepository', url: 'https://github.com/acme/fleet', ref: 'refs/heads/main', path: 'a', provider: 'gcp' },
  });
  expect(bad.errors.map((e) => e.message)).toEqual([
    'invalid sync.provider "gcp": is for OCIRepository and Bucket only. Fix: use kind OCIRepository, or another provider.',
  ]);
  const github = checkFluxInstance({
    distribution: { version: '2.x' },
    sync: { kind: 'OCIRepository', url: 'oci://r/x', ref: 'latest', path: 'a', provider: 'github' },
  });
  expect(github.errors.map((e) => e.field)).toEqual(['sync.provider']);
});

test.each(['aws', 'azure', 'gcp'] as const)(
  'the classic gitless bootstrap with provider %s: OCIRepository spec.provider, no secretRef, no Secret',
  (provider) => {
    const d = desiredState({ ...OCI, provider }, dist);
    const source = d.objects.find((o) => o.kind === 'OCIRepository')!;
    expect(source.spec).toEqual({
      interval: '1m0s',
      ref: { tag: 'prod' },
      url: 'oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/fleet',
      provider,
    });
    expect(d.secretShape.source.absent).toBe(true);
    expect(d.files['clusters/a/flux-system/gotk-sync.yaml']).toContain(`provider: ${provider}`);
    expect(d.files['clusters/a/flux-system/gotk-sync.yaml']).not.toContain('secretRef');
  },
);

test('workload identity is refused for a Git url, and github for an oci:// url', () => {
  expect(fieldsOf({ version: 'v2.9.3', url: 'https://github.com/acme/fleet', provider: 'aws' })).toEqual([
    'invalid provider "aws": is a cloud\'s workload identity, which the gitless bootstrap (an oci:// url) uses here. Fix: use "generic" or "github" for a Git url.',
  ]);
  expect(fieldsOf({ ...OCI, provider: 'github' })).toEqual([
    'invalid provider "github": is a Git setting: an oci:// url has no GitHub App. Fix: remove provider, or use a cloud\'s workload identity: "aws", "azure" or "gcp".',
  ]);
});
