// One Pulumi stack per cluster, each running the same inline program: a Bootstrap of that
// cluster. The backend and the secrets passphrase come from the environment, as for the
// `pulumi` CLI (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE or PULUMI_ACCESS_TOKEN).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { Bootstrap, type BootstrapArgs } from 'flux-bootstrap/pulumi';
import type { Cluster } from './inventory.ts';

type Stack = pulumi.automation.Stack;
const { LocalWorkspace } = pulumi.automation;

export interface StackSettings {
  /** the Pulumi project every cluster stack belongs to */
  project: string;
  /** where Pulumi.yaml and stack settings are written (default: a temporary directory per
   *  stack); it must resolve @pulumi/pulumi, see workDirOf */
  workDir?: string;
}

/**
 * The workspace directory. Pulumi starts the dynamic-provider plugin there, and the plugin
 * finds its code with require.resolve('@pulumi/pulumi/...') from that directory: a bare
 * temporary directory fails ("could not read plugin ...: EOF"). So the default is a temporary
 * directory whose node_modules links to the one this program's @pulumi/pulumi is in.
 */
const temporary = new Set<string>();
// one exit handler for every directory: one each would pass Node's 30-listener warning
// at the 31st cluster
process.once('exit', () => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

function workDirOf(s: StackSettings): string {
  if (s.workDir) return s.workDir;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-'));
  const pkg = createRequire(import.meta.url).resolve('@pulumi/pulumi/package.json');
  fs.symlinkSync(path.resolve(path.dirname(pkg), '..', '..'), path.join(dir, 'node_modules'));
  temporary.add(dir);
  return dir;
}

/** Marks the values read from secret references as secrets, so the state encrypts them. */
function withSecrets(value: unknown, field: string, secretKeys: string[]): unknown {
  if (secretKeys.includes(field)) return pulumi.secret(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSecrets(v, `${field}.${k}`, secretKeys)]));
  }
  return value;
}

function bootstrapProgram(c: Cluster): () => Promise<Record<string, unknown>> {
  // Pulumi awaits the program: one that awaits nothing returns its outputs as a resolved promise
  return () => {
    const flux = new Bootstrap('flux', {
      ...(withSecrets(c.options, 'options', c.secretKeys) as Partial<BootstrapArgs>),
      repository: withSecrets(c.repository, 'repository', c.secretKeys) as BootstrapArgs['repository'],
      path: c.path,
      version: c.version,
      cluster: { kubeconfig: pulumi.secret(c.kubeconfig) },
    });
    return Promise.resolve({ repositoryUrl: flux.repositoryUrl, commit: flux.commit, version: flux.version });
  };
}

/** A program that declares nothing: its `up` deletes what the stack holds. */
const emptyProgram = () => Promise.resolve({});

function projectSettings(s: StackSettings) {
  return { name: s.project, runtime: 'nodejs' as const };
}

export async function clusterStack(c: Cluster, s: StackSettings): Promise<Stack> {
  const args = { stackName: c.name, projectName: s.project, program: bootstrapProgram(c) };
  const opts = { projectSettings: projectSettings(s), workDir: workDirOf(s) };
  try {
    return await LocalWorkspace.createOrSelectStack(args, opts);
  } catch (e) {
    // another run (a second job of the same shard) created it first: it is there to select
    if (/already exists/.test((e as Error)?.message ?? '')) return LocalWorkspace.selectStack(args, opts);
    throw e;
  }
}

/** The stack of a cluster no longer in the inventory, with a program that keeps nothing. */
export async function removedStack(name: string, s: StackSettings): Promise<Stack> {
  return LocalWorkspace.selectStack(
    { stackName: name, projectName: s.project, program: emptyProgram },
    { projectSettings: projectSettings(s), workDir: workDirOf(s) },
  );
}

/** Names of the project's stacks in the backend. */
export async function existingStacks(s: StackSettings): Promise<string[]> {
  const ws = await LocalWorkspace.create({ projectSettings: projectSettings(s), workDir: workDirOf(s), program: emptyProgram });
  return (await ws.listStacks()).map((st: pulumi.automation.StackSummary) => st.name.split('/').pop() as string);
}
