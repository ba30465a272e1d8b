// What a no-change preview costs beyond Pulumi's own floor, and what a user can do about it:
//   - the floor: an empty TypeScript program (it only imports @pulumi/pulumi), previewed on the
//     same machine in the same run;
//   - our share: the single-cluster stack's no-change preview minus that floor;
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

async function previews(stack: Stack, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = await stack.preview({ color: 'never' });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    const changed = Object.entries(r.changeSummary ?? {}).filter(([op, n]) => op !== 'same' && n > 0);
    if (changed.length) throw new Error(`a no-change preview planned changes: ${JSON.stringify(r.changeSummary)}`);
  }
  return times;
}

/** Preview times of an empty TypeScript program (after one `up`, so nothing is to change):
 *  plain, and with the compile cache in `cacheDir`. */
export async function emptyProgramPreviews(pulumi: PulumiInfo, workDir: string, runs: number, cacheDir: string): Promise<{ plain: number[]; compileCache: number[] }> {
  const dir = copyExample('pulumi-git-ssh', path.join(workDir, 'empty-program'));
  fs.writeFileSync(path.join(dir, 'index.ts'), "import '@pulumi/pulumi';\n");
  // the same project and runtime, without the example's required config (the empty program reads none)
  const yamlFile = path.join(dir, 'Pulumi.yaml');
  fs.writeFileSync(yamlFile, fs.readFileSync(yamlFile, 'utf8').replace(/^config:[\s\S]*$/m, ''));
  const { stack } = await programStack(pulumi, dir, 'bench-empty');
  await stack.up({ color: 'never' });
  try {
    const plain = await previews(stack, runs);
    return { plain, compileCache: await compileCachePreviews(stack, cacheDir, runs) };
  } finally {
    await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
  }
}

/** Preview times of `stack` with `name=value` in the environment of every CLI call. */
async function previewsWith(stack: Stack, name: string, value: string, runs: number): Promise<number[]> {
  const env = stack.workspace.envVars; // passed to every CLI call the workspace makes
  env[name] = value;
  try {
    return await previews(stack, runs);
  } finally {
    delete env[name];
  }
}

/** Preview times of `stack` with ts-node's type-check off. */
export function transpileOnlyPreviews(stack: Stack, runs: number): Promise<number[]> {
  return previewsWith(stack, 'PULUMI_NODEJS_TRANSPILE_ONLY', 'true', runs);
}

/** Preview times of `stack` with Node's compile cache in `cacheDir`, after one preview that fills it. */
export async function compileCachePreviews(stack: Stack, cacheDir: string, runs: number): Promise<number[]> {
  await previewsWith(stack, 'NODE_COMPILE_CACHE', cacheDir, 1);
  return previewsWith(stack, 'NODE_COMPILE_CACHE', cacheDir, runs);
}

/** Preview times of the program in `dir` compiled to JavaScript once; the TypeScript setup is restored after. */
export async function precompiledPreviews(stack: Stack, dir: string, runs: number): Promise<number[]> {
  const yamlFile = path.join(dir, 'Pulumi.yaml');
  const pkgFile = path.join(dir, 'package.json');
  const yaml = fs.readFileSync(yamlFile, 'utf8');
  const pkg = fs.readFileSync(pkgFile, 'utf8');
  execFileSync(process.execPath, [path.join(projectRoot(), 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { stdio: 'pipe' });
  fs.writeFileSync(yamlFile, yaml.replace('typescript: true', 'typescript: false'));
  fs.writeFileSync(pkgFile, pkg.replace('"main": "index.ts"', '"main": "index.js"'));
  try {
    return await previews(stack, runs);
  } finally {
    fs.writeFileSync(yamlFile, yaml);
    fs.writeFileSync(pkgFile, pkg);
    fs.rmSync(path.join(dir, 'index.js'), { force: true });
  }
}
