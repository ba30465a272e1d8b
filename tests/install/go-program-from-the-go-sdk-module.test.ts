// harness: release, kube, kube-audit, git-ssh, pulumi, pulumi-languages, pulumi-go
// A Go user, from the release alone: the plugin archive, a new module that requires the release's
// Go SDK module (`$RELEASE/sdk`, by `replace`) and the Pulumi Go SDK from the module proxy,
// docs/pulumi.md's Pulumi.yaml and main.go, built and run by the Go language host; then up, a
// colleague's push, a no-change preview costing no git session and no cluster write, destroy
// keeping the colleague's file. A bare clone has no Go language host: there this file skips.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeWithCurrentHosts } from '../e2e/plugin/current-hosts';
import type { PulumiInfo } from '../harness/pulumi';
import { harnessInfo } from '../harness/state';
import { docBlock } from './support/doc-blocks';
import { lifecycleTests, pulumiUser, type PulumiUser } from './support/plain-git-lifecycle';

const pulumi = harnessInfo<PulumiInfo>('pulumi');

describeWithCurrentHosts(pulumi, 'Go from the SDK module')('Go from the Go SDK module and the plugin archive', () => {
  let user: PulumiUser;

  beforeAll(() => {
    user = pulumiUser('go-module');
  });

  afterAll(() => user?.life.close());

  test('the plugin archive and the Go SDK module make a program that builds', async () => {
    const t = Date.now();
    await user.project.run(docBlock('install', 'plugin-archive'));
    fs.writeFileSync(path.join(user.project.dir, 'Pulumi.yaml'), docBlock('program', 'go-pulumi-yaml'));
    fs.writeFileSync(path.join(user.project.dir, 'main.go'), docBlock('program', 'go'));
    await user.project.run(docBlock('install', 'go-module'));
    await user.project.run('go build -o /dev/null .');
    console.log(`plugin archive, go mod tidy and a first build: ${Math.round((Date.now() - t) / 1000)} s`);
  }, 1_800_000);

  lifecycleTests(() => user.life);
});
