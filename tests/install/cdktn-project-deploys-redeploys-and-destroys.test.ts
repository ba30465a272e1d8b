// harness: release, kube, opentofu, cdktf-cli
// A CDK Terrain user with a plain Git server, from the release alone: docs/cdktf.md's install
// block (the npm tarball, the `cdktn` library 0.24 and constructs; neither `cdktf` nor any
// provider package), its cdktf.json and main.ts (App and TerraformStack from 'cdktn') in an
// empty project with an empty HOME, then `cdktn deploy` (the cluster side, on the harness's API
// server), a second deploy that changes nothing, and `cdktn destroy`, which leaves another
// team's ConfigMap. The `cdktn` command is the harness's cdktn-cli 0.24.0, linked into a bin
// directory on the user's PATH as `npm install -g cdktn-cli@0.24.0` would put it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CdktfCliInfo } from '../harness/cdktf-cli';
import { projectRoot } from '../harness/flux-reference';
import type { KubeInfo } from '../harness/kube';
import type { OpenTofuInfo } from '../harness/opentofu';
import type { ReleaseInfo } from '../harness/release';
import { harnessInfo } from '../harness/state';
import { CdkProject, deployTests } from './support/cdktf-project';
import { docBlock } from './support/doc-blocks';

let p: CdkProject;

afterAll(() => p?.remove());

beforeAll(() => {
  p = new CdkProject(
    { cli: 'cdktn', install: 'cdktn', programs: { 'main.ts': 'cdktn-plain-git', 'cdktf.json': 'cdktf-json' } },
    harnessInfo<ReleaseInfo>('release'),
    harnessInfo<CdktfCliInfo>('cdktf-cli'),
    harnessInfo<OpenTofuInfo>('opentofu'),
    harnessInfo<KubeInfo>('kube'),
  );
});

test('the install block gives cdktn, constructs and flux-bootstrap: no cdktf, no provider package', async () => {
  const installed = await p.install();
  expect(installed).toEqual(expect.arrayContaining(['cdktn', 'constructs', 'flux-bootstrap']));
  expect(installed.filter((m) => m === 'cdktf' || m.startsWith('@cdktf/') || m.startsWith('@cdktn/provider-'))).toEqual([]);
  // the program the docs show is examples/cdktn-git's
  expect(fs.readFileSync(path.join(projectRoot(), 'examples', 'cdktn-git', 'main.ts'), 'utf8')).toBe(
    docBlock('program', 'cdktn-plain-git'),
  );
}, 900_000);

test('synth builds on the cdktn library: its version in the stack, the same resources as on cdktf', async () => {
  await p.makeKey();
  await p.run('synth', 'synth');
  const stack = JSON.parse(fs.readFileSync(path.join(p.project.dir, 'cdktf.out', 'stacks', 'cluster', 'cdk.tf.json'), 'utf8')) as {
    '//': { metadata: { version: string } };
    resource: Record<string, unknown>;
  };
  expect(stack['//'].metadata.version).toBe('0.24.0');
  expect(Object.keys(stack.resource).sort()).toEqual(['kubectl_manifest', 'terraform_data']);
}, 900_000);

deployTests(() => p);
