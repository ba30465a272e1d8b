// Release manifests load from a directory, a manifests.tar.gz, or a release URL served here on
// 127.0.0.1; a second load of a version is served from the content-addressed cache.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar';
import { availableComponents, DistributionError, InputErrors, loadDistribution, sha256Digest } from '../../provider/engine';
import { distributionDir } from './support/reference';

const DIR = distributionDir('v2.9.3');
const FILES = fs.readdirSync(DIR).sort();
let work: string;
let rootTarball: string;
let nestedTarball: string;
let server: http.Server;
let base: string;
let requests: string[];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-dist-test-'));
  // Like Flux's release job: `tar -czf manifests.tar.gz <files>` from inside the directory.
  rootTarball = path.join(work, 'manifests.tar.gz');
  tar.c({ gzip: true, cwd: DIR, file: rootTarball, sync: true }, FILES);
  nestedTarball = path.join(work, 'nested.tar.gz');
  tar.c({ gzip: true, cwd: path.dirname(DIR), file: nestedTarball, sync: true }, [path.basename(DIR)]);
  const archive = fs.readFileSync(rootTarball);
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/releases/download/v2.9.3/manifests.tar.gz') {
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(archive);
    } else if (req.url === '/releases/latest/download/manifests.tar.gz') {
      res.writeHead(302, { location: '/releases/download/v2.9.3/manifests.tar.gz' }).end();
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/releases`;
});

beforeEach(() => {
  requests = [];
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(work, { recursive: true, force: true });
});

const freshCache = () => fs.mkdtempSync(path.join(work, 'cache-'));
const dirFiles = () => Object.fromEntries(FILES.map((f) => [f, fs.readFileSync(path.join(DIR, f), 'utf8')]));

test('a directory gives one text per file and the components it ships', async () => {
  const dist = await loadDistribution({ version: 'v2.9.3', source: DIR });
  expect(dist.files).toEqual(dirFiles());
  expect(dist.version).toBe('v2.9.3');
  expect(availableComponents(dist)).toEqual([
    'helm-controller',
    'image-automation-controller',
    'image-reflector-controller',
    'kustomize-controller',
    'notification-controller',
    'source-controller',
    'source-watcher',
  ]);
});

test('a manifests.tar.gz with the files at its root gives the same files and its digest', async () => {
  const dist = await loadDistribution({ version: 'v2.9.3', source: rootTarball });
  expect(dist.files).toEqual(dirFiles());
  expect(dist.digest).toBe(sha256Digest(fs.readFileSync(rootTarball)));
});

test('a tarball with the files in one top-level directory is accepted too', async () => {
  const dist = await loadDistribution({ version: 'v2.9.3', source: nestedTarball });
  expect(dist.files).toEqual(dirFiles());
});

test('a release URL is downloaded once; the second load is served from the cache without a request', async () => {
  const cacheDir = freshCache();
  const first = await loadDistribution({ version: 'v2.9.3', source: base, cacheDir });
  expect(requests).toEqual(['/releases/download/v2.9.3/manifests.tar.gz']);
  const digest = sha256Digest(fs.readFileSync(rootTarball));
  expect(first.digest).toBe(digest);
  const index = JSON.parse(fs.readFileSync(path.join(cacheDir, 'index.json'), 'utf8'));
  expect(index.versions['v2.9.3']).toEqual({ digest, url: `${base}/download/v2.9.3/manifests.tar.gz` });
  expect(fs.existsSync(path.join(cacheDir, 'sha256', `${digest.slice('sha256:'.length)}.tar.gz`))).toBe(true);

  requests = [];
  const second = await loadDistribution({ version: 'v2.9.3', source: base, cacheDir });
  expect(requests).toEqual([]);
  expect(second.files).toEqual(first.files);
});

test('a corrupted cached archive is dropped and downloaded again', async () => {
  const cacheDir = freshCache();
  const { digest } = await loadDistribution({ version: 'v2.9.3', source: base, cacheDir });
  fs.writeFileSync(path.join(cacheDir, 'sha256', `${digest!.slice(7)}.tar.gz`), 'garbage');
  requests = [];
  const again = await loadDistribution({ version: 'v2.9.3', source: base, cacheDir });
  expect(requests).toHaveLength(1);
  expect(again.digest).toBe(digest);
});

test('"latest" follows the release redirect to a concrete version, which is then cached', async () => {
  const cacheDir = freshCache();
  const dist = await loadDistribution({ version: 'latest', source: base, cacheDir });
  expect(dist.version).toBe('v2.9.3');
  expect(requests).toEqual(['/releases/latest/download/manifests.tar.gz', '/releases/download/v2.9.3/manifests.tar.gz']);
  requests = [];
  await loadDistribution({ version: 'v2.9.3', source: base, cacheDir });
  expect(requests).toEqual([]);
});

test('a missing release is a DistributionError naming the URL and status', async () => {
  const load = loadDistribution({ version: 'v2.9.9', source: base, cacheDir: freshCache() });
  await expect(load).rejects.toThrow(DistributionError);
  await expect(loadDistribution({ version: 'v2.9.9', source: base, cacheDir: freshCache() })).rejects.toThrow(
    `failed to download ${base}/download/v2.9.9/manifests.tar.gz: HTTP 404 Not Found`,
  );
});

test('a pinned digest that does not match the download is refused', async () => {
  const wrong = 'sha256:' + '0'.repeat(64);
  await expect(loadDistribution({ version: 'v2.9.3', source: base, cacheDir: freshCache(), digest: wrong })).rejects.toThrow(
    `${base}/download/v2.9.3/manifests.tar.gz has digest ${sha256Digest(fs.readFileSync(rootTarball))}, expected ${wrong}`,
  );
});

test('"latest" cannot be used with a local directory', async () => {
  const load = loadDistribution({ version: 'latest', source: DIR });
  await expect(load).rejects.toThrow(InputErrors);
  await expect(loadDistribution({ version: 'latest', source: DIR })).rejects.toThrow(
    `invalid version "latest": can only be resolved when downloading from a release URL, not from ${DIR}. Fix: pin the version these manifests belong to, e.g. "v2.9.3".`,
  );
});

test('a directory without rbac.yaml is not a Flux release', async () => {
  const partial = path.join(work, 'partial');
  fs.mkdirSync(partial);
  fs.copyFileSync(path.join(DIR, 'source-controller.yaml'), path.join(partial, 'source-controller.yaml'));
  await expect(loadDistribution({ version: 'v2.9.3', source: partial })).rejects.toThrow(
    `${partial} is not a Flux release: rbac.yaml is missing (expected rbac.yaml, policies.yaml and one <component>.yaml per controller)`,
  );
});

test('a source that is neither a directory, a file nor a URL is named in the error', async () => {
  await expect(loadDistribution({ version: 'v2.9.3', source: '/nonexistent/manifests' })).rejects.toThrow(
    'distribution "/nonexistent/manifests" is neither an existing directory, a .tar.gz file nor an http(s) URL',
  );
});
