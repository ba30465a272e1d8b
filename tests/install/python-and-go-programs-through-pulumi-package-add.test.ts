// harness: release, kube, kube-audit, git-ssh, pulumi, pulumi-languages, pulumi-go, pulumi-kubernetes
// Pulumi's own way for a package on no registry, `pulumi package add <source>`, as docs/pulumi.md
// gives it, for a Python and a Go program: the release's source archive unpacked, Pulumi runs
// `npm install` there (whose `prepare` compiles the TypeScript), starts the plugin through the
// Node.js language host (PulumiPlugin.yaml, the package's `main`), asks it for its schema and
// generates the SDK in the program's language.
// Then each program's up, a colleague's push, a no-change preview costing no git session and no
// cluster write, and destroy keeping the colleague's file. A bare clone's v3.68 hosts have
// neither GeneratePackage nor RunPlugin: there this file skips.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeWithCurrentHosts } from '../e2e/plugin/current-hosts';
import type { PulumiInfo } from '../harness/pulumi';
import type { PulumiKubernetesInfo } from '../harness/pulumi-kubernetes';
import { harnessInfo } from '../harness/state';
import { docBlock } from './support/doc-blocks';
import { lifecycleTests, pulumiUser, type PulumiUser } from './support/plain-git-lifecycle';

const pulumi = harnessInfo<PulumiInfo>('pulumi');

describe.each([
  { language: 'python', install: 'python-package-add', programs: { 'Pulumi.yaml': 'python-pulumi-yaml', '__main__.py': 'python' } },
  { language: 'go', install: 'go-package-add', programs: { 'Pulumi.yaml': 'go-pulumi-yaml', 'main.go': 'go' } },
])('$language', ({ language, install, programs }) => {
  describeWithCurrentHosts(pulumi, `${language} through pulumi package add`)('through pulumi package add of the source', () => {
    let user: PulumiUser;

    beforeAll(() => {
      user = pulumiUser(`${language}-package-add`);
    });

    afterAll(() => user?.life.close());

    test('pulumi package add generates the SDK from the provider run from source', async () => {
      for (const [file, id] of Object.entries(programs)) fs.writeFileSync(path.join(user.project.dir, file), docBlock('program', id));
      // Run from source, the package's node_modules holds its development dependencies, among them
      // @pulumi/kubernetes (examples/pulumi-tenants): Pulumi's scan of them fetches its plugin from
      // get.pulumi.com, which the harness's own build stands in for (docs/pulumi.md says so).
      const k8s = harnessInfo<PulumiKubernetesInfo>('pulumi-kubernetes');
      await user.project.run(`pulumi plugin install resource kubernetes ${k8s.version} --file ${k8s.plugin}`);
      const t = Date.now();
      await user.project.run(docBlock('install', install), { timeoutMs: 25 * 60 * 1000 });
      console.log(`${language}: pulumi package add of the source: ${Math.round((Date.now() - t) / 1000)} s`);
      expect(fs.readFileSync(path.join(user.project.dir, 'Pulumi.yaml'), 'utf8')).toMatch(/^packages:\n\s+flux-bootstrap:/m);
      expect(fs.existsSync(path.join(user.project.dir, 'sdks', 'flux-bootstrap'))).toBe(true);
    }, 1_800_000);

    lifecycleTests(() => user.life);
  });
});
