// harness: oci-registry
// OciSyncManifests against a real registry (distribution, basic auth, TLS with a test CA): create
// pushes the three files as one artifact under the tag; a refresh is exactly one manifest HEAD
// on the server; an update with the same files pushes nothing; changed options move the tag to a
// new artifact; a tag moved by someone else shows as drift; errors never carry the password.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetchWithCa } from '../../provider/hosts/ca-fetch';
import { OCI_MANIFEST } from '../../provider/oci/artifact';
import * as oci from '../../provider/resources/oci-sync-manifests';
import { distributionDir } from '../harness/flux-reference';
import { registryRequests, type OciRegistryInfo } from '../harness/oci-registry';
import { harnessInfo } from '../harness/state';

const reg = harnessInfo<OciRegistryInfo>('oci-registry');
const auth = { username: reg.username, password: reg.password, caPem: reg.caPem };
const inputs = (repo: string, extra: Record<string, unknown> = {}) => ({
  version: 'v2.9.3',
  url: `oci://${reg.registry}/${repo}:prod`,
  path: 'clusters/prod',
  distribution: distributionDir('v2.9.3'),
  auth,
  ...extra,
});
const since = (n: number) => registryRequests(reg).slice(n);

async function checked(news: Record<string, unknown>, olds: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const r = await oci.check(olds, news);
  expect(r.failures).toEqual([]);
  return r.inputs;
}

test('create pushes the files; refresh is one HEAD; the same files again push nothing; a change moves the tag', async () => {
  const first = await checked(inputs('fleet/ocisync'));
  const created = await oci.create(first);
  const outs = created.outs as oci.OciSyncManifestsOutputs;
  expect(outs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(outs.revision).toBe(`prod@${outs.digest}`);

  // the artifact holds exactly the files SyncManifests would commit, under <path>/<namespace>/
  const get = fetchWithCa(reg.caPem);
  const basic = `Basic ${Buffer.from(`${reg.username}:${reg.password}`).toString('base64')}`;
  const manifest = (await (
    await get(`https://${reg.registry}/v2/fleet/ocisync/manifests/prod`, { headers: { authorization: basic, accept: OCI_MANIFEST } })
  ).json()) as { layers: Array<{ digest: string }> };
  expect(manifest.layers.map((l) => l.digest)).toEqual([outs.layerDigest]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-sync-'));
  fs.writeFileSync(
    path.join(dir, 'layer.tgz'),
    Buffer.from(
      await (
        await get(`https://${reg.registry}/v2/fleet/ocisync/blobs/${outs.layerDigest}`, { headers: { authorization: basic } })
      ).arrayBuffer(),
    ),
  );
  const listing = execFileSync('tar', ['-tzf', 'layer.tgz'], { cwd: dir, encoding: 'utf8' })
    .split('\n')
    .filter((l) => l && !l.endsWith('/'))
    .sort();
  expect(listing).toEqual([
    'clusters/prod/flux-system/gotk-components.yaml',
    'clusters/prod/flux-system/gotk-sync.yaml',
    'clusters/prod/flux-system/kustomization.yaml',
  ]);
  fs.rmSync(dir, { recursive: true, force: true });

  // refresh: one HEAD, nothing changes
  let n = registryRequests(reg).length;
  const refreshed = await oci.read(created.id, created.outs);
  expect(since(n)).toEqual(['HEAD /v2/fleet/ocisync/manifests/prod']);
  expect(refreshed.props).toEqual(created.outs);
  expect((await oci.diff(created.id, refreshed.props, await checked(inputs('fleet/ocisync'), refreshed.props))).changes).toBe(false);

  // an update with the same files (e.g. new credentials): one GET, nothing pushed
  n = registryRequests(reg).length;
  const same = await oci.update(created.id, created.outs, await checked(inputs('fleet/ocisync')));
  expect(since(n)).toEqual(['GET /v2/fleet/ocisync/manifests/prod']);
  expect((same.outs as oci.OciSyncManifestsOutputs).digest).toBe(outs.digest);

  // a changed option: a new layer and one manifest PUT; the tag moves
  const changedInputs = await checked(inputs('fleet/ocisync', { interval: '5m' }), created.outs);
  expect((await oci.diff(created.id, created.outs, changedInputs)).changes).toBe(true);
  n = registryRequests(reg).length;
  const changed = (await oci.update(created.id, created.outs, changedInputs)).outs as oci.OciSyncManifestsOutputs;
  expect(changed.digest).not.toBe(outs.digest);
  expect(since(n).filter((l) => l.startsWith('PUT') && l.includes('/manifests/'))).toEqual(['PUT /v2/fleet/ocisync/manifests/prod']);

  // someone pushes over the tag: refresh reports the new digest and diff wants ours back
  await oci.create(await checked(inputs('fleet/ocisync', { interval: '7m' })));
  const drifted = await oci.read(created.id, changed);
  expect((drifted.props as oci.OciSyncManifestsOutputs).digest).not.toBe(changed.digest);
  expect((await oci.diff(created.id, drifted.props, changedInputs)).changes).toBe(true);
});

test('a wrong password fails naming the credentials, and the password is in no message', async () => {
  const wrong = `${reg.password}-wrong`;
  const e = await oci.create(await checked(inputs('fleet/refused', { auth: { ...auth, password: wrong } }))).then(
    () => undefined,
    (x: Error) => x,
  );
  expect(e).toBeInstanceOf(Error);
  expect(e!.message).toContain('invalid credentials');
  expect(e!.message).toContain('refused');
  expect(e!.message).not.toContain(wrong);
  expect(e!.stack).not.toContain(wrong);
});
