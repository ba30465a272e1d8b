// harness: kube-audit, git-ssh, pulumi
// A lost state (the stack removed, as after a deleted stack or a new backend) and the same
// program run again (examples/pulumi-git-ssh through the real Pulumi CLI): the preview says it
// found the bootstrap this tool made and that `up` will adopt it; `up` then adopts it with no
// commit, no DELETE on the API server (counted on its audit log), no namespace Terminating, and
// one deploy key registered for the repository at the end (the new key replaces the old one
// under the same title, as a server that registers keys by title does; the harness's
// addKeyCommand is one). The Flux Terraform provider's users lost their flux-system this way
// (terraform-provider-flux#740).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listGrants, type GitSshInfo } from '../harness/git-ssh';
import { auditedRequests, auditMark, type KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import type { PulumiInfo } from '../harness/pulumi';
import { GitSshFlow } from '../harness/pulumi-git-ssh-flow';
import { programStack } from '../harness/pulumi-program';
import { harnessInfo } from '../harness/state';

let kube: KubeInfo;
let gitSsh: GitSshInfo;
let pulumi: PulumiInfo;
let flow: GitSshFlow;
let tmp: string;
const say = (m: string) => process.stderr.write(`[lost-state] ${m}\n`);

beforeAll(async () => {
  kube = harnessInfo<KubeInfo>('kube');
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  pulumi = harnessInfo<PulumiInfo>('pulumi');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lost-state-'));
  const name = uniqueName('lost');
  flow = await GitSshFlow.prepare(
    { kube, gitSsh, pulumi },
    { workDir: tmp, repo: `fleet/${name}`, stackName: name, awaitReconciliation: false },
  );
  await flow.up('v2.9.3');
}, 900_000);

afterAll(async () => {
  await flow?.destroy().catch(() => undefined);
  await flow?.removeStack();
  if (tmp && process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
});

const keysOf = (repo: string) => listGrants(gitSsh).filter((g) => g.repo === repo && g.access === 'ro');

test('after the state is lost, the same program adopts its bootstrap: the preview says so; no commit, no delete, one key', async () => {
  const head = flow.head();
  expect(keysOf(flow.repo)).toHaveLength(1);
  // the state is gone; the program and its configuration are not
  const { stack } = flow.program;
  const config = await stack.getAllConfig();
  await stack.workspace.removeStack(stack.name, { force: true });
  const again = await programStack(pulumi, flow.program.dir, stack.name);
  await again.stack.setAllConfig(config);
  expect((await again.stack.exportStack()).deployment.resources ?? []).toHaveLength(0);

  const preview = await again.stack.preview({ color: 'never' });
  const mark = auditMark(kube);
  const t0 = Date.now();
  const up = await again.stack.up({ color: 'never' }).catch((e: Error) => e);
  const out = up instanceof Error ? up.message : up.stdout;
  const lines = out.split('\n').filter((l) => /adopt|found|error/i.test(l));
  say(`up after the lost state: ${Date.now() - t0} ms; ${lines.join(' | ')}`);
  await new Promise((r) => setTimeout(r, 300));
  const requests = auditedRequests(kube, mark).requests.filter((r) => !/flux-bootstrap-harness/.test(r.userAgent));
  const deletes = requests.filter((r) => r.verb === 'delete' || r.verb === 'deletecollection');
  const writes = requests.filter((r) => ['create', 'update', 'patch'].includes(r.verb) && !/[?&]dryRun=/.test(r.uri));
  say(
    `API: ${requests.length} requests, ${writes.length} writes (${writes.map((w) => `${w.verb} ${w.uri.split('?')[0]}`).join(', ')}), ${deletes.length} deletes`,
  );

  expect(preview.stdout).toMatch(/found the Flux bootstrap this tool made in flux-system/);
  expect(up).not.toBeInstanceOf(Error);
  expect(flow.head()).toBe(head);
  expect(deletes.map((d) => d.uri)).toEqual([]);
  const ns = await new KubeRest(kube).get('/api/v1/namespaces/flux-system');
  expect(ns?.metadata?.deletionTimestamp).toBeUndefined();
  expect(keysOf(flow.repo)).toHaveLength(1);
  // and the adopted stack is whole: a preview after it changes nothing
  const after = await again.stack.preview({ color: 'never' });
  expect(Object.keys(after.changeSummary)).toEqual(['same']);
});
