// A check whose rendering inputs are unchanged reuses what the last check computed, so a
// no-change preview loads neither the schema, the generators, the YAML emitter nor the git
// client. It must still notice what could change the rendering: another option, a release
// directory edited in place. Each check runs in a fresh Node process, whose module cache shows
// what it loaded.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InstallProperties, SyncProperties, CommitProperties } from '../../schema';
import { FIELD_NAMES } from '../../provider/resources/field-names';
import { distributionDir } from './support/reference';

const IMPL = path.resolve(__dirname, '..', '..', 'provider', 'resources');
const HEAVY = ['typebox', 'ajv', 'validators.generated', 'goyaml/emitter', '/git/session', 'desired-state'];

interface Checked {
  inputs: Record<string, unknown>;
  failures: unknown[];
  loaded: string[];
}

/** check(olds, news) of one resource kind in a fresh process; `loaded`: the heavy modules it required. */
function check(kind: 'sync-manifests' | 'controller-install', olds: Record<string, unknown>, news: Record<string, unknown>): Checked {
  const script = `
    const [mod, olds, news, heavy] = JSON.parse(process.argv[1]);
    require(mod).check(olds, news).then((r) => {
      const loaded = heavy.filter((h) => Object.keys(require.cache).some((k) => k.includes(h)));
      process.stdout.write(JSON.stringify({ inputs: r.inputs, failures: r.failures, loaded }));
    });`;
  const out = execFileSync(process.execPath, ['-e', script, JSON.stringify([path.join(IMPL, `${kind}.js`), olds, news, HEAVY])], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as Checked;
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memo-'));
  fs.cpSync(distributionDir('v2.9.3'), dir, { recursive: true });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SYNC = () => ({
  version: 'v2.9.3',
  url: 'ssh://git@git.example.com/fleet.git',
  path: 'clusters/a',
  distribution: dir,
  auth: { username: 'git', password: 'pw' },
  pushUrl: 'https://git.example.com/fleet.git',
});
const INSTALL = () => ({
  version: 'v2.9.3',
  url: 'ssh://git@git.example.com/fleet.git',
  path: 'clusters/a',
  distribution: dir,
  cluster: { kubeconfigPath: '/nowhere' },
  credentials: { privateKey: 'k', publicKey: 'p', knownHosts: 'h' },
});

test("the option names the resources pick by are the schema's", () => {
  expect(FIELD_NAMES).toEqual({
    install: Object.keys(InstallProperties),
    sync: Object.keys(SyncProperties),
    commit: Object.keys(CommitProperties),
  });
});

test.each([
  ['sync-manifests', SYNC, 'desiredFiles'],
  ['controller-install', INSTALL, 'desiredHash'],
] as const)(
  '%s: an unchanged check reuses its result and loads no engine; a changed option or an edited release renders again',
  (kind, news, computed) => {
    const first = check(kind, {}, news());
    expect(first.failures).toEqual([]);
    // the build's validators (schema/compiled-validators.ts), not typebox, check the options
    expect(first.loaded).toEqual(expect.arrayContaining(['validators.generated', 'desired-state']));
    expect(first.loaded).not.toContain('typebox');
    expect(first.inputs.renderStamp).toMatch(/^[0-9a-f]{64}$/);

    const again = check(kind, first.inputs, news());
    expect(again.failures).toEqual([]);
    expect(again.inputs[computed]).toEqual(first.inputs[computed]);
    expect(again.loaded).toEqual([]);

    const otherPath = check(kind, first.inputs, { ...news(), path: 'clusters/b' });
    expect(otherPath.loaded).toContain('desired-state');
    expect(otherPath.inputs.renderStamp).not.toBe(first.inputs.renderStamp);

    // the release directory edited in place: same inputs, other content
    const file = path.join(dir, 'source-controller.yaml');
    fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8')}\n`);
    const edited = check(kind, first.inputs, news());
    expect(edited.loaded).toContain('desired-state');
    expect(edited.inputs.renderStamp).not.toBe(first.inputs.renderStamp);
  },
);
