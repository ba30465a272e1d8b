// The Go and Python SDKs, generated from provider/plugin/schema.json by Pulumi's own code
// generators (tests/harness/sdk-gen on pkg/v3, the CLI's release): the Go SDK compiles against
// the same sdk/v3, the Python one byte-compiles and carries every resource.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GO_IMPORT_BASE, GO_SDK_MODULE } from '../../../provider/plugin/package-home';
import { goSdk } from '../../../scripts/release/sdks';
import { projectRoot } from '../../harness/flux-reference';
import { generateSdk } from '../../harness/pulumi-sdk-gen';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-sdks-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const goEnv = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };

test('the generated Go SDK compiles', () => {
  // the module a release ships (scripts/release/sdks.ts): go.mod names the schema's home
  const dir = goSdk(path.join(projectRoot(), 'provider', 'plugin', 'schema.json'), tmp);
  const pkg = path.join(dir, 'go', 'fluxbootstrap');
  expect(fs.readdirSync(pkg).sort()).toEqual(
    expect.arrayContaining(['bootstrap.go', 'controllerInstall.go', 'deployKey.go', 'provider.go', 'repository.go', 'syncManifests.go']),
  );
  expect(fs.readFileSync(path.join(dir, 'go.mod'), 'utf8')).toMatch(new RegExp(`^module ${GO_SDK_MODULE}$`, 'm'));
  expect(fs.readFileSync(path.join(pkg, 'init.go'), 'utf8')).toContain(`"${GO_IMPORT_BASE}/internal"`);
  execFileSync('go', ['build', '-gcflags=all=-N -l', './...'], { cwd: dir, env: goEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  expect(fs.readFileSync(path.join(pkg, 'syncManifests.go'), 'utf8')).toContain('"flux-bootstrap:index:SyncManifests"');
}, 3_600_000);

test('the generated Python SDK has every resource and byte-compiles', () => {
  const dir = generateSdk('python', path.join(tmp, 'python'));
  const pkg = path.join(dir, 'pulumi_flux_bootstrap');
  for (const f of ['bootstrap.py', 'controller_install.py', 'deploy_key.py', 'repository.py', 'sync_manifests.py'])
    expect(fs.existsSync(path.join(pkg, f))).toBe(true);
  execFileSync('python3', ['-m', 'compileall', '-q', pkg], { stdio: ['ignore', 'inherit', 'inherit'] });
  expect(fs.readFileSync(path.join(pkg, 'bootstrap.py'), 'utf8')).toContain("'flux-bootstrap:index:Bootstrap'");
}, 3_600_000);
