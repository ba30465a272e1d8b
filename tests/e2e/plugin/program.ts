// Python and YAML programs of the flux-bootstrap provider plugin on the harness: the examples
// copied into a temporary project, the plugin found through `plugins.providers` (this
// checkout's provider/plugin/bin), Python through the harness venv and the SDK generated from
// the schema, driven by the Automation API against the harness CLI.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalWorkspace, PulumiCommand, type Stack } from '@pulumi/pulumi/automation';
import { projectRoot } from '../../harness/flux-reference';
import { pulumiEnv, type PulumiInfo } from '../../harness/pulumi';
import type { PulumiLanguagesInfo } from '../../harness/pulumi-languages';
import { generateSdk } from '../../harness/pulumi-sdk-gen';

export type Language = 'yaml' | 'python';

export const PLUGIN_DIR = () => path.join(projectRoot(), 'provider', 'plugin', 'bin');

/** The head of a YAML program (project, runtime, the plugin of this checkout) and its config. */
export function yamlProgramHead(project: string, config: string[]): string {
  return `name: ${project}\nruntime: yaml\nplugins:\n  providers:\n    - name: flux-bootstrap\n      path: ${PLUGIN_DIR()}\nconfig:\n${config.map((c) => `  ${c}\n`).join('')}`;
}

/** The Pulumi.yaml text with the plugin path (and the venv) made absolute. */
export function absolutePaths(text: string, venv?: string): string {
  let out = text.replace(/path: \.\.\/\.\.\/provider\/plugin\/bin/, `path: ${PLUGIN_DIR()}`);
  if (venv) out = out.replace(/virtualenv: venv/, `virtualenv: ${venv}`);
  return out;
}

/** Copies examples/pulumi-<language> into dir, ready to run here. */
export function installExample(language: Language, dir: string, langs: PulumiLanguagesInfo): void {
  const from = path.join(projectRoot(), 'examples', `pulumi-${language}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(from)) {
    if (f === 'Pulumi.yaml') fs.writeFileSync(path.join(dir, f), absolutePaths(fs.readFileSync(path.join(from, f), 'utf8'), langs.venv));
    else if (!f.startsWith('Pulumi.') && f !== 'venv') fs.copyFileSync(path.join(from, f), path.join(dir, f));
  }
}

/** The environment a program runs in: the harness CLI and hosts, and for Python the SDK (with
 *  its dependencies) and the venv's python first on PATH. The v3.259 Python host finds the venv
 *  through `runtime.options.virtualenv` (installExample names the harness's); the v3.68 one a
 *  bare clone runs takes it only as a command-line flag, which the newer CLI no longer passes
 *  (it finds `python3` on PATH): both work this way. */
export function programEnv(info: PulumiInfo, language: Language, sdk?: PythonSdk, venv?: string): Record<string, string> {
  const env = pulumiEnv(info);
  if (language !== 'python' || !sdk) return env;
  const PATH = venv ? [path.join(venv, 'bin'), env.PATH].join(path.delimiter) : env.PATH;
  return { ...env, PATH, PYTHONPATH: sdk.deps, PYTHONDONTWRITEBYTECODE: '1' };
}

export interface PythonSdk {
  /** the generated source */
  dir: string;
  /** the SDK installed (pip --target), with its own dependencies (parver, ...) but pulumi, which the venv has */
  deps: string;
}

/** The generated Python SDK (once per run), installed with the venv's pip into a directory of
 *  its own with what it needs beside pulumi (the shared venv stays as built). */
export function pythonSdk(tmp: string, venv: string): PythonSdk {
  const dir = path.join(tmp, 'sdk-python');
  const deps = path.join(tmp, 'sdk-python-deps');
  if (!fs.existsSync(path.join(dir, 'pulumi_flux_bootstrap'))) generateSdk('python', dir);
  if (!fs.existsSync(deps)) {
    const listed = /^\s*dependencies = (\[.*\])$/m.exec(fs.readFileSync(path.join(dir, 'pyproject.toml'), 'utf8'));
    const wanted = (JSON.parse(listed?.[1] ?? '[]') as string[]).filter((d) => !/^pulumi\b/.test(d));
    const pip = (args: string[]) =>
      execFileSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '--target', deps, ...args], {
        stdio: 'inherit',
      });
    pip(['--no-deps', dir]); // installed, not only on the path: the SDK reads its own version from its metadata
    pip(wanted);
  }
  return { dir, deps };
}

export async function stackOf(info: PulumiInfo, dir: string, name: string, env: Record<string, string>): Promise<Stack> {
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(info.binDir), skipVersionCheck: true });
  return LocalWorkspace.createOrSelectStack({ stackName: name, workDir: dir }, { envVars: env, pulumiHome: info.home, pulumiCommand });
}

/** Characters of each resource's stored state (inputs and outputs), from `stack export`. */
export async function stateSizes(stack: Stack): Promise<Record<string, number>> {
  const exported = await stack.exportStack();
  const resources = (exported.deployment as { resources?: Array<{ type: string; inputs?: unknown; outputs?: unknown }> }).resources ?? [];
  const out: Record<string, number> = {};
  for (const r of resources) {
    if (!r.type.startsWith('flux-bootstrap:') && !r.type.startsWith('pulumi-nodejs:dynamic')) continue;
    out[r.type] = JSON.stringify({ inputs: r.inputs, outputs: r.outputs }).length;
  }
  return out;
}
