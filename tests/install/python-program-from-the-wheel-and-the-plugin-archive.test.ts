// harness: release, kube, kube-audit, git-ssh, pulumi, pulumi-languages
// A Python user, from the release alone: the plugin archive (`pulumi plugin install`), a
// virtualenv with `pulumi` from PyPI and the release's wheel, docs/pulumi.md's Pulumi.yaml and
// __main__.py; then up, a colleague's push, a no-change preview costing no git session and no
// cluster write, destroy keeping the colleague's file. The v3.68 Python host of a bare clone
// ignores `runtime.options.virtualenv`, which the docs rely on: there this file skips.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeWithCurrentHosts } from '../e2e/plugin/current-hosts';
import type { PulumiInfo } from '../harness/pulumi';
import { harnessInfo } from '../harness/state';
import { docBlock } from './support/doc-blocks';
import { lifecycleTests, pulumiUser, type PulumiUser } from './support/plain-git-lifecycle';

const pulumi = harnessInfo<PulumiInfo>('pulumi');

describeWithCurrentHosts(pulumi, 'Python from the wheel')('Python from the wheel and the plugin archive', () => {
  let user: PulumiUser;

  beforeAll(() => {
    user = pulumiUser('python-wheel');
  });

  afterAll(() => user?.life.close());

  test('the plugin archive and the wheel install into an empty project', async () => {
    const t = Date.now();
    await user.project.run(docBlock('install', 'plugin-archive'));
    await user.project.run(docBlock('install', 'python-wheel'));
    console.log(`plugin archive and a virtualenv with the wheel: ${Math.round((Date.now() - t) / 1000)} s`);
    fs.writeFileSync(path.join(user.project.dir, 'Pulumi.yaml'), docBlock('program', 'python-pulumi-yaml'));
    fs.writeFileSync(path.join(user.project.dir, '__main__.py'), docBlock('program', 'python'));
    expect(await user.project.run('venv/bin/pip show pulumi_flux_bootstrap')).toMatch(/^Version: 0\.1\.0$/m);
  }, 900_000);

  lifecycleTests(() => user.life);
});
