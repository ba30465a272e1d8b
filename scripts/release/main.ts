// `npm run release`: everything a version ships, written to dist/release/ (emptied first):
// - flux-bootstrap-<version>.tgz, the npm package (`npm pack`);
// - pulumi-resource-flux-bootstrap-v<version>-<os>-<arch>.tar.gz, the provider plugin as Pulumi's
//   plugin archive (`pulumi plugin install resource flux-bootstrap <version> --file ...`): one
//   executable, Node.js included, that needs nothing on the machine;
// - the Python SDK as a wheel and an sdist, and the Go SDK as a module directory (sdk/);
// - schema.json, the package schema with the version in it;
// - flux-bootstrap-<version>.src.tar.gz, the source (what the tag holds: `pulumi package add`
//   runs the provider from it);
// - a CycloneDX SBOM beside the tarball and the archive, and SHA256SUMS over every file;
// - release.json: what was made, sizes and build seconds (the install tests read it).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageSchemaText } from '../../provider/plugin/package-schema';
import { writeChecksums } from './checksums';
import { releaseFingerprint } from './fingerprint';
import { bundlePlugin, bundledPackages } from './plugin-bundle';
import { archiveSbom, tarballSbom, withIntegrity } from './sbom';
import { goSdk, pythonSdk } from './sdks';
import { sourceArchive } from './source-archive';
import { nodeRuntime, singleExecutable } from './single-executable';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface ReleaseManifest {
  version: string;
  /** what it was made from (fingerprint.ts) */
  fingerprint: string;
  platform: string;
  files: {
    npm: string;
    pluginArchive: string;
    wheel: string;
    sdist: string;
    goModule: string;
    schema: string;
    source: string;
    sboms: string[];
  };
  sizes: Record<string, number>;
  seconds: Record<string, number>;
}

const GOOS: Record<string, string> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

async function timed<T>(seconds: Record<string, number>, name: string, fn: () => T | Promise<T>): Promise<T> {
  const t = Date.now();
  process.stderr.write(`release: ${name}\n`);
  const value = await fn();
  seconds[name] = Math.round((Date.now() - t) / 100) / 10;
  return value;
}

export async function release(out = path.join(ROOT, 'dist', 'release')): Promise<ReleaseManifest> {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const platform = `${GOOS[process.platform]}-${GOARCH[process.arch]}`;
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const work = fs.mkdtempSync(path.join(path.dirname(out), '.release-work-'));
  const seconds: Record<string, number> = {};
  try {
    const npm = await timed(seconds, 'npm tarball', () => {
      const packed = JSON.parse(
        execFileSync('npm', ['pack', '--json', '--pack-destination', out], {
          cwd: ROOT,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        }),
      ) as Array<{ filename: string }>;
      return packed[0].filename;
    });
    // after npm pack: its `prepare` compiles, which may rewrite dist/
    const fingerprint = releaseFingerprint(ROOT);
    const source = await timed(seconds, 'source archive', () => sourceArchive(ROOT, out, version));
    const schema = 'schema.json';
    fs.writeFileSync(path.join(out, schema), packageSchemaText(version));
    const node = nodeRuntime(ROOT);
    const pluginArchive = `pulumi-resource-flux-bootstrap-v${version}-${platform}.tar.gz`;
    const bundle = await timed(seconds, 'plugin archive', async () => {
      const stage = path.join(work, 'plugin');
      fs.mkdirSync(stage);
      const b = await bundlePlugin(ROOT, work, version);
      await singleExecutable(b.file, node, path.join(stage, 'pulumi-resource-flux-bootstrap'));
      fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(stage, 'LICENSE'));
      fs.copyFileSync(node.license, path.join(stage, 'LICENSE.node'));
      const tar = require('tar') as typeof import('tar');
      // fixed owner and times: the same bundle makes the same archive
      await tar.c({ gzip: true, file: path.join(out, pluginArchive), cwd: stage, portable: true, mtime: new Date(0) }, [
        'pulumi-resource-flux-bootstrap',
        'LICENSE',
        'LICENSE.node',
      ]);
      return b;
    });
    const python = await timed(seconds, 'python sdk', () => pythonSdk(path.join(out, schema), work, out));
    const wheel = python.find((f) => f.endsWith('.whl'))!;
    const sdist = python.find((f) => f.endsWith('.tar.gz'))!;
    const goModule = await timed(seconds, 'go sdk', () => path.relative(out, goSdk(path.join(out, schema), out)));
    const sboms = await timed(seconds, 'sboms', async () => [
      path.basename(await tarballSbom(ROOT, path.join(out, npm), version)),
      path.basename(
        await archiveSbom(path.join(out, pluginArchive), version, node, withIntegrity(ROOT, bundledPackages(ROOT, bundle.inputs))),
      ),
    ]);
    writeChecksums(out);
    const sizes = Object.fromEntries(
      [npm, pluginArchive, wheel, sdist, schema, source, ...sboms].map((f) => [f, fs.statSync(path.join(out, f)).size] as [string, number]),
    );
    const manifest: ReleaseManifest = {
      version,
      fingerprint,
      platform,
      files: { npm, pluginArchive, wheel, sdist, goModule, schema, source, sboms },
      sizes,
      seconds,
    };
    fs.writeFileSync(path.join(out, 'release.json'), JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The manifest of the release in `dir`, made by `npm run release`. */
export function readRelease(dir = path.join(ROOT, 'dist', 'release')): ReleaseManifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'release.json'), 'utf8')) as ReleaseManifest;
}

if (require.main === module) {
  release()
    .then((m) => {
      const kib = (n: number) => `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KiB`;
      for (const [f, n] of Object.entries(m.sizes)) console.log(`${f.padEnd(64)} ${kib(n).padStart(12)}`);
      console.log(
        `\nbuilt in ${Object.entries(m.seconds)
          .map(([k, s]) => `${k} ${s} s`)
          .join(', ')}; dist/release/SHA256SUMS`,
      );
    })
    .catch((e: unknown) => {
      console.error(`release failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exit(1);
    });
}
