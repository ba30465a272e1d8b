// The Terraform provider's figures beside ours, as table rows, with the two comparisons the
// benchmark exists to show: first install (both Flux v2.9.3, both wait for Flux and the
// controllers' health) and the no-change check (ours: preview and preview --refresh; its: plan,
// which refreshes by cloning). The bump v2.8.5 -> v2.9.3 waits for health on both when ours was
// measured beside flux bootstrap, where the controllers run.
import { kib, type Cost } from './observe';
import { figure, show, type Row } from './stats';
import type { TerraformFigures } from './terraform-side';

const S = 'vs Terraform provider';
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const api = (c: Cost) => `${c.apiRequests} (${c.apiWrites})`;
const median = (costs: Cost[], f: (c: Cost) => number) => figure(costs.map(f)).median;

export interface OursForTerraform {
  first?: Cost;
  preview: Cost[];
  refresh: Cost[];
  /** `awaited`: with reconciliation and health awaited, as the Terraform provider waits */
  bump: { cost: Cost; awaited: boolean };
  /** previews of the same cluster served by the plugin */ pluginPreviewMs?: number[];
}

export function terraformRows(tf: TerraformFigures, ours: OursForTerraform): Row[] {
  if ('skipped' in tf) return [{ section: S, measure: 'Terraform provider', ours: '', terraform: `skipped: ${tf.skipped}` }];
  const refreshMs = median(ours.refresh, (c) => c.ms);
  const previewMs = median(ours.preview, (c) => c.ms);
  const refreshed = ours.refresh[0];
  const plugin = ours.pluginPreviewMs?.length ? figure(ours.pluginPreviewMs).median : undefined;
  const viaPlugin = (f: (ms: number) => string) => (plugin === undefined ? '' : `; served by the plugin ${f(plugin)}`);
  return [
    {
      section: S,
      measure: 'first install, reconciliation and health awaited: wall',
      ours: ours.first ? `${secs(ours.first.ms)} (Flux v2.9.3)` : '—',
      terraform: `${secs(tf.first.ms)} (Flux v2.9.3)`,
      headline: true,
    },
    {
      section: S,
      measure: 'first install: git sessions (pushes); bytes from server',
      ours: ours.first ? `${ours.first.gitSessions} (${ours.first.pushes}); ${kib(ours.first.gitBytes)}` : '—',
      terraform: `${tf.first.gitSessions} (${tf.first.pushes}); ${kib(tf.first.gitBytes)}`,
    },
    {
      section: S,
      measure: 'first install: API requests (writes)',
      ours: ours.first ? api(ours.first) : '—',
      terraform: api(tf.first),
      headline: true,
    },
    {
      section: S,
      measure: 'no-change check: wall',
      ours: `preview ${show(figure(ours.preview.map((c) => c.ms)))}; preview --refresh ${show(figure(ours.refresh.map((c) => c.ms)))}${viaPlugin(() => `preview ${show(figure(ours.pluginPreviewMs!))}`)}`,
      terraform: `plan ${secs(tf.plan.ms)}`,
      headline: true,
    },
    {
      section: S,
      measure: 'no-change check: ours ÷ its plan',
      ours: `preview ${(previewMs / tf.plan.ms).toFixed(2)}×; preview --refresh ${(refreshMs / tf.plan.ms).toFixed(2)}×${viaPlugin((ms) => `preview ${(ms / tf.plan.ms).toFixed(2)}×`)}`,
      terraform: '1×',
      headline: true,
    },
    {
      section: S,
      measure: 'no-change check: git sessions; bytes from server',
      ours: `${refreshed.gitSessions} (ls-remote); ${kib(refreshed.gitBytes)}`,
      terraform: `${tf.plan.gitSessions}; ${kib(tf.plan.gitBytes)}`,
      headline: true,
    },
    {
      section: S,
      measure: 'no-change check: API requests (writes)',
      ours: `preview ${api(ours.preview[0])}; --refresh ${api(refreshed)}`,
      terraform: api(tf.plan),
    },
    {
      section: S,
      measure: 'version bump v2.8.5 → v2.9.3: wall',
      ours: `${secs(ours.bump.cost.ms)} (${ours.bump.awaited ? 'health awaited' : 'no wait: the controllers did not run'})`,
      terraform: `${secs(tf.bump.ms)} (health awaited)`,
    },
    {
      section: S,
      measure: 'version bump: git sessions (pushes); bytes; API requests (writes)',
      ours: `${ours.bump.cost.gitSessions} (${ours.bump.cost.pushes}); ${kib(ours.bump.cost.gitBytes)}; ${api(ours.bump.cost)}`,
      terraform: `${tf.bump.gitSessions} (${tf.bump.pushes}); ${kib(tf.bump.gitBytes)}; ${api(tf.bump)}`,
    },
  ];
}
