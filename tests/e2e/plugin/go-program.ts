// examples/pulumi-go on the harness: the example copied into a temporary project, the plugin
// found through `plugins.providers` (this checkout's provider/plugin/bin), the Go SDK module
// generated from the schema and reached through a `replace`, compiled by the v3.259 Go host
// with the machine's Go caches (tests/harness/go-program-env.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../harness/flux-reference';
import { go } from '../../harness/go-build';
import { goProgramEnv } from '../../harness/go-program-env';
import { pulumiEnv, type PulumiInfo } from '../../harness/pulumi';
import { GO_SDK_MODULE } from '../../../provider/plugin/package-home';
import { goSdkModule } from '../../harness/pulumi-go-sdk';
import { absolutePaths } from './program';

/** Copies examples/pulumi-go into dir, its SDK module generated into <work>/sdk; returns dir. */
export function installGoExample(dir: string, work: string): string {
  const sdkDir = goSdkModule(work);
  const from = path.join(projectRoot(), 'examples', 'pulumi-go');
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(from)) {
    if (f === 'Pulumi.yaml') fs.writeFileSync(path.join(dir, f), absolutePaths(fs.readFileSync(path.join(from, f), 'utf8')));
    else if (/\.(go|mod|sum)$/.test(f)) fs.copyFileSync(path.join(from, f), path.join(dir, f));
  }
  go(['mod', 'edit', `-replace=${GO_SDK_MODULE}=${sdkDir}`], dir, goProgramEnv());
  return dir;
}

/** The environment a Go program runs in: the harness CLI and hosts, and the Go settings. */
export function goProgramEnvOf(info: PulumiInfo): Record<string, string> {
  return goProgramEnv(pulumiEnv(info));
}
