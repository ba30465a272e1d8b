// `npm run bench -- terraform`: only the side-by-sides, so the Terraform provider's column can be
// measured again without the whole bench: `flux bootstrap git` beside ours (first install and,
// for the Terraform comparison, ours' bump with reconciliation and health awaited), ours'
// no-change previews of one cluster measured here under the same load as its plan, and the
// Terraform provider. The rows replace the sections 'vs flux bootstrap git' and 'vs Terraform
// provider' (with --keep, the other sections stay).
import * as path from 'node:path';
import type { GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import { GitSshFlow } from '../harness/pulumi-git-ssh-flow';
import { fluxSideBySide } from './flux-cli';
import { measure, type Cost } from './observe';
import { assertNoChange } from './program-variants';
import type { Row } from './stats';
import { terraformRows } from './terraform-rows';
import { terraformSideBySide } from './terraform-side';

export async function terraformOnly(
  services: { kube: KubeInfo; gitSsh: GitSshInfo; pulumi: PulumiInfo },
  workDir: string,
  runs: number,
  log: (m: string) => void,
): Promise<Row[]> {
  const side = await fluxSideBySide(services, workDir, log);
  const flow = await GitSshFlow.prepare(services, {
    workDir: path.join(workDir, 'previews'),
    repo: 'bench/terraform-previews',
    stackName: 'bench-terraform-previews',
    awaitReconciliation: false,
  });
  const preview: Cost[] = [];
  const refresh: Cost[] = [];
  try {
    await flow.up('v2.9.3');
    // the flow's own checks after its up end first: their requests are not the preview's
    await new Promise((r) => setTimeout(r, 2000));
    for (let i = 0; i < runs; i++) {
      log(`no-change preview and preview --refresh ${i + 1}/${runs}`);
      const p = await measure(services, () => flow.program.stack.preview({ color: 'never' }));
      assertNoChange(p.value.changeSummary, 'preview');
      preview.push(p.cost);
      const r = await measure(services, () => flow.program.stack.preview({ color: 'never', refresh: true }));
      assertNoChange(r.value.changeSummary, 'preview --refresh');
      refresh.push(r.cost);
    }
  } finally {
    await flow.destroy();
    await flow.removeStack();
  }
  const tf = await terraformSideBySide(services, workDir, log).catch((e: Error) => ({
    skipped: `failed: ${e.message.split('\n').slice(0, 3).join(' ')}`,
  }));
  const bump = side.oursBump ? { cost: side.oursBump, awaited: true } : undefined;
  if (!bump) throw new Error('the side by side with flux bootstrap measured no bump of ours');
  return [...side.rows, ...terraformRows(tf, { first: side.oursFirst, preview, refresh, bump })];
}
