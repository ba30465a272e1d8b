// One cluster bootstrapped by examples/pulumi-git-ssh on the harness (sshd, API server,
// Pulumi CLI): first up, no-change preview and up, a version bump, destroy. The harness has
// no Flux controllers here, and up does not wait for reconciliation: the figures are the
// provider's work (and Pulumi's), not Flux's.
import * as path from 'node:path';
import type { GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import { GitSshFlow } from '../harness/pulumi-git-ssh-flow';
import type { Stack } from '@pulumi/pulumi/automation';
import { measure, kib, type Cost } from './observe';
import { compileCachePreviews, emptyProgramPreviews, precompiledPreviews, transpileOnlyPreviews } from './program-variants';
import { figure, show, type Row } from './stats';

export interface SingleServices { kube: KubeInfo; gitSsh: GitSshInfo; pulumi: PulumiInfo }

const HEADLINE = new Set(['first up', 'no-change preview', 'no-change preview --refresh', 'no-change up']);

function costRows(section: string, what: string, costs: Cost[]): Row[] {
  const rows: Row[] = [{ section, measure: `${what}: wall`, ours: show(figure(costs.map((c) => c.ms))), headline: HEADLINE.has(what) }];
  const same = (f: (c: Cost) => number) => {
    const v = costs.map(f);
    return v.every((x) => x === v[0]) ? String(v[0]) : show(figure(v), '', 0);
  };
  rows.push({ section, measure: `${what}: git sessions (pushes)`, ours: `${same((c) => c.gitSessions)} (${same((c) => c.pushes)})` });
  rows.push({ section, measure: `${what}: bytes from git server`, ours: kib(figure(costs.map((c) => c.gitBytes)).median) });
  rows.push({ section, measure: `${what}: API requests (writes)`, ours: `${same((c) => c.apiRequests)} (${same((c) => c.apiWrites)})`, headline: HEADLINE.has(what) });
  return rows;
}

export interface SingleFigures { rows: Row[]; preview: Cost[]; refresh: Cost[]; bump: Cost }

export async function singleCluster(services: SingleServices, workDir: string, runs: number, log: (m: string) => void): Promise<SingleFigures> {
  const flow = await GitSshFlow.prepare(services, {
    workDir: path.join(workDir, 'single'), repo: 'bench/single', stackName: 'bench-single', awaitReconciliation: false,
  });
  const { stack } = flow.program;
  const rows: Row[] = [];
  const S = 'one cluster';

  log('single cluster: first up (Flux v2.8.5)');
  const first = await measure(services, () => flow.up('v2.8.5'));
  rows.push(...costRows(S, 'first up', [first.cost]));
  rows.push({ section: S, measure: 'first up: objects applied, files committed', ours: `${first.value.objects}, ${first.value.files.length} in 1 commit` });

  const previews: Cost[] = [];
  for (let i = 0; i < runs; i++) {
    log(`single cluster: no-change preview ${i + 1}/${runs}`);
    const p = await measure(services, () => stack.preview({ color: 'never' }));
    assertNoChange(p.value.changeSummary, 'preview');
    previews.push(p.cost);
  }
  rows.push(...costRows(S, 'no-change preview', previews));
  rows.push(...await floorRows(services.pulumi, flow.program.stack, flow.program.dir, workDir, previews, runs, log));

  const refreshes: Cost[] = [];
  for (let i = 0; i < runs; i++) {
    log(`single cluster: no-change preview --refresh ${i + 1}/${runs}`);
    const p = await measure(services, () => stack.preview({ color: 'never', refresh: true }));
    assertNoChange(p.value.changeSummary, 'preview --refresh');
    refreshes.push(p.cost);
  }
  rows.push(...costRows(S, 'no-change preview --refresh', refreshes));

  log('single cluster: no-change up');
  const headBefore = flow.head();
  const again = await measure(services, () => stack.up({ color: 'never' }));
  if (flow.head() !== headBefore) throw new Error('a no-change up moved the branch');
  rows.push(...costRows(S, 'no-change up', [again.cost]));

  log('single cluster: version bump to v2.9.3');
  const bump = await measure(services, () => flow.up('v2.9.3'));
  rows.push(...costRows(S, 'up after bump v2.8.5 → v2.9.3', [bump.cost]));

  rows.push(...providerSize(S, (await stack.exportStack()).deployment));

  log('single cluster: destroy');
  const destroy = await measure(services, () => flow.destroy());
  rows.push(...costRows(S, 'destroy', [destroy.cost]));
  await flow.removeStack();
  return { rows, preview: previews, refresh: refreshes, bump: bump.cost };
}

/** The no-change preview beside Pulumi's floor, and what a user can do about the rest. */
async function floorRows(pulumi: PulumiInfo, stack: Stack, dir: string, workDir: string, previews: Cost[], runs: number, log: (m: string) => void): Promise<Row[]> {
  const S = 'no-change preview';
  log('no-change preview: an empty TypeScript program, type-check off, precompiled, compile cache');
  const cacheDir = path.join(workDir, 'node-compile-cache');
  const floors = await emptyProgramPreviews(pulumi, workDir, runs, cacheDir);
  const empty = figure(floors.plain);
  const emptyCached = figure(floors.compileCache);
  const ours = figure(previews.map((c) => c.ms));
  const transpileOnly = figure(await transpileOnlyPreviews(stack, runs));
  const precompiled = figure(await precompiledPreviews(stack, dir, runs));
  const cached = figure(await compileCachePreviews(stack, cacheDir, runs));
  const above = (f: typeof ours, floor = empty) => `${((f.median - floor.median) / 1000).toFixed(2)} s`;
  return [
    { section: S, measure: 'an empty TypeScript program (Pulumi\'s floor): wall', ours: show(empty) },
    { section: S, measure: 'one cluster (TypeScript, type-checked): above the floor', ours: above(ours), headline: true },
    { section: S, measure: 'the same, type-check off (PULUMI_NODEJS_TRANSPILE_ONLY=true): wall; above the floor', ours: `${show(transpileOnly)}; ${above(transpileOnly)}` },
    { section: S, measure: 'the same, precompiled to JavaScript (typescript: false): wall; above the floor', ours: `${show(precompiled)}; ${above(precompiled)}`, headline: true },
    { section: S, measure: 'with Node\'s compile cache (NODE_COMPILE_CACHE=dir): the empty program; one cluster; above that floor', ours: `${show(emptyCached)}; ${show(cached)}; ${above(cached, emptyCached)}`, headline: true },
  ];
}

function assertNoChange(summary: Record<string, number> | undefined, what: string): void {
  const changed = Object.entries(summary ?? {}).filter(([op, n]) => op !== 'same' && n > 0);
  if (changed.length) throw new Error(`the no-change ${what} planned changes: ${JSON.stringify(summary)}`);
}

/** The dynamic providers' stubs in the stack's state: what every resource carries. */
export function providerSize(section: string, deployment: { resources?: Array<{ type: string; urn: string; outputs?: Record<string, unknown> }> }): Row[] {
  // dynamic resources carry their provider's text in the input and the output `__provider`
  const dynamic = (deployment.resources ?? []).filter((r) => typeof r.outputs?.__provider === 'string');
  const sizes = dynamic.map((r) => String(r.outputs?.__provider ?? '').length);
  const total = JSON.stringify(deployment).length;
  return [
    { section, measure: 'dynamic provider stub (__provider) per resource', ours: sizes.length ? `${show(figure(sizes), '', 0)} chars (${sizes.length} resources)` : '—' },
    { section, measure: 'whole stack state (all resources)', ours: `${kib(total)} for ${(deployment.resources ?? []).length} resources` },
  ];
}
