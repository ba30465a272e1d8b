// The artifact `flux push artifact` writes: flux's media types and annotations, a gzip'd
// tarball that tar reads back, and the same files giving the same layer digest (the push
// decision), whatever the time.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contentLayer, fluxArtifact, FLUX_CONFIG, FLUX_CONTENT, OCI_MANIFEST } from '../../provider/oci/artifact';
import { parseOciUrl } from '../../provider/oci/registry';

const files = { 'clusters/prod/flux-system/gotk-sync.yaml': 'a: 1\n', 'clusters/prod/flux-system/kustomization.yaml': 'b: 2\n' };

test('manifest: OCI image manifest, flux config and content media types, source/revision/created annotations', () => {
  const a = fluxArtifact(files, { source: 'src', revision: 'rev', created: new Date('2026-01-02T03:04:05.678Z') });
  const m = JSON.parse(a.manifest.toString());
  expect(m).toMatchObject({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: FLUX_CONFIG, digest: a.config.digest, size: 2 },
    layers: [{ mediaType: FLUX_CONTENT, digest: a.layer.digest, size: a.layer.size }],
  });
  expect(m.annotations).toEqual({
    'org.opencontainers.image.created': '2026-01-02T03:04:05Z',
    'org.opencontainers.image.revision': 'rev',
    'org.opencontainers.image.source': 'src',
  });
  expect(a.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
});

test('the layer is a tarball tar reads, owner and times stripped; the same files give the same digest', () => {
  const layer = contentLayer(files);
  expect(contentLayer({ ...files }).digest).toBe(layer.digest);
  expect(contentLayer({ ...files, 'x.yaml': '' }).digest).not.toBe(layer.digest);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-unit-'));
  fs.writeFileSync(path.join(dir, 'l.tgz'), layer.data);
  const listing = execFileSync('tar', ['-tvzf', 'l.tgz', '--numeric-owner'], { cwd: dir, encoding: 'utf8' });
  expect(listing).toMatch(/0\/0 +5 1970-01-01 00:00 clusters\/prod\/flux-system\/gotk-sync\.yaml/);
  execFileSync('tar', ['-xzf', 'l.tgz'], { cwd: dir });
  expect(fs.readFileSync(path.join(dir, 'clusters/prod/flux-system/kustomization.yaml'), 'utf8')).toBe('b: 2\n');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('oci:// URLs: registry with port, nested repository, tag (default latest); bad ones name the field', () => {
  expect(parseOciUrl('oci://127.0.0.1:5000/fleet/prod:v1')).toEqual({ registry: '127.0.0.1:5000', repository: 'fleet/prod', tag: 'v1' });
  expect(parseOciUrl('oci://ghcr.io/acme/fleet')).toEqual({ registry: 'ghcr.io', repository: 'acme/fleet', tag: 'latest' });
  expect(() => parseOciUrl('https://ghcr.io/Acme/fleet', 'ociUrl')).toThrow(
    /^invalid ociUrl "https:\/\/ghcr.io\/Acme\/fleet": must be oci:\/\/<registry>\/<repository>\[:<tag>\]/,
  );
});
