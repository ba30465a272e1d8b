// Service `cdktn`: CDK Terrain (the community fork of CDKTF) from the npm registry, installed
// once into ~/.cache/flux-bootstrap/cdktn-<version>, with a preload script that resolves every
// CommonJS require('cdktf') (e.g. the prebuilt @cdktf/provider-* bindings') to cdktn, and
// 'constructs' to the version cdktn accepts, as an npm alias `"cdktf": "npm:cdktn@0.24.0"`
// would. It does not reach ES module imports: a program that imports 'cdktf' keeps cdktf's App.
// Projects on the cdktn library itself need none of this (docs/cdktf.md#installing); the unit
// and integration tests use the cdktn devDependency.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, progress, withCacheLock } from './cache';
import type { Service } from './service';

export const CDKTN_VERSION = '0.24.0';
/** cdktn 0.24 wants constructs >=10.6.0 <10.8.0 */
export const CDKTN_CONSTRUCTS_VERSION = '10.7.0';

export interface CdktnInfo {
  /** the install prefix (node_modules/cdktn, node_modules/constructs) */
  dir: string;
  version: string;
  /** node -r <preload>: 'cdktf' -> cdktn, 'constructs' -> cdktn's constructs */
  preload: string;
}

const PRELOAD = `// written by tests/harness/cdktn.ts
'use strict';
const Module = require('node:module');
const path = require('node:path');
const root = path.join(__dirname, 'node_modules');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'cdktf' || request.startsWith('cdktf/')) request = path.join(root, 'cdktn', request.slice('cdktf'.length));
  else if (request === 'constructs') request = path.join(root, 'constructs');
  return resolve.call(this, request, parent, ...rest);
};
`;

export function installCdktn(): CdktnInfo {
  const dir = cacheDir('cdktn', CDKTN_VERSION);
  const preload = path.join(dir, 'preload.js');
  // an install cut short (or, before the lock, two at once) must not pass for a complete one
  const complete = () =>
    fs.existsSync(path.join(dir, '.complete')) && fs.existsSync(path.join(dir, 'node_modules', 'cdktn', 'package.json'));
  if (!complete())
    withCacheLock(dir, () => {
      if (complete()) return; // another run installed it while this one waited
      const t = Date.now();
      progress(`installing cdktn ${CDKTN_VERSION} from the npm registry`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'harness-cdktn', private: true }) + '\n');
      execFileSync(
        'npm',
        ['install', '--no-audit', '--no-fund', '--ignore-scripts', `cdktn@${CDKTN_VERSION}`, `constructs@${CDKTN_CONSTRUCTS_VERSION}`],
        { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      fs.writeFileSync(preload, PRELOAD);
      fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString() + '\n');
      progress(`cdktn ready in ${Math.round((Date.now() - t) / 1000)} s`);
    });
  return { dir, version: CDKTN_VERSION, preload };
}

export const cdktnService: Service<CdktnInfo> = {
  name: 'cdktn',
  start() {
    return Promise.resolve(installCdktn());
  },
  async stop() {
    /* nothing runs */
  },
};
