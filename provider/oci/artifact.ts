// The OCI artifact `flux push artifact` writes (fluxcd/pkg oci): one gzip'd tarball layer of the
// files (media type application/vnd.cncf.flux.content.v1.tar+gzip, owner, group and times
// stripped), a config blob of type application/vnd.cncf.flux.config.v1+json, and the
// org.opencontainers.image source / revision / created annotations on the manifest. The layer
// is deterministic (same files, same digest): that digest is what decides whether to push.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const FLUX_CONFIG = 'application/vnd.cncf.flux.config.v1+json';
export const FLUX_CONTENT = 'application/vnd.cncf.flux.content.v1.tar+gzip';
export const ANNOTATION = {
  source: 'org.opencontainers.image.source',
  revision: 'org.opencontainers.image.revision',
  created: 'org.opencontainers.image.created',
} as const;

export interface Blob {
  mediaType: string;
  digest: string;
  size: number;
  data: Buffer;
}
export interface Artifact {
  config: Blob;
  layer: Blob;
  manifest: Buffer;
  digest: string;
}

export function sha256Digest(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function blob(mediaType: string, data: Buffer): Blob {
  return { mediaType, digest: sha256Digest(data), size: data.length, data };
}

/** One ustar header block: name (split into prefix/name when long), mode, size, type. */
function tarHeader(name: string, size: number, type: '0' | '5'): Buffer {
  const h = Buffer.alloc(512);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`path too long for a tar header: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  const octal = (n: number, width: number) => n.toString(8).padStart(width - 1, '0') + '\0';
  h.write(base, 0, 100, 'utf8');
  h.write(octal(type === '5' ? 0o755 : 0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii'); // uid
  h.write(octal(0, 8), 116, 'ascii'); // gid
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(0, 12), 136, 'ascii'); // mtime: stripped, as flux does
  h.fill(' ', 148, 156); // checksum placeholder
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

/** A tarball of path -> content, directories first, in sorted order (so the bytes are stable). */
export function tarball(files: Record<string, string>): Buffer {
  const paths = Object.keys(files).sort();
  const dirs = new Set<string>();
  for (const p of paths) for (let d = p.lastIndexOf('/'); d > 0; d = p.lastIndexOf('/', d - 1)) dirs.add(p.slice(0, d));
  const parts: Buffer[] = [];
  for (const d of [...dirs].sort()) parts.push(tarHeader(`${d}/`, 0, '5'));
  for (const p of paths) {
    const body = Buffer.from(files[p], 'utf8');
    parts.push(tarHeader(p, body.length, '0'), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** The layer alone: its digest identifies the content, whatever the annotations say. */
export function contentLayer(files: Record<string, string>): Blob {
  // gzip header mtime is 0 in Node's output, and level 9 is fixed: the same files give the same bytes
  return blob(FLUX_CONTENT, gzipSync(tarball(files), { level: 9 }));
}

export function fluxArtifact(files: Record<string, string>, meta: { source: string; revision: string; created: Date }): Artifact {
  const config = blob(FLUX_CONFIG, Buffer.from('{}'));
  const layer = contentLayer(files);
  const describe = (b: Blob) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: describe(config),
      layers: [describe(layer)],
      annotations: {
        [ANNOTATION.created]: meta.created.toISOString().replace(/\.\d+Z$/, 'Z'),
        [ANNOTATION.revision]: meta.revision,
        [ANNOTATION.source]: meta.source,
      },
    }),
  );
  return { config, layer, manifest, digest: sha256Digest(manifest) };
}
