// A Pulumi program written by a test, in plain JavaScript (so the project's tsc never sees it),
// installed like a user's project: node_modules links to the checkout's dependencies and
// `flux-bootstrap` to the checkout. The program reads its values from inputs.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from './flux-reference';
import { pulumiNpmDir } from './pulumi';

export function writeJsProgram(dir: string, name: string, source: string, inputs: Record<string, unknown>): string {
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), `name: ${name}\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
  fs.writeFileSync(path.join(dir, 'index.js'), source);
  // secrets in plain files on purpose (the tests check what the provider does with them): 0600
  fs.writeFileSync(path.join(dir, 'inputs.json'), JSON.stringify(inputs), { mode: 0o600 });
  const rootModules = path.resolve(pulumiNpmDir(), '..', '..');
  for (const entry of fs.readdirSync(rootModules))
    if (!entry.startsWith('.')) fs.symlinkSync(path.join(rootModules, entry), path.join(dir, 'node_modules', entry));
  fs.symlinkSync(projectRoot(), path.join(dir, 'node_modules', 'flux-bootstrap'));
  return dir;
}
