// The provider text stored in every dynamic resource's state must stay a small, by-name require
// of the engine: nothing of the engine's code in it, and nothing that differs between runs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { implModuleName, stubText, type ImplKind } from '../../provider/pulumi/stub';
import { Repository, SyncManifests } from '../../provider/pulumi';

const KINDS: ImplKind[] = [
  'repository',
  'deploy-key',
  'sync-manifests',
  'controller-install',
  'oci-sync-manifests',
  'controller-preinstall',
];
const ROOT = path.resolve(__dirname, '..', '..', '..');
// how the dynamic provider host (@pulumi/pulumi/cmd/dynamic-provider) loads the stored text
const requireFromString = require('require-from-string') as (
  code: string,
  filename: string,
) => { handler: () => pulumi.dynamic.ResourceProvider };

describe('dynamic provider stub', () => {
  test.each(KINDS)('%s is a by-name require under 1.5 KB, the same text at every call', (kind) => {
    const text = stubText(kind);
    // pulumi.runtime.serializeFunction made 2.5 KB of the same provider
    expect(text.length).toBeLessThan(1536);
    expect(stubText(kind)).toBe(text);
    expect(text).toContain(JSON.stringify(implModuleName(kind)));
    // no engine code, classes or module objects captured by value
    expect(text).not.toMatch(/\bclass\b|__awaiter|InputError|child_process|exports\.(?!handler)/);
    console.log(`__provider for ${kind}: ${text.length} bytes`);
  });

  test('the serialized text loads and calls the implementation by name', async () => {
    // an installed program: node_modules/flux-bootstrap next to the program
    const r = await diffInDirectory(stubText('sync-manifests'), (dir) => {
      fs.mkdirSync(path.join(dir, 'node_modules'));
      fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'flux-bootstrap'));
    });
    expect(r).toHaveProperty('changes');
  });

  test('where the name does not resolve, the text loads the copy that wrote it', async () => {
    const r = await diffInDirectory(stubText('repository'));
    expect(r).toHaveProperty('changes');
  });

  test('the Node resources register the dynamic type token with the stub text as __provider', async () => {
    const registered: Array<{ type: string; inputs: Record<string, unknown> }> = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, inputs: args.inputs });
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      'project',
      'stack',
      false,
    );
    const repo = new Repository('repo', { host: 'git', url: 'ssh://git@h/fleet' });
    const sync = new SyncManifests('sync', { url: 'ssh://git@h/fleet', path: 'clusters/a', version: 'v2.9.3' });
    await new Promise((resolve) => pulumi.all([repo.urn, sync.urn]).apply(resolve));
    const byType = Object.fromEntries(registered.map((r) => [r.type, r.inputs.__provider]));
    // the type tokens `pulumi.dynamic.Resource` gave them: existing stacks keep their resources
    expect(byType).toEqual({
      'pulumi-nodejs:dynamic/flux-bootstrap:Repository': stubText('repository'),
      'pulumi-nodejs:dynamic/flux-bootstrap:SyncManifests': stubText('sync-manifests'),
    });
  });

  test.each(['examples/pulumi-git-ssh', 'examples/pulumi-github', 'examples/pulumi-fleet'])(
    '%s resolves the package and the same @pulumi/pulumi',
    (example) => {
      const dir = path.join(ROOT, example);
      const impl = require.resolve(implModuleName('sync-manifests'), { paths: [dir] });
      expect(fs.realpathSync(impl)).toBe(path.join(ROOT, 'dist', 'provider', 'resources', 'sync-manifests.js'));
      // the name stacks of earlier releases stored resolves to the same file (package.json exports)
      const stored = require.resolve('flux-bootstrap/dist/provider/pulumi/impl/sync-manifests.js', { paths: [dir] });
      expect(fs.realpathSync(stored)).toBe(fs.realpathSync(impl));
      const fromProgram = fs.realpathSync(require.resolve('@pulumi/pulumi', { paths: [dir] }));
      const fromPackage = fs.realpathSync(require.resolve('@pulumi/pulumi', { paths: [path.dirname(impl)] }));
      expect(fromProgram).toBe(fromPackage);
    },
  );
});

/** Loads `text` as the dynamic provider host does, from a fresh working directory that
 *  `prepare` may fill (the host compiles it with an empty filename: paths from the cwd), and
 *  asks it for a diff. */
async function diffInDirectory(text: string, prepare: (dir: string) => void = () => undefined): Promise<pulumi.dynamic.DiffResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stub-'));
  const cwd = process.cwd();
  try {
    prepare(dir);
    process.chdir(dir);
    const provider = requireFromString(text, '').handler();
    return await provider.diff!('id', {}, { __provider: 'x' });
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
