// harness: release, kube, kube-audit, git-ssh, pulumi
// A Node.js user, from the release alone: README.md's install block in an empty project with an
// empty HOME, README.md's Pulumi.yaml and program, then `pulumi up`, a colleague's push, a
// no-change `pulumi preview` that costs no git session and no cluster write, and
// `pulumi destroy`, which leaves the colleague's file. The project holds copies, never a link
// into the checkout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../harness/flux-reference';
import { docBlock } from './support/doc-blocks';
import { lifecycleTests, pulumiUser, type PulumiUser } from './support/plain-git-lifecycle';
import { linksInto } from './support/user-project';

let user: PulumiUser;

beforeAll(() => {
  user = pulumiUser('node-dynamic');
});

afterAll(() => user?.life.close());

test('the release checks out against SHA256SUMS', async () => {
  expect(await user.project.run(docBlock('install', 'verify'))).toMatch(/: OK$/m);
});

test("README's install block gives a project of its own, with no path into the checkout", async () => {
  const t = Date.now();
  await user.project.run(docBlock('install', 'node-dynamic'));
  console.log(`npm install of the tarball and @pulumi/pulumi: ${Math.round((Date.now() - t) / 1000)} s`);
  fs.writeFileSync(path.join(user.project.dir, 'Pulumi.yaml'), docBlock('program', 'node-pulumi-yaml'));
  fs.writeFileSync(path.join(user.project.dir, 'index.ts'), docBlock('program', 'node-dynamic'));
  const installed = JSON.parse(fs.readFileSync(path.join(user.project.dir, 'node_modules', 'flux-bootstrap', 'package.json'), 'utf8')) as {
    version: string;
  };
  expect(installed.version).toBe(user.release.manifest.version);
  expect(linksInto(user.project.dir, projectRoot())).toEqual([]);
  expect(fs.lstatSync(path.join(user.project.dir, 'node_modules', 'flux-bootstrap')).isSymbolicLink()).toBe(false);
}, 900_000);

lifecycleTests(() => user.life);
