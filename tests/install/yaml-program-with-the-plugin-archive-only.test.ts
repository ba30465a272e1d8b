// harness: release, kube, kube-audit, git-ssh, pulumi, pulumi-languages
// A YAML user, from the release alone: the plugin archive installed with `pulumi plugin install`
// into an empty HOME (no Node.js program, no SDK: the YAML host reads the package schema from the
// plugin), docs/pulumi.md's Pulumi.yaml, then up, a colleague's push, a no-change preview that
// costs no git session and no cluster write, and destroy, which leaves the colleague's file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import type { ReleaseInfo } from '../harness/release';
import { harnessInfo } from '../harness/state';
import { docBlock } from './support/doc-blocks';
import { lifecycleTests, PlainGitLifecycle } from './support/plain-git-lifecycle';
import { userProject, type UserProject } from './support/user-project';

let release: ReleaseInfo;
let project: UserProject;
let life: PlainGitLifecycle;

beforeAll(() => {
  release = harnessInfo<ReleaseInfo>('release');
  project = userProject('yaml', release, harnessInfo<PulumiInfo>('pulumi'));
  life = new PlainGitLifecycle(project, { gitSsh: harnessInfo<GitSshInfo>('git-ssh'), kube: harnessInfo<KubeInfo>('kube') }, 'yaml');
});

afterAll(() => life?.close());

test('the plugin archive installs into an empty PULUMI_HOME', async () => {
  const t = Date.now();
  await project.run(docBlock('install', 'plugin-archive'));
  console.log(`pulumi plugin install of the archive: ${Math.round((Date.now() - t) / 1000)} s`);
  const dir = path.join(project.home, '.pulumi', 'plugins', `resource-flux-bootstrap-v${release.manifest.version}`);
  expect(fs.statSync(path.join(dir, 'pulumi-resource-flux-bootstrap')).mode & 0o111).not.toBe(0);
  fs.writeFileSync(path.join(project.dir, 'Pulumi.yaml'), docBlock('program', 'yaml'));
}, 600_000);

lifecycleTests(() => life);
