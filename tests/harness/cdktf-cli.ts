// Service `cdktf-cli`: the real CDK for Terraform command-line tools from the npm registry,
// `cdktf-cli` 0.21.0 (HashiCorp's, archived) and `cdktn-cli` 0.24.0 (the community fork), each
// installed once into ~/.cache/flux-bootstrap/<name>-<version>, not as project dependencies.
//
// Both install with --ignore-scripts. cdktf-cli needs one native module,
// @cdktf/node-pty-prebuilt-multiarch, whose install script would look for a prebuilt binary or
// compile one; its npm tarball already carries `prebuilds/linux-x64/node.abi127.node` (Node 22),
// which it loads at run time, so nothing is downloaded or compiled. start() proves it loads.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, progress, withCacheLock } from './cache';
import type { Service } from './service';

export const CDKTF_CLI_VERSION = '0.21.0';
export const CDKTN_CLI_VERSION = '0.24.0';

/** Installs `packages` from the npm registry into the cache entry `<name>-<version>` (once). */
export function installNpmTool(name: string, version: string, packages: string[]): string {
  const dir = cacheDir(name, version);
  // an install cut short must not pass for a complete one
  const complete = () => fs.existsSync(path.join(dir, '.complete'));
  if (!complete())
    withCacheLock(dir, () => {
      if (complete()) return;
      const t = Date.now();
      progress(`installing ${packages.join(', ')} from the npm registry`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `harness-${name}`, private: true }) + '\n');
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--save-exact', ...packages], {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString() + '\n');
      progress(`${name} ${version} installed in ${Math.round((Date.now() - t) / 1000)} s`);
    });
  return dir;
}

export interface CdktfCliInfo {
  /** the `cdktf` command (cdktf-cli) */
  cdktf: string;
  /** the `cdktn` command (cdktn-cli) */
  cdktn: string;
  cdktfVersion: string;
  cdktnVersion: string;
}

export function installCdktfClis(): CdktfCliInfo {
  const cdktfDir = installNpmTool('cdktf-cli', CDKTF_CLI_VERSION, [`cdktf-cli@${CDKTF_CLI_VERSION}`]);
  const cdktnDir = installNpmTool('cdktn-cli', CDKTN_CLI_VERSION, [`cdktn-cli@${CDKTN_CLI_VERSION}`]);
  // the one native module: its prebuilt binary must load on this Node
  execFileSync(process.execPath, ['-e', "require('@cdktf/node-pty-prebuilt-multiarch')"], {
    cwd: cdktfDir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return {
    cdktf: path.join(cdktfDir, 'node_modules', '.bin', 'cdktf'),
    cdktn: path.join(cdktnDir, 'node_modules', '.bin', 'cdktn'),
    cdktfVersion: CDKTF_CLI_VERSION,
    cdktnVersion: CDKTN_CLI_VERSION,
  };
}

export const cdktfCliService: Service<CdktfCliInfo> = {
  name: 'cdktf-cli',
  start() {
    return Promise.resolve(installCdktfClis());
  },
  build() {
    installCdktfClis();
  },
  async stop() {
    /* nothing runs */
  },
};
