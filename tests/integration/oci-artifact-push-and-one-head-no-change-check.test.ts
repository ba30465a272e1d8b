// harness: oci-registry
// The Flux manifests as an OCI artifact in `flux push artifact`'s format, pushed to a real
// registry (distribution, basic auth, TLS with a test CA): the manifest's media types and
// annotations, the layer as a tarball of the files, a no-change check that costs one HEAD on
// the server, blobs not uploaded twice, and refused credentials named as such.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../provider/errors';
import { fluxArtifact, FLUX_CONFIG, FLUX_CONTENT, OCI_MANIFEST } from '../../provider/oci/artifact';
import { parseOciUrl, RegistryClient } from '../../provider/oci/registry';
import { registryRequests, type OciRegistryInfo } from '../harness/oci-registry';
import { harnessInfo } from '../harness/state';

const reg = harnessInfo<OciRegistryInfo>('oci-registry');
const files = { 'flux-system/gotk-sync.yaml': 'kind: OCIRepository\n', 'flux-system/kustomization.yaml': 'resources: []\n' };
const client = (repo: string, password = reg.password) =>
  new RegistryClient(parseOciUrl(`oci://${reg.registry}/${repo}:prod`), { username: reg.username, password, caPem: reg.caPem });

test("push: flux's media types and annotations, the files in the layer; a no-change check is one HEAD", async () => {
  const c = client('fleet/one');
  expect(await c.manifestDigest()).toBeNull();
  const a = fluxArtifact(files, { source: 'flux-bootstrap', revision: 'v2.9.3@sha256:abc', created: new Date('2026-12-03T10:00:00Z') });
  const digest = await c.push(a);
  expect(digest).toBe(a.digest);

  const before = registryRequests(reg).length;
  expect(await client('fleet/one').manifestDigest()).toBe(digest);
  // one HEAD on the server (basic auth is sent up front: no 401 round trip)
  expect(registryRequests(reg).slice(before)).toEqual(['HEAD /v2/fleet/one/manifests/prod']);

  const auth = `Basic ${Buffer.from(`${reg.username}:${reg.password}`).toString('base64')}`;
  const { fetchWithCa } = await import('../../provider/hosts/ca-fetch');
  const get = fetchWithCa(reg.caPem);
  const manifest = (await (
    await get(`https://${reg.registry}/v2/fleet/one/manifests/prod`, { headers: { authorization: auth, accept: OCI_MANIFEST } })
  ).json()) as Record<string, any>;
  expect(manifest.mediaType).toBe(OCI_MANIFEST);
  expect(manifest.config.mediaType).toBe(FLUX_CONFIG);
  expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([FLUX_CONTENT]);
  expect(manifest.annotations).toEqual({
    'org.opencontainers.image.created': '2026-12-03T10:00:00Z',
    'org.opencontainers.image.revision': 'v2.9.3@sha256:abc',
    'org.opencontainers.image.source': 'flux-bootstrap',
  });
  const layer = Buffer.from(
    await (
      await get(`https://${reg.registry}/v2/fleet/one/blobs/${manifest.layers[0].digest}`, { headers: { authorization: auth } })
    ).arrayBuffer(),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-layer-'));
  fs.writeFileSync(path.join(dir, 'layer.tgz'), layer);
  execFileSync('tar', ['-xzf', 'layer.tgz'], { cwd: dir });
  expect(fs.readFileSync(path.join(dir, 'flux-system/gotk-sync.yaml'), 'utf8')).toBe(files['flux-system/gotk-sync.yaml']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the same files again: same layer digest, no blob uploaded, only the new manifest', async () => {
  const c = client('fleet/two');
  await c.push(fluxArtifact(files, { source: 's', revision: 'r1', created: new Date(0) }));
  const before = registryRequests(reg).length;
  const again = fluxArtifact(files, { source: 's', revision: 'r2', created: new Date(1000) });
  await client('fleet/two').push(again);
  const calls = registryRequests(reg).slice(before);
  expect(calls.filter((l) => l.startsWith('POST') || l.startsWith('PATCH'))).toEqual([]);
  expect(calls.filter((l) => l.startsWith('PUT'))).toEqual(['PUT /v2/fleet/two/manifests/prod']);
});

test('a wrong password is an error on credentials, without the password', async () => {
  const wrong = `x${reg.password}`;
  const e = await client('fleet/three', wrong)
    .manifestDigest()
    .then(
      () => undefined,
      (x: unknown) => x,
    );
  expect(e).toBeInstanceOf(InputError);
  expect((e as InputError).field).toBe('credentials');
  expect((e as Error).message).not.toContain(wrong);
});
