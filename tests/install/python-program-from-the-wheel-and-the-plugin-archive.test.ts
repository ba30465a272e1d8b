// harness: release, kube, kube-audit, git-ssh, pulumi, pulumi-languages
// A Python user, from the release alone: the plugin archive (`pulumi plugin install`), a
// virtualenv with `pulumi` from PyPI and the release's wheel, docs/pulumi.md's Pulumi.yaml and
// __main__.py; then up, a colleague's push, a no-change preview costing no git session and no
// cluster write, destroy keeping the colleague's file. The v3.68 Python host of a bare clone
// ignores `runtime.options.virtualenv`, which the docs rely on: there this file skips.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeWithCurrentHosts } from '../e2e/plugin/current-hosts';
import type { GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import type { ReleaseInfo } from '../harness/release';
import { harnessInfo } from '../harness/state';
import { docBlock } from './support/doc-blocks';
import { lifecycleTests, PlainGitLifecycle } from './support/plain-git-lifecycle';
import { userProject, type UserProject } from './support/user-project';

const pulumi = harnessInfo<PulumiInfo>('pulumi');

describeWithCurrentHosts(pulumi, 'Python from the wheel')('Python from the wheel and the plugin archive', () => {
  let project: UserProject;
  let life: PlainGitLifecycle;

  beforeAll(() => {
    project = userProject('python-wheel', harnessInfo<ReleaseInfo>('release'), pulumi);
    life = new PlainGitLifecycle(
      project,
      { gitSsh: harnessInfo<GitSshInfo>('git-ssh'), kube: harnessInfo<KubeInfo>('kube') },
      'python-wheel',
    );
  });

  afterAll(() => life?.close());

  test('the plugin archive and the wheel install into an empty project', async () => {
    const t = Date.now();
    await project.run(docBlock('install', 'plugin-archive'));
    await project.run(docBlock('install', 'python-wheel'));
    console.log(`plugin archive and a virtualenv with the wheel: ${Math.round((Date.now() - t) / 1000)} s`);
    fs.writeFileSync(path.join(project.dir, 'Pulumi.yaml'), docBlock('program', 'python-pulumi-yaml'));
    fs.writeFileSync(path.join(project.dir, '__main__.py'), docBlock('program', 'python'));
    expect(await project.run('venv/bin/pip show pulumi_flux_bootstrap')).toMatch(/^Version: 0\.1\.0$/m);
  }, 900_000);

  lifecycleTests(() => life);
});
