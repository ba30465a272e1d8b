// examples/landing-zone stops with exit code 2, before touching any stack (no Pulumi CLI is on
// PATH here), when the command line or the inventory file itself is wrong, and says why.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const MAIN = path.resolve(__dirname, '..', '..', '..', 'examples', 'landing-zone', 'main.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-unit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PATH: path.dirname(process.execPath) },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('an unknown command or a missing --inventory is a usage error', () => {
  for (const args of [
    ['apply', '--inventory', 'x.yaml'],
    ['up', '--inventory', 'x', '--concurrency', '0'],
  ]) {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: landing-zone <preview|up> --inventory FILE');
    expect(r.stdout).toBe('');
  }
});

test('an inventory that is not YAML, or has no clusters list, names the problem and the fix', () => {
  const bad = path.join(tmp, 'bad.yaml');
  fs.writeFileSync(bad, 'clusters: [\n');
  let r = run(['preview', '--inventory', bad]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/invalid inventory ".*bad\.yaml": cannot be read as YAML: .*Fix: fix the file/);
  fs.writeFileSync(bad, 'defaults: {}\n');
  r = run(['preview', '--inventory', bad]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('clusters: must be a list');
});
