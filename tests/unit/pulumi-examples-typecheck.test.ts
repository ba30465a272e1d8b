// The Pulumi examples compile against the package's published types, resolved the way a user's
// program resolves them (package "exports", examples/node_modules/flux-bootstrap -> checkout).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

test.each([
  'pulumi-git-ssh',
  'pulumi-git-fleet',
  'pulumi-github',
  'pulumi-fleet',
  'landing-zone',
  'pulumi-tenants',
  'pulumi-oci',
  'pulumi-operator',
])(
  'examples/%s type-checks',
  (example) => {
    const r = spawnSync(process.execPath, [TSC, '-p', path.join(ROOT, 'examples', example, 'tsconfig.json'), '--noEmit'], {
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  },
  120_000,
);
