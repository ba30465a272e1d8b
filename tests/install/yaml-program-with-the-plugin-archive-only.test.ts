// harness: release, kube, kube-audit, git-ssh, pulumi, pulumi-languages
// A YAML user, from the release alone: the plugin archive installed with `pulumi plugin install`
// into an empty HOME (no Node.js program, no SDK: the YAML host reads the package schema from the
// plugin), docs/pulumi.md's Pulumi.yaml, then up, a colleague's push, a no-change preview that
// costs no git session and no cluster write, and destroy, which leaves the colleague's file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { docBlock } from './support/doc-blocks';
import { lifecycleTests, pulumiUser, type PulumiUser } from './support/plain-git-lifecycle';

let user: PulumiUser;

beforeAll(() => {
  user = pulumiUser('yaml');
});

afterAll(() => user?.life.close());

test('the plugin archive installs into an empty PULUMI_HOME', async () => {
  const t = Date.now();
  await user.project.run(docBlock('install', 'plugin-archive'));
  console.log(`pulumi plugin install of the archive: ${Math.round((Date.now() - t) / 1000)} s`);
  const dir = path.join(user.project.home, '.pulumi', 'plugins', `resource-flux-bootstrap-v${user.release.manifest.version}`);
  expect(fs.statSync(path.join(dir, 'pulumi-resource-flux-bootstrap')).mode & 0o111).not.toBe(0);
  fs.writeFileSync(path.join(user.project.dir, 'Pulumi.yaml'), docBlock('program', 'yaml'));
}, 600_000);

lifecycleTests(() => user.life);
