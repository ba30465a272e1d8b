// Runs one of examples/ the way a user's project would run it: a copy of the program in its
// own directory (so `Pulumi.<stack>.yaml` never lands in the checkout), whose node_modules
// resolve `flux-bootstrap` to this checkout and everything else (@pulumi/pulumi, typescript,
// @types/node) to the checkout's node_modules, driven by the Automation API against the
// harness Pulumi CLI on its file backend.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalWorkspace, PulumiCommand, type Stack } from '@pulumi/pulumi/automation';
import { projectRoot as checkoutRoot } from './flux-reference';
import { pulumiEnv, pulumiNpmDir, type PulumiInfo } from './pulumi';

/** Copies examples/<name> (sources only) to `dir` and links its dependencies. */
export function copyExample(name: string, dir: string): string {
  const root = checkoutRoot();
  const from = path.join(root, 'examples', name);
  if (!fs.existsSync(path.join(from, 'Pulumi.yaml'))) throw new Error(`no Pulumi program at ${from}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(from)) {
    if (f === 'node_modules' || (f.startsWith('Pulumi.') && f !== 'Pulumi.yaml')) continue;
    fs.cpSync(path.join(from, f), path.join(dir, f), { recursive: true });
  }
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  const rootModules = path.resolve(pulumiNpmDir(), '..', '..');
  for (const entry of fs.readdirSync(rootModules)) {
    if (entry.startsWith('.')) continue;
    fs.symlinkSync(path.join(rootModules, entry), path.join(modules, entry));
  }
  fs.symlinkSync(root, path.join(modules, 'flux-bootstrap'));
  return dir;
}

/** The two edits docs/pulumi.md ("A Node.js program served by the plugin") tells a user to make
 *  to a Node.js program, made to the copy in `dir`: import `flux-bootstrap/pulumi/plugin`
 *  instead of `flux-bootstrap/pulumi`, and name the plugin in Pulumi.yaml by the path the npm
 *  package puts it at, relative to the project. */
export function serveFromPlugin(dir: string): void {
  const edit = (file: string, from: RegExp, to: string) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    if (!from.test(text)) throw new Error(`serveFromPlugin: ${file} in ${dir} has no ${from}`);
    fs.writeFileSync(path.join(dir, file), text.replace(from, to));
  };
  edit('index.ts', /from 'flux-bootstrap\/pulumi';/, "from 'flux-bootstrap/pulumi/plugin';");
  edit('Pulumi.yaml', /^runtime:/m, `plugins:\n  providers:\n    - name: flux-bootstrap\n      path: ${PLUGIN_PATH_IN_PROJECT}\nruntime:`);
}

/** Where a project that installed the npm package finds the plugin's script. */
export const PLUGIN_PATH_IN_PROJECT = 'node_modules/flux-bootstrap/provider/plugin/bin';

export interface ProgramStack {
  stack: Stack;
  dir: string;
  env: Record<string, string>;
}

/** A stack of the program in `dir` on the harness backend. */
export async function programStack(
  info: PulumiInfo,
  dir: string,
  stackName: string,
  extraEnv: Record<string, string> = {},
): Promise<ProgramStack> {
  const env = { ...pulumiEnv(info), ...extraEnv };
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(info.binDir), skipVersionCheck: true });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, workDir: dir },
    { envVars: env, pulumiHome: info.home, pulumiCommand },
  );
  return { stack, dir, env };
}
