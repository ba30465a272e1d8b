// harness: kube, git-ssh, flux-controllers, pulumi
// A kustomization.yaml the user committed patches the flux-system GitRepository to another branch
// ("staging", which holds the same patch), so Flux pulls from there; then a version change runs
// (examples/pulumi-git-ssh through the real Pulumi CLI, with the real source- and
// kustomize-controller). The preview says where Flux will pull from; `up` applies the patched
// GitRepository, as Flux does, so the two never undo each other (its generation does not move
// during `up`); and since "staging" does not hold the commit pushed to main, `up` fails at once,
// before applying anything, saying so and what to do, instead of waiting out its 300 s. Once
// "staging" holds it, `up` waits on "staging" and finishes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FluxControllersInfo } from '../harness/flux-controllers';
import { distributionDir } from '../harness/flux-reference';
import { fluxStatus, gitRepositoryPath, waitForReconciled } from '../harness/flux-status';
import type { GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import type { PulumiInfo } from '../harness/pulumi';
import { GitSshFlow } from '../harness/pulumi-git-ssh-flow';
import { harnessInfo } from '../harness/state';

let rest: KubeRest;
let tmp: string;
let flow: GitSshFlow;
let log = '';
const say = (m: string) => process.stderr.write(`[moved-source] ${m}\n`);

const PATCHED = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- gotk-components.yaml
- gotk-sync.yaml
patches:
- patch: |
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: GitRepository
    metadata:
      name: flux-system
      namespace: flux-system
    spec:
      ref:
        branch: staging
`;

/** Generations of the GitRepository, sampled every 200 ms while `fn` runs. */
async function generationsDuring<T>(fn: () => Promise<T>): Promise<{ result: T | Error; generations: number[]; ms: number }> {
  const generations: number[] = [];
  let on = true;
  const sampler = (async () => {
    while (on) {
      const g = (await rest.get(gitRepositoryPath('flux-system')))?.metadata?.generation as number | undefined;
      if (g !== undefined && generations[generations.length - 1] !== g) generations.push(g);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const t0 = Date.now();
  const result = await fn().catch((e: Error) => e);
  const ms = Date.now() - t0;
  on = false;
  await sampler;
  return { result, generations, ms };
}

async function reconcileNow(): Promise<void> {
  await rest.mergePatch(gitRepositoryPath('flux-system'), {
    metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': new Date().toISOString() } },
  });
}

beforeAll(async () => {
  const kube = harnessInfo<KubeInfo>('kube');
  rest = new KubeRest(kube);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'moved-source-'));
  const name = uniqueName('moved');
  flow = await GitSshFlow.prepare(
    {
      kube,
      gitSsh: harnessInfo<GitSshInfo>('git-ssh'),
      flux: harnessInfo<FluxControllersInfo>('flux-controllers'),
      pulumi: harnessInfo<PulumiInfo>('pulumi'),
    },
    {
      workDir: path.join(tmp, name),
      repo: `fleet/${name}`,
      stackName: name,
      pulumiOutput: (s) => {
        log += s;
      },
    },
  );
  await flow.up('v2.8.5');
}, 900_000);

afterAll(async () => {
  await flow?.destroy().catch(() => undefined);
  await flow?.removeStack();
  if (tmp && process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
});

test('a patch that moves Flux to another branch: the preview says so, up neither fights Flux nor waits out its timeout, and follows the branch once it holds the commit', async () => {
  // the user's patch, on main and on the branch it names (made from it)
  const patched = await flow.commitOnBranch('main', { 'flux-system/kustomization.yaml': PATCHED }, 'Pull from staging');
  await flow.pushCommitTo(patched, 'staging');
  await reconcileNow();
  await waitForReconciled(rest, { namespace: 'flux-system', revision: `staging@sha1:${patched}`, timeoutMs: 180_000 });
  const before = (await rest.get(gitRepositoryPath('flux-system')))?.metadata?.generation as number;
  say(`Flux Ready at staging@sha1:${patched}, GitRepository generation ${before}`);

  const { stack } = flow.program;
  await stack.setAllConfig({ version: { value: 'v2.9.3' }, distribution: { value: distributionDir('v2.9.3') } });
  const preview = await stack.preview({ color: 'never' });
  const bump = await generationsDuring(() => stack.up({ onOutput: (s) => (log += s), color: 'never' }));
  say(`up with the version change: ${bump.ms} ms, generations ${bump.generations.join(' -> ')}`);

  // no fight: the GitRepository as Flux applies it, untouched by up
  expect(bump.generations).toEqual([before]);
  // no 300 s wait: up ends at once, before applying, with the reason and the remedy
  expect(bump.result).toBeInstanceOf(Error);
  const message = (bump.result as Error).message;
  expect(message).toContain('Flux pulls from branch "staging", not from branch "main"');
  expect(message).toContain('merge "main" into "staging"');
  expect(bump.ms).toBeLessThan(120_000);
  const source = await rest.get('/apis/apps/v1/namespaces/flux-system/deployments/source-controller');
  expect(source.spec.template.spec.containers[0].image).toBe('ghcr.io/fluxcd/source-controller:v1.8.2');
  // the preview said where Flux pulls from
  expect(preview.stdout).toContain('Flux will pull from branch "staging" (not branch "main")');

  // the user merges main into staging: Flux applies the new version from there, and up follows it
  const head = flow.head()!;
  await flow.pushCommitTo(head, 'staging');
  await reconcileNow();
  const from = log.length;
  const follow = await generationsDuring(() => stack.up({ onOutput: (s) => (log += s), color: 'never' }));
  say(`up once staging holds the commit: ${follow.ms} ms, generations ${follow.generations.join(' -> ')}`);
  if (follow.result instanceof Error) throw follow.result;
  expect(follow.generations).toEqual([before]);
  expect(log.slice(from)).toContain('branch "staging" holds');
  const status = await fluxStatus(rest, 'flux-system');
  expect(status.kustomization.revision).toBe(`staging@sha1:${head}`);
  expect(follow.ms).toBeLessThan(120_000);
});
