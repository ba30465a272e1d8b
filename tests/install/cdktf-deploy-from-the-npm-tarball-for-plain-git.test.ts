// harness: release, kube, opentofu, cdktf-cli
// A CDK for Terraform user with a plain Git server, from the release alone: docs/cdktf.md's
// install block (the npm tarball, cdktf 0.21 and constructs: no provider package, no GitHub or
// GitLab one), its cdktf.json and main.ts in an empty project with an empty HOME, then
// `cdktf deploy` (the cluster side, on the harness's API server), a second deploy that changes
// nothing, and `cdktf destroy`, which leaves another team's ConfigMap. The `cdktf` command is
// the harness's cdktf-cli 0.21.0, linked into a bin directory on the user's PATH as
// `npm install -g cdktf-cli@0.21.0` would put it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CdktfCliInfo } from '../harness/cdktf-cli';
import type { KubeInfo } from '../harness/kube';
import type { OpenTofuInfo } from '../harness/opentofu';
import type { ReleaseInfo } from '../harness/release';
import { harnessInfo } from '../harness/state';
import { CdkProject, deployTests } from './support/cdktf-project';

let p: CdkProject;

afterAll(() => p?.remove());

beforeAll(() => {
  p = new CdkProject(
    { cli: 'cdktf', install: 'cdktf', programs: { 'main.ts': 'cdktf-plain-git', 'cdktf.json': 'cdktf-json' } },
    harnessInfo<ReleaseInfo>('release'),
    harnessInfo<CdktfCliInfo>('cdktf-cli'),
    harnessInfo<OpenTofuInfo>('opentofu'),
    harnessInfo<KubeInfo>('kube'),
  );
});

test('the install block gives cdktf, constructs and flux-bootstrap, and no provider package', async () => {
  const installed = await p.install();
  expect(installed).toEqual(expect.arrayContaining(['cdktf', 'constructs', 'flux-bootstrap']));
  expect(installed.filter((m) => m.startsWith('@cdktf/provider-') || m === 'cdktn')).toEqual([]);
  const pkg = JSON.parse(fs.readFileSync(path.join(p.project.dir, 'node_modules', 'flux-bootstrap', 'package.json'), 'utf8')) as {
    version: string;
  };
  expect(pkg.version).toBe(harnessInfo<ReleaseInfo>('release').manifest.version);
}, 900_000);

deployTests(() => p);
