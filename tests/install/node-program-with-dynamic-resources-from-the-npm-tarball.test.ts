// harness: release, kube, kube-audit, git-ssh, pulumi
// A Node.js user, from the release alone: README.md's install block in an empty project with an
// empty HOME, README.md's Pulumi.yaml and program, then `pulumi up`, a colleague's push, a
// no-change `pulumi preview` that costs no git session and no cluster write, and
// `pulumi destroy`, which leaves the colleague's file. The project holds copies, never a link
// into the checkout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../harness/flux-reference';
import type { GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import type { ReleaseInfo } from '../harness/release';
import { harnessInfo } from '../harness/state';
import { docBlock } from './support/doc-blocks';
import { lifecycleTests, PlainGitLifecycle } from './support/plain-git-lifecycle';
import { linksInto, userProject, type UserProject } from './support/user-project';

let release: ReleaseInfo;
let project: UserProject;
let life: PlainGitLifecycle;

beforeAll(() => {
  release = harnessInfo<ReleaseInfo>('release');
  project = userProject('node-dynamic', release, harnessInfo<PulumiInfo>('pulumi'));
  life = new PlainGitLifecycle(
    project,
    { gitSsh: harnessInfo<GitSshInfo>('git-ssh'), kube: harnessInfo<KubeInfo>('kube') },
    'node-dynamic',
  );
});

afterAll(() => life?.close());

test('the release checks out against SHA256SUMS', async () => {
  expect(await project.run(docBlock('install', 'verify'))).toMatch(/: OK$/m);
});

test("README's install block gives a project of its own, with no path into the checkout", async () => {
  const t = Date.now();
  await project.run(docBlock('install', 'node-dynamic'));
  console.log(`npm install of the tarball and @pulumi/pulumi: ${Math.round((Date.now() - t) / 1000)} s`);
  fs.writeFileSync(path.join(project.dir, 'Pulumi.yaml'), docBlock('program', 'node-pulumi-yaml'));
  fs.writeFileSync(path.join(project.dir, 'index.ts'), docBlock('program', 'node-dynamic'));
  const installed = JSON.parse(fs.readFileSync(path.join(project.dir, 'node_modules', 'flux-bootstrap', 'package.json'), 'utf8')) as {
    version: string;
  };
  expect(installed.version).toBe(release.manifest.version);
  expect(linksInto(project.dir, projectRoot())).toEqual([]);
  expect(fs.lstatSync(path.join(project.dir, 'node_modules', 'flux-bootstrap')).isSymbolicLink()).toBe(false);
}, 900_000);

lifecycleTests(() => life);
