// The plugin starts at every preview and up of a program it serves: until it prints its port,
// the engine waits. It loads the package schema (typebox and every input schema) only when the
// engine asks for it, and a diff that finds no change needs no option defaults; so a start
// loads neither typebox, nor ajv's compiler, nor TypeScript (which Pulumi's runtime would).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detailedDiff } from '../../../provider/plugin/detailed-diff';
import { KINDS } from '../../../provider/plugin/resources';

const root = path.join(__dirname, '..', '..', '..', '..');
const HEAVY = /node_modules\/(@sinclair\/typebox|ajv|typescript)\//;

test('the plugin process prints its port having loaded no schema library and no TypeScript', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-start-'));
  try {
    // once the port is out, the modules loaded so far are what a start costs
    const preload = path.join(dir, 'after-port.js');
    fs.writeFileSync(
      preload,
      `
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = (chunk, ...rest) => {
        write(chunk, ...rest);
        process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n');
        process.exit(0);
      };`,
    );
    const r = spawnSync(process.execPath, ['-r', preload, path.join(root, 'dist', 'provider', 'plugin', 'main.js'), '127.0.0.1:1'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stdout).toMatch(/^\d+\n$/);
    const loaded = JSON.parse(/^LOADED (.*)$/m.exec(r.stderr)?.[1] ?? '[]') as string[];
    expect(loaded.some((f) => f.includes(`${path.sep}grpc-js${path.sep}`))).toBe(true); // the trace saw the start
    expect(loaded.filter((f) => HEAVY.test(f))).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a changed option left unset still compares as its default', () => {
  const install = KINDS.find((k) => k.name === 'ControllerInstall')!;
  const none = detailedDiff(install, { namespace: 'flux-system' }, {}, { namespace: 'flux-system' }, { changes: false, replaces: [] });
  expect(none).toEqual({});
  // the namespace's default is flux-system: leaving it unset is no change, but the version is one
  const diff = detailedDiff(
    install,
    { namespace: 'flux-system', version: 'v2.8.5' },
    {},
    { version: 'v2.9.3' },
    { changes: true, replaces: [] },
  );
  expect(diff).toEqual({ version: { kind: 'update', replace: false, inputDiff: true } });
});
