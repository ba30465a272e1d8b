// CycloneDX SBOMs of what the npm tarball and the plugin archive carry, built with the CycloneDX
// project's own library:
// - the tarball: flux-bootstrap and the production dependencies npm installs with it, at the
//   versions and integrity hashes package-lock.json pins (npm resolves them again in a user's
//   project, within the ranges package.json gives);
// - the plugin archive: exactly the packages esbuild put into the bundle, and the Node.js
//   runtime the single executable is made of.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NodeRuntime } from './single-executable';

type Cdx = typeof import('@cyclonedx/cyclonedx-library');

export interface PackageRef {
  name: string;
  version: string;
  license?: string;
  /** npm's integrity string (`sha512-<base64>`) */
  integrity?: string;
}

interface LockEntry {
  version?: string;
  license?: string;
  integrity?: string;
  dev?: boolean;
  peer?: boolean;
  link?: boolean;
}

/** The production dependencies package-lock.json pins: every package no dev dependency alone brings. */
export function lockedProductionPackages(root: string): PackageRef[] {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const out: PackageRef[] = [];
  for (const [at, entry] of Object.entries(lock.packages)) {
    if (!at.startsWith('node_modules/') || entry.dev || entry.peer || entry.link || !entry.version) continue;
    out.push({
      name: at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length),
      version: entry.version,
      license: entry.license,
      integrity: entry.integrity,
    });
  }
  return dedupe(out);
}

/** The lockfile's integrity of each bundled package (the bundle is made from the checkout's node_modules). */
export function withIntegrity(
  root: string,
  packages: Array<{ name: string; version: string; dir: string; license?: string }>,
): PackageRef[] {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  return packages.map((p) => ({ name: p.name, version: p.version, license: p.license, integrity: lock.packages[p.dir]?.integrity }));
}

function dedupe(list: PackageRef[]): PackageRef[] {
  const seen = new Map<string, PackageRef>();
  for (const p of list) seen.set(`${p.name}@${p.version}`, p);
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

export const sha256File = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function npmComponent(cdx: Cdx, p: PackageRef): InstanceType<Cdx['Models']['Component']> {
  const { PackageURL } = require('packageurl-js') as typeof import('packageurl-js');
  const scoped = /^(@[^/]+)\/(.+)$/.exec(p.name);
  const purl = new PackageURL('npm', scoped?.[1] ?? undefined, scoped?.[2] ?? p.name, p.version, undefined, undefined);
  const c = new cdx.Models.Component(cdx.Enums.ComponentType.Library, scoped?.[2] ?? p.name, {
    group: scoped?.[1],
    version: p.version,
    bomRef: purl.toString(),
    purl: purl.toString(),
  });
  if (p.license) c.licenses.add(new cdx.Models.NamedLicense(p.license));
  const sri = /^sha512-(.+)$/.exec(p.integrity ?? '');
  if (sri) c.hashes.set(cdx.Enums.HashAlgorithm['SHA-512'], Buffer.from(sri[1], 'base64').toString('hex'));
  return c;
}

function newBom(cdx: Cdx, subject: InstanceType<Cdx['Models']['Component']>): InstanceType<Cdx['Models']['Bom']> {
  const bom = new cdx.Models.Bom();
  bom.metadata.component = subject;
  bom.metadata.tools.components.add(
    new cdx.Models.Component(cdx.Enums.ComponentType.Application, 'flux-bootstrap release (scripts/release)'),
  );
  return bom;
}

async function write(cdx: Cdx, bom: InstanceType<Cdx['Models']['Bom']>, file: string): Promise<void> {
  const serializer = new cdx.Serialize.JsonSerializer(new cdx.Serialize.JSON.Normalize.Factory(cdx.Spec.Spec1dot6));
  const json = serializer.serialize(bom, { sortLists: true, space: 2 });
  const invalid: unknown = await new cdx.Validation.JsonStrictValidator(cdx.Spec.Version.v1dot6).validate(json);
  if (invalid !== null) throw new Error(`the SBOM ${file} is not valid CycloneDX 1.6: ${JSON.stringify(invalid)}`);
  fs.writeFileSync(file, json + '\n');
}

/** `<tarball>.cdx.json`: the npm package and the dependencies it installs. */
export async function tarballSbom(root: string, tarball: string, version: string): Promise<string> {
  const cdx = require('@cyclonedx/cyclonedx-library') as Cdx;
  const subject = npmComponent(cdx, { name: 'flux-bootstrap', version, license: 'Apache-2.0' });
  subject.hashes.set(cdx.Enums.HashAlgorithm['SHA-256'], sha256File(tarball));
  const bom = newBom(cdx, subject);
  for (const p of lockedProductionPackages(root)) {
    const c = npmComponent(cdx, p);
    bom.components.add(c);
  }
  const file = `${tarball}.cdx.json`;
  await write(cdx, bom, file);
  return file;
}

/** `<archive>.cdx.json`: the executable, the Node.js runtime it is made of, and every bundled package. */
export async function archiveSbom(archive: string, version: string, node: NodeRuntime, bundled: PackageRef[]): Promise<string> {
  const cdx = require('@cyclonedx/cyclonedx-library') as Cdx;
  const subject = new cdx.Models.Component(cdx.Enums.ComponentType.Application, 'pulumi-resource-flux-bootstrap', {
    version,
    bomRef: 'pulumi-resource-flux-bootstrap',
  });
  subject.licenses.add(new cdx.Models.SpdxLicense('Apache-2.0'));
  subject.hashes.set(cdx.Enums.HashAlgorithm['SHA-256'], sha256File(archive));
  const bom = newBom(cdx, subject);
  const runtime = npmComponent(cdx, { name: `node-${process.platform}-${process.arch}`, version: node.version, license: 'MIT' });
  runtime.type = cdx.Enums.ComponentType.Platform;
  runtime.description = 'the Node.js runtime the single executable is made of (the official build, from the npm registry)';
  runtime.hashes.set(cdx.Enums.HashAlgorithm['SHA-256'], sha256File(node.binary));
  bom.components.add(runtime);
  for (const p of dedupe([{ name: 'flux-bootstrap', version, license: 'Apache-2.0' }, ...bundled]))
    bom.components.add(npmComponent(cdx, p));
  const file = `${archive}.cdx.json`;
  await write(cdx, bom, file);
  return file;
}
