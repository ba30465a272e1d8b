// harness: release, kube, kube-audit, git-ssh, pulumi
// A Node.js user who wants the faster previews of the provider plugin, from the release alone:
// the npm tarball and the plugin archive, README.md's program with docs/pulumi.md's one changed
// import (`flux-bootstrap/pulumi/plugin`). The stack then holds only the package's resources
// (flux-bootstrap:index:*), no dynamic one; up, a colleague's push, a no-change preview costing
// no git session and no cluster write, destroy keeping the colleague's file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { docBlock } from './support/doc-blocks';
import { lifecycleTests, pulumiUser, type PulumiUser } from './support/plain-git-lifecycle';

let user: PulumiUser;

beforeAll(() => {
  user = pulumiUser('node-plugin');
});

afterAll(() => user?.life.close());

test('the npm package and the plugin archive, and the program with its one changed import', async () => {
  await user.project.run(docBlock('install', 'node-dynamic'));
  await user.project.run(docBlock('install', 'plugin-archive'));
  const program = docBlock('program', 'node-dynamic').replace(
    /^import \* as flux from .*$/m,
    docBlock('program', 'node-plugin-import').trim(),
  );
  expect(program).toContain("from 'flux-bootstrap/pulumi/plugin'");
  fs.writeFileSync(path.join(user.project.dir, 'Pulumi.yaml'), docBlock('program', 'node-pulumi-yaml'));
  fs.writeFileSync(path.join(user.project.dir, 'index.ts'), program);
}, 900_000);

// the stack holds only the package's resources: Pulumi's dynamic provider host never starts
lifecycleTests(
  () => user.life,
  async () => {
    const types = [...(await user.project.run('pulumi stack export')).matchAll(/"type": "([^"]+)"/g)].map((m) => m[1]);
    expect(types.filter((t) => t.startsWith('flux-bootstrap:index:'))).toHaveLength(6);
    expect(types.filter((t) => t.includes('dynamic'))).toEqual([]);
  },
);
