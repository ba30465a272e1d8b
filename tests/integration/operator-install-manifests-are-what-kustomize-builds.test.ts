// The Flux Operator's install manifests come from its Go module's config/ (a kustomize layout),
// rendered by the engine's own kustomize pieces. The reference is kustomize itself, built from
// the Go module proxy at the release the operator's Makefile pins (v5.8.1): its `build
// config/default` is how the operator's release makes install.yaml. The module is read three
// ways (the module directory, its zip, the zip from a GOPROXY-style server) and the zip is checked
// against the go.sum digest.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { operatorManifest, operatorObjects } from '../../provider/operator/install-manifests';
import { KNOWN_DIGESTS, loadOperatorModule, moduleZipUrl, OPERATOR_MODULE } from '../../provider/operator/module';
import { firstDifference } from '../harness/first-difference';
import { FLUX_OPERATOR_VERSION, operatorModuleDir } from '../harness/flux-operator-data';
import { buildKustomize } from '../harness/kustomize-build';

const moduleDir = operatorModuleDir();
const zipFile = path.join(
  execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim(),
  'cache',
  'download',
  OPERATOR_MODULE,
  '@v',
  `${FLUX_OPERATOR_VERSION}.zip`,
);
let kustomizeBuild: string;

beforeAll(() => {
  kustomizeBuild = execFileSync(buildKustomize(), ['build', path.join(moduleDir, 'config', 'default')], { encoding: 'utf8' });
}, 600_000);

test('the manifests are byte for byte what kustomize build config/default writes', async () => {
  const module = await loadOperatorModule({ version: FLUX_OPERATOR_VERSION, source: moduleDir });
  const ours = operatorManifest(module);
  expect(firstDifference(ours, kustomizeBuild)).toBeNull();
  expect(ours).toBe(kustomizeBuild);
  expect(operatorObjects(module).map((o) => `${String(o.kind as string)}/${(o.metadata as { name: string }).name}`)).toEqual([
    'Namespace/flux-system',
    'CustomResourceDefinition/fluxinstances.fluxcd.controlplane.io',
    'CustomResourceDefinition/fluxreports.fluxcd.controlplane.io',
    'CustomResourceDefinition/resourcesetinputproviders.fluxcd.controlplane.io',
    'CustomResourceDefinition/resourcesets.fluxcd.controlplane.io',
    'ServiceAccount/flux-operator',
    'ClusterRole/flux-operator-edit',
    'ClusterRole/flux-operator-view',
    'ClusterRole/flux-web-admin',
    'ClusterRole/flux-web-user',
    'ClusterRoleBinding/flux-operator-cluster-admin',
    'Service/flux-operator',
    'Deployment/flux-operator',
  ]);
});

test('another namespace moves the objects and the ServiceAccount subject with them', async () => {
  const module = await loadOperatorModule({ version: FLUX_OPERATOR_VERSION, source: moduleDir });
  const objects = operatorObjects(module, { namespace: 'flux' });
  const binding = objects.find((o) => o.kind === 'ClusterRoleBinding')!;
  expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'flux-operator', namespace: 'flux' }]);
  expect(objects.find((o) => o.kind === 'Namespace')!.metadata).toMatchObject({ name: 'flux' });
  expect(objects.find((o) => o.kind === 'Deployment')!.metadata).toMatchObject({ namespace: 'flux' });
});

test('the module zip gives the same manifests and releases, and its h1 digest is the one go.sum names', async () => {
  const fromZip = await loadOperatorModule({
    version: FLUX_OPERATOR_VERSION,
    source: zipFile,
    digest: KNOWN_DIGESTS[FLUX_OPERATOR_VERSION],
  });
  const fromDir = await loadOperatorModule({ version: FLUX_OPERATOR_VERSION, source: moduleDir });
  expect(operatorManifest(fromZip)).toBe(kustomizeBuild);
  expect(fromZip.releases).toEqual(fromDir.releases);
  expect(fromZip.releases).toContain('v2.9.5');
  await expect(loadOperatorModule({ version: FLUX_OPERATOR_VERSION, source: zipFile, digest: `h1:${'A'.repeat(43)}=` })).rejects.toThrow(
    /has digest h1:jByu/,
  );
});

test('from a module proxy: downloaded once, checked against the digest, then read from the cache', async () => {
  const data = fs.readFileSync(zipFile);
  const requests: string[] = [];
  let tamper = false;
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    // a flipped byte inside the compressed files: either the digest differs or the file does not inflate
    const at = data.length >> 1;
    const body = tamper ? Buffer.concat([data.subarray(0, at), Buffer.from([data[at] ^ 0xff]), data.subarray(at + 1)]) : data;
    res.writeHead(200, { 'content-type': 'application/zip' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const proxy = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-cache-'));
  try {
    const first = await loadOperatorModule({ version: FLUX_OPERATOR_VERSION, source: proxy, cacheDir });
    expect(operatorManifest(first)).toBe(kustomizeBuild);
    expect(requests).toEqual([new URL(moduleZipUrl(proxy, FLUX_OPERATOR_VERSION)).pathname]);
    // another process (a fresh module table) reads the cache, not the network
    jest.resetModules();
    const again = (require('../../provider/operator/module') as typeof import('../../provider/operator/module')).loadOperatorModule;
    await again({ version: FLUX_OPERATOR_VERSION, source: proxy, cacheDir });
    expect(requests).toHaveLength(1);
    // a download that is not the module go.sum names is refused and not cached
    tamper = true;
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-cache-'));
    await expect(again({ version: FLUX_OPERATOR_VERSION, source: `${proxy}/`, cacheDir: other })).rejects.toThrow();
    expect(fs.readdirSync(other)).toEqual([]);
  } finally {
    server.close();
  }
});
