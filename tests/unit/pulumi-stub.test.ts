// The provider object stored in every dynamic resource's state must stay a small, by-name
// require of the engine: nothing captured by value beyond the module name.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { implModuleName, stubProvider, type ImplKind } from '../../provider/pulumi/stub';

const KINDS: ImplKind[] = ['repository', 'deploy-key', 'sync-manifests', 'controller-install', 'oci-sync-manifests', 'controller-preinstall'];
const ROOT = path.resolve(__dirname, '..', '..', '..');

async function serialized(kind: ImplKind): Promise<string> {
  const provider = stubProvider(kind);
  // exactly what pulumi.dynamic.Resource does with the provider
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return sf.text;
}

describe('dynamic provider stub', () => {
  test.each(KINDS)('%s serializes to a by-name require under 4 KB', async (kind) => {
    const text = await serialized(kind);
    expect(text.length).toBeLessThan(4096);
    expect(text).toContain(JSON.stringify(implModuleName(kind)));
    // no engine code, classes or module objects captured by value
    expect(text).not.toMatch(/\bclass\b|__awaiter|InputError|child_process|exports\.(?!handler)/);
    // eslint-disable-next-line no-console
    console.log(`__provider for ${kind}: ${text.length} bytes`);
  });

  test('the serialized text loads and calls the implementation by name', async () => {
    const text = await serialized('sync-manifests');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stub-'));
    // an installed program: node_modules/flux-bootstrap next to the program
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'flux-bootstrap'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const requireFromString = require('require-from-string') as (code: string, filename: string) => { handler: () => pulumi.dynamic.ResourceProvider };
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      // the dynamic provider host compiles the text with an empty filename: paths from the cwd
      const provider = requireFromString(text, '').handler();
      const r = await provider.diff!('id', {}, { __provider: 'x' });
      expect(r).toHaveProperty('changes');
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each(['examples/pulumi-git-ssh', 'examples/pulumi-github', 'examples/pulumi-fleet'])('%s resolves the package and the same @pulumi/pulumi', (example) => {
    const dir = path.join(ROOT, example);
    const impl = require.resolve(implModuleName('sync-manifests'), { paths: [dir] });
    expect(fs.realpathSync(impl)).toBe(path.join(ROOT, 'dist', 'provider', 'pulumi', 'impl', 'sync-manifests.js'));
    const fromProgram = fs.realpathSync(require.resolve('@pulumi/pulumi', { paths: [dir] }));
    const fromPackage = fs.realpathSync(require.resolve('@pulumi/pulumi', { paths: [path.dirname(impl)] }));
    expect(fromProgram).toBe(fromPackage);
  });
});
