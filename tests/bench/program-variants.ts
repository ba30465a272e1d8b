// What a no-change preview costs beyond Pulumi's own floor, and what a user can do about it:
//   - the floor: an empty TypeScript program (it only imports @pulumi/pulumi), previewed on the
//     same machine in the same run, each of its previews right before one of ours (paired);
//   - the floor of any dynamic resource: the same with one no-op dynamic resource, so Pulumi
//     starts its dynamic provider host (which loads Pulumi's whole Node.js runtime) to check it;
//   - our share: the median of the differences within the pairs;
//   - the same stack with type-checking off (PULUMI_NODEJS_TRANSPILE_ONLY=true);
//   - the same stack as a precompiled JavaScript program (tsc once; `typescript: false`);
//   - both programs with Node's on-disk compile cache (NODE_COMPILE_CACHE, Node 22): every Node
//     process of a preview (the program's, the dynamic provider's) loads @pulumi/pulumi, and the
//     cache spares compiling it again.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Stack } from '@pulumi/pulumi/automation';
import { projectRoot } from '../harness/flux-reference';
import type { PulumiInfo } from '../harness/pulumi';
import { copyExample, programStack } from '../harness/pulumi-program';

/** One preview's wall in ms; throws when it plans a change (then it is not a no-change preview). */
export async function timedPreview(stack: Stack): Promise<number> {
  const t = process.hrtime.bigint();
  const r = await stack.preview({ color: 'never' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  assertNoChange(r.changeSummary, 'preview');
  return ms;
}

export function assertNoChange(summary: Record<string, number> | undefined, what: string): void {
  const changed = Object.entries(summary ?? {}).filter(([op, n]) => op !== 'same' && n > 0);
  if (changed.length) throw new Error(`the no-change ${what} planned changes: ${JSON.stringify(summary)}`);
}

/** A program made here, and the wall of its first `up` (the Automation API call, as ours is
 *  timed): in a new directory, so TypeScript compiles and type-checks it cold, as ours was. */
export interface MinimalProgram {
  stack: Stack;
  firstUpMs: number;
}

/** An empty TypeScript program (it only imports @pulumi/pulumi) after one `up`: Pulumi's floor. */
export async function emptyProgram(pulumi: PulumiInfo, workDir: string): Promise<MinimalProgram> {
  return minimalProgram(pulumi, path.join(workDir, 'empty-program'), 'bench-empty', "import '@pulumi/pulumi';\n");
}

/** The provider text of a dynamic resource that does nothing: what Pulumi's dynamic provider
 *  host loads, as it loads ours, but with no module of ours behind it. */
const NOOP_PROVIDER =
  'exports.handler = () => ({ check: async (olds, news) => ({ inputs: news }), diff: async () => ({}), create: async () => ({ id: "noop", outs: {} }) });';

/** The empty program with one dynamic resource that does nothing, after one `up`: the floor of
 *  any program with a dynamic resource (a preview starts the dynamic provider host to check it). */
export async function noopDynamicProgram(pulumi: PulumiInfo, workDir: string): Promise<MinimalProgram> {
  return minimalProgram(
    pulumi,
    path.join(workDir, 'noop-dynamic-program'),
    'bench-noop-dynamic',
    [
      "import * as pulumi from '@pulumi/pulumi';",
      // as ours registers (dynamic-resource.ts): the SDK would format a source-mapped stack trace
      // per output, a cost of the program, not of the provider host this program measures
      'Error.stackTraceLimit = 0;',
      'class Noop extends pulumi.CustomResource {',
      "  constructor(name: string) { super('pulumi-nodejs:dynamic:Resource', name, { __provider: " +
        JSON.stringify(NOOP_PROVIDER) +
        ' }); }',
      '}',
      "new Noop('noop');",
      '',
    ].join('\n'),
  );
}

/** A program of examples/pulumi-git-ssh's project and runtime with `index` as its code, after one `up`. */
async function minimalProgram(pulumi: PulumiInfo, programDir: string, stackName: string, index: string): Promise<MinimalProgram> {
  const dir = copyExample('pulumi-git-ssh', programDir);
  fs.writeFileSync(path.join(dir, 'index.ts'), index);
  // the same project and runtime, without the example's required config (the empty program reads none)
  const yamlFile = path.join(dir, 'Pulumi.yaml');
  fs.writeFileSync(yamlFile, fs.readFileSync(yamlFile, 'utf8').replace(/^config:[\s\S]*$/m, ''));
  const { stack } = await programStack(pulumi, dir, stackName);
  const t = process.hrtime.bigint();
  await stack.up({ color: 'never' });
  return { stack, firstUpMs: Number(process.hrtime.bigint() - t) / 1e6 };
}

export interface Paired {
  floor: number[];
  ours: number[];
  above: number[];
}

/**
 * `runs` pairs of previews, the empty program's then ours, one after the other: the machine's
 * drift (other work, caches) shifts both of a pair alike, so the median of the differences is
 * what ours costs above the floor, steadier than a difference of two separate medians.
 */
export async function paired(floor: () => Promise<number>, ours: () => Promise<number>, runs: number): Promise<Paired> {
  const out: Paired = { floor: [], ours: [], above: [] };
  for (let i = 0; i < runs; i++) {
    const f = await floor();
    const o = await ours();
    out.floor.push(f);
    out.ours.push(o);
    out.above.push(o - f);
  }
  return out;
}

/** Runs `fn` with `name=value` in the environment of every CLI call of the given stacks. */
export async function withEnv<T>(stacks: Stack[], name: string, value: string, fn: () => Promise<T>): Promise<T> {
  for (const s of stacks) s.workspace.envVars[name] = value; // passed to every CLI call the workspace makes
  try {
    return await fn();
  } finally {
    for (const s of stacks) delete s.workspace.envVars[name];
  }
}

/** Runs `fn` with the program in `dir` compiled to JavaScript once; the TypeScript setup is restored after. */
export async function precompiled<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const yamlFile = path.join(dir, 'Pulumi.yaml');
  const pkgFile = path.join(dir, 'package.json');
  const yaml = fs.readFileSync(yamlFile, 'utf8');
  const pkg = fs.readFileSync(pkgFile, 'utf8');
  execFileSync(process.execPath, [path.join(projectRoot(), 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { stdio: 'pipe' });
  fs.writeFileSync(yamlFile, yaml.replace('typescript: true', 'typescript: false'));
  fs.writeFileSync(pkgFile, pkg.replace('"main": "index.ts"', '"main": "index.js"'));
  try {
    return await fn();
  } finally {
    fs.writeFileSync(yamlFile, yaml);
    fs.writeFileSync(pkgFile, pkg);
    fs.rmSync(path.join(dir, 'index.js'), { force: true });
  }
}
