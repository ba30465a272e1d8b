// The provider plugin as one JavaScript file: esbuild follows every require from
// dist/provider/plugin/main.js through the checkout's node_modules (the versions package-lock.json
// pins), so the archive needs no npm install beside it. Its metafile says which packages went
// in, for the SBOM.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plugin } from 'esbuild';

export interface Bundle {
  file: string;
  /** the inputs esbuild read, relative to the checkout (node_modules/... for packages) */
  inputs: string[];
}

/**
 * deps.ts finds gRPC and protobuf through @pulumi/pulumi's own resolution at run time, which a
 * bundler cannot follow: the bundle gets the same modules as static requires, resolved from
 * @pulumi/pulumi's directory exactly as deps.ts resolves them.
 */
function pulumiDeps(root: string): Plugin {
  const pulumiDir = path.dirname(require.resolve('@pulumi/pulumi/package.json', { paths: [root] }));
  const modules: Record<string, string> = {
    grpc: '@grpc/grpc-js',
    structproto: 'google-protobuf/google/protobuf/struct_pb',
    emptyproto: 'google-protobuf/google/protobuf/empty_pb',
    anyproto: 'google-protobuf/google/protobuf/any_pb',
    provproto: '@pulumi/pulumi/proto/provider_pb',
    provrpc: '@pulumi/pulumi/proto/provider_grpc_pb',
    plugproto: '@pulumi/pulumi/proto/plugin_pb',
    statusproto: '@pulumi/pulumi/proto/status_pb',
  };
  const contents = Object.entries(modules)
    .map(([name, id]) => `exports.${name} = require(${JSON.stringify(id)});`)
    .join('\n');
  return {
    name: 'flux-bootstrap-plugin-deps',
    setup(build) {
      build.onLoad({ filter: /[\\/]dist[\\/]provider[\\/]plugin[\\/]deps\.js$/ }, () => ({
        contents,
        loader: 'js',
        resolveDir: pulumiDir,
      }));
    },
  };
}

/** Bundles the plugin into `<outDir>/plugin.js`, with `version` written in. */
export async function bundlePlugin(root: string, outDir: string, version: string): Promise<Bundle> {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const file = path.join(outDir, 'plugin.js');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [path.join(root, 'dist', 'provider', 'plugin', 'main.js')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    outfile: file,
    minify: true,
    legalComments: 'none',
    metafile: true,
    define: { __FLUX_BOOTSTRAP_VERSION__: JSON.stringify(version) },
    plugins: [pulumiDeps(root)],
    logLevel: 'error',
  });
  return { file, inputs: Object.keys(result.metafile.inputs).sort() };
}

/** The packages (name, version, directory) whose files the bundle holds. */
export function bundledPackages(root: string, inputs: string[]): Array<{ name: string; version: string; dir: string; license?: string }> {
  const found = new Map<string, { name: string; version: string; dir: string; license?: string }>();
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/\\/g, '/'));
    if (!m || found.has(m[1])) continue;
    const pkg = JSON.parse(fs.readFileSync(path.join(root, m[1], 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    found.set(m[1], {
      name: pkg.name,
      version: pkg.version,
      dir: m[1],
      license: typeof pkg.license === 'string' ? pkg.license : undefined,
    });
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}
