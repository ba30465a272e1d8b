// The same cluster as single-cluster.ts with its program served by the provider plugin
// (`flux-bootstrap/pulumi/plugin`, the plugin named in Pulumi.yaml, docs/pulumi.md): its first
// up, and its no-change preview paired with the empty program's as ours is. Beside it, the
// floor of any program with a dynamic resource (one no-op dynamic resource), paired the same
// way: what Pulumi's dynamic provider host costs before any code of ours runs.
import * as path from 'node:path';
import { GitSshFlow } from '../harness/pulumi-git-ssh-flow';
import { measure, upWall } from './observe';
import { noopDynamicProgram, paired, timedPreview, type MinimalProgram } from './program-variants';
import { costRows } from './cost-rows';
import type { SingleServices } from './single-cluster';
import { figure, show, type Row } from './stats';

export interface PluginServedRows {
  previewRows: Row[];
  upRows: Row[];
  previewMs: number[];
}

export async function pluginServed(
  services: SingleServices,
  empty: MinimalProgram,
  workDir: string,
  runs: number,
  log: (m: string) => void,
): Promise<PluginServedRows> {
  const previewRows: Row[] = [];
  const upRows: Row[] = [];
  let previewMs: number[] = [];
  const floor = () => timedPreview(empty.stack);
  const FIRST = "first up, Pulumi's floors (a new program directory: TypeScript compiles cold, as for ours)";
  upRows.push({ section: FIRST, measure: 'an empty TypeScript program: wall', ours: show(figure([empty.firstUpMs])) });
  const above = (p: { above: number[] }) => show(figure(p.above));

  log('no-change preview: one no-op dynamic resource (paired with the empty program)');
  const { stack: noop, firstUpMs } = await noopDynamicProgram(services.pulumi, workDir);
  upRows.push({ section: FIRST, measure: 'one no-op dynamic resource: wall', ours: show(figure([firstUpMs])) });
  try {
    const p = await paired(floor, () => timedPreview(noop), runs);
    previewRows.push({
      section: 'no-change preview',
      measure: "one no-op dynamic resource (Pulumi's dynamic provider host, no code of ours): above the floor",
      ours: above(p),
      headline: true,
    });
  } finally {
    await noop.workspace.removeStack(noop.name, { force: true }).catch(() => undefined);
  }

  const flow = await GitSshFlow.prepare(services, {
    workDir: path.join(workDir, 'plugin-served'),
    repo: 'bench/plugin-served',
    stackName: 'bench-plugin-served',
    awaitReconciliation: false,
    servedByPlugin: true,
  });
  try {
    log('served by the plugin: first up (Flux v2.9.3)');
    const first = await measure(services, () => flow.up('v2.9.3'));
    upRows.push(...costRows('one cluster, served by the plugin', 'first up', [upWall(first)]));
    log('served by the plugin: no-change previews (paired with the empty program)');
    const p = await paired(floor, () => timedPreview(flow.program.stack), runs);
    previewMs = p.ours;
    previewRows.push({
      section: 'no-change preview',
      measure: 'one cluster served by the provider plugin (flux-bootstrap/pulumi/plugin): wall; above the floor',
      ours: `${show(figure(p.ours))}; ${above(p)}`,
      headline: true,
    });
  } finally {
    log('served by the plugin: destroy');
    await flow.destroy().catch((e: Error) => log(`served by the plugin: destroy failed: ${e.message}`));
    await flow.removeStack();
  }
  return { previewRows, upRows, previewMs };
}
