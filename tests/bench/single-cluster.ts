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
import { costRows } from './cost-rows';
import { measure, kib, upWall, type Cost } from './observe';
import { pluginServed } from './plugin-served';
import { assertNoChange, emptyProgram, paired, precompiled, timedPreview, withEnv, type Paired } from './program-variants';
import { figure, show, type Row } from './stats';

export interface SingleServices {
  kube: KubeInfo;
  gitSsh: GitSshInfo;
  pulumi: PulumiInfo;
}

export interface SingleFigures {
  rows: Row[];
  preview: Cost[];
  refresh: Cost[];
  bump: Cost;
  /** the same cluster served by the plugin */ pluginPreviewMs: number[];
}

export async function singleCluster(
  services: SingleServices,
  workDir: string,
  runs: number,
  log: (m: string) => void,
): Promise<SingleFigures> {
  const flow = await GitSshFlow.prepare(services, {
    workDir: path.join(workDir, 'single'),
    repo: 'bench/single',
    stackName: 'bench-single',
    awaitReconciliation: false,
  });
  const { stack } = flow.program;
  const rows: Row[] = [];
  const S = 'one cluster';

  log('single cluster: first up (Flux v2.8.5)');
  const first = await measure(services, () => flow.up('v2.8.5'));
  rows.push(...costRows(S, 'first up', [upWall(first)]));
  rows.push({
    section: S,
    measure: 'first up: objects applied, files committed',
    ours: `${first.value.objects}, ${first.value.files.length} in 1 commit`,
  });

  log("no-change preview: paired with an empty TypeScript program's (Pulumi's floor)");
  const emptyFirst = await emptyProgram(services.pulumi, workDir);
  const empty = emptyFirst.stack;
  const previews: Cost[] = [];
  const plain = await paired(
    () => timedPreview(empty),
    async () => {
      log(`single cluster: no-change preview ${previews.length + 1}/${runs}`);
      const p = await measure(services, () => stack.preview({ color: 'never' }));
      assertNoChange(p.value.changeSummary, 'preview');
      previews.push(p.cost);
      return p.cost.ms;
    },
    runs,
  );
  rows.push(...costRows(S, 'no-change preview', previews));
  try {
    return await afterPreviews(rows, {
      services,
      flow,
      stack,
      plain,
      previews,
      empty,
      emptyFirstUpMs: emptyFirst.firstUpMs,
      workDir,
      runs,
      log,
    });
  } finally {
    await empty.workspace.removeStack(empty.name, { force: true }).catch(() => undefined);
  }
}

interface Context {
  services: SingleServices;
  flow: GitSshFlow;
  stack: Stack;
  plain: Paired;
  previews: Cost[];
  empty: Stack;
  emptyFirstUpMs: number;
  workDir: string;
  runs: number;
  log: (m: string) => void;
}

/** The rest of the single-cluster figures, while the empty program is there to pair with. */
async function afterPreviews(rows: Row[], ctx: Context): Promise<SingleFigures> {
  const { services, flow, stack, plain, previews, empty, emptyFirstUpMs, workDir, runs, log } = ctx;
  const S = 'one cluster';
  rows.push(...(await floorRows(plain, empty, stack, flow.program.dir, workDir, runs, log)));
  const floorEnd = rows.length;

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
  rows.push(...costRows(S, 'up after bump v2.8.5 → v2.9.3', [upWall(bump)]));

  rows.push(...providerSize(S, (await stack.exportStack()).deployment));

  log('single cluster: destroy');
  const destroy = await measure(services, () => flow.destroy());
  rows.push(...costRows(S, 'destroy', [destroy.cost]));
  await flow.removeStack();
  // in the namespace the stack above just left; its preview figures go beside the other floors
  const plugin = await pluginServed(services, { stack: empty, firstUpMs: emptyFirstUpMs }, workDir, runs, log);
  rows.splice(floorEnd, 0, ...plugin.previewRows);
  rows.push(...plugin.upRows);
  return { rows, preview: previews, refresh: refreshes, bump: upWall(bump), pluginPreviewMs: plugin.previewMs };
}

/** The no-change preview beside Pulumi's floor, and what a user can do about the rest: each
 *  variant paired with previews of the empty program, as the plain one is. */
async function floorRows(
  plain: Paired,
  empty: Stack,
  stack: Stack,
  dir: string,
  workDir: string,
  runs: number,
  log: (m: string) => void,
): Promise<Row[]> {
  const S = 'no-change preview';
  log('no-change preview: type-check off, precompiled, compile cache (each paired with the empty program)');
  const ours = () => timedPreview(stack);
  const floor = () => timedPreview(empty);
  const transpileOnly = await withEnv([stack], 'PULUMI_NODEJS_TRANSPILE_ONLY', 'true', () => paired(floor, ours, runs));
  const compiled = await precompiled(dir, () => paired(floor, ours, runs));
  const cacheDir = path.join(workDir, 'node-compile-cache');
  const cached = await withEnv([stack, empty], 'NODE_COMPILE_CACHE', cacheDir, async () => {
    await paired(floor, ours, 1); // fills the cache
    return paired(floor, ours, runs);
  });
  const above = (p: Paired) => show(figure(p.above));
  return [
    { section: S, measure: "an empty TypeScript program (Pulumi's floor): wall", ours: show(figure(plain.floor)) },
    { section: S, measure: 'one cluster (TypeScript, type-checked): above the floor (paired runs)', ours: above(plain), headline: true },
    {
      section: S,
      measure: 'the same, type-check off (PULUMI_NODEJS_TRANSPILE_ONLY=true): wall; above the floor',
      ours: `${show(figure(transpileOnly.ours))}; ${above(transpileOnly)}`,
    },
    {
      section: S,
      measure: 'the same, precompiled to JavaScript (typescript: false): wall; above the floor',
      ours: `${show(figure(compiled.ours))}; ${above(compiled)}`,
      headline: true,
    },
    {
      section: S,
      measure: "with Node's compile cache (NODE_COMPILE_CACHE=dir): the empty program; one cluster; above that floor",
      ours: `${show(figure(cached.floor))}; ${show(figure(cached.ours))}; ${above(cached)}`,
      headline: true,
    },
  ];
}

/** The dynamic providers' stubs in the stack's state: what every resource carries. */
export function providerSize(
  section: string,
  deployment: { resources?: Array<{ type: string; urn: string; outputs?: Record<string, unknown> }> },
): Row[] {
  // dynamic resources carry their provider's text in the input and the output `__provider`
  const sizes = (deployment.resources ?? []).flatMap((r) =>
    typeof r.outputs?.__provider === 'string' ? [r.outputs.__provider.length] : [],
  );
  const total = JSON.stringify(deployment).length;
  return [
    {
      section,
      measure: 'dynamic provider stub (__provider) per resource',
      ours: sizes.length ? `${show(figure(sizes), '', 0)} chars (${sizes.length} resources)` : '—',
    },
    { section, measure: 'whole stack state (all resources)', ours: `${kib(total)} for ${(deployment.resources ?? []).length} resources` },
  ];
}
