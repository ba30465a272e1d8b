// The plugin's detailedDiff: per input, per file of SyncManifests (judged by blob ids like the
// engine's diff), replacements flagged, and nothing at all when the engine's diff sees no change.
// Every entry names an input: the CLI takes an entry's new value from the new inputs.
import { detailedDiff } from '../../../provider/plugin/detailed-diff';
import { KINDS } from '../../../provider/plugin/resources';
import { UNKNOWN } from '../../../provider/resources/common';

const kind = (name: string) => KINDS.find((k) => k.name === name)!;
const DIR = 'clusters/prod/flux-system';
const C = `${DIR}/gotk-components.yaml`;
const S = `${DIR}/gotk-sync.yaml`;
const K = `${DIR}/kustomization.yaml`;

test('a version bump shows the version and the one file whose blob id changes', () => {
  const oldInputs = { version: 'v2.8.5', url: 'ssh://h/fleet', desiredFiles: { [C]: 'c1', [S]: 's1' }, plan: 'create ...' };
  const olds = { ...oldInputs, files: { [C]: 'c1', [S]: 's1', [K]: 'k1' }, commit: 'abc' };
  const news = { version: 'v2.9.3', url: 'ssh://h/fleet', desiredFiles: { [C]: 'c2', [S]: 's1' }, plan: `${C} +12 -12` };
  expect(detailedDiff(kind('SyncManifests'), oldInputs, olds, news, { changes: true, replaces: [] })).toEqual({
    version: { kind: 'update', replace: false, inputDiff: true },
    [`desiredFiles[${JSON.stringify(C)}]`]: { kind: 'update', replace: false, inputDiff: true },
  });
});

test('a file deleted from the repository is shown as written again', () => {
  const inputs = { version: 'v2.9.3', url: 'ssh://h/fleet', desiredFiles: { [C]: 'c1', [S]: 's1' } };
  const olds = { ...inputs, files: { [C]: 'c1', [K]: 'k1' } };
  expect(Object.keys(detailedDiff(kind('SyncManifests'), inputs, olds, inputs, { changes: true, replaces: [] }))).toEqual([
    `desiredFiles[${JSON.stringify(S)}]`,
  ]);
  expect(
    detailedDiff(kind('SyncManifests'), inputs, olds, inputs, { changes: true, replaces: [] })[`desiredFiles[${JSON.stringify(S)}]`].kind,
  ).toBe('add');
});

test('no change decided: no detailed diff, whatever derived values moved', () => {
  const inputs = { version: 'v2.9.3', url: 'ssh://h/fleet', desiredFiles: { [C]: 'c1' }, plan: 'create x' };
  expect(detailedDiff(kind('SyncManifests'), inputs, inputs, { ...inputs, plan: '' }, { changes: false, replaces: [] })).toEqual({});
});

test('replacing inputs are flagged, added and removed inputs named as such', () => {
  const d = detailedDiff(
    kind('Repository'),
    { host: 'github', owner: 'acme', name: 'a', visibility: 'private' },
    {},
    { host: 'github', owner: 'acme', name: 'b', description: 'x' },
    { changes: true, replaces: ['name'] },
  );
  expect(d).toEqual({
    name: { kind: 'update', replace: true, inputDiff: true },
    description: { kind: 'add', replace: false, inputDiff: true },
    visibility: { kind: 'delete', replace: false, inputDiff: true },
  });
});

test('an unknown input (preview) counts as changed', () => {
  const d = detailedDiff(
    kind('ControllerInstall'),
    { cluster: { kubeconfig: 'a' }, version: 'v2.9.3' },
    { objectsHash: 'h' },
    { cluster: UNKNOWN, version: 'v2.9.3', desiredHash: 'h' },
    { changes: true, replaces: [] },
  );
  expect(d).toEqual({ cluster: { kind: 'update', replace: false, inputDiff: true } });
});

test('ControllerInstall: changed objects and refresh drift have their own entries', () => {
  const d = detailedDiff(
    kind('ControllerInstall'),
    { version: 'v2.9.3' },
    { objectsHash: 'old', drift: ['Deployment/flux-system/source-controller missing'] },
    { version: 'v2.9.3', desiredHash: 'new' },
    { changes: true, replaces: [] },
  );
  expect(Object.keys(d).sort()).toEqual(['desiredHash', 'drift']);
});

test('an option left unset equals its schema default, so spelling the default out is no change', () => {
  const d = detailedDiff(
    kind('SyncManifests'),
    { branch: 'main', namespace: 'flux-system', interval: '1m0s' },
    {},
    { interval: '5m0s' },
    { changes: true, replaces: [] },
  );
  expect(d).toEqual({ interval: { kind: 'update', replace: false, inputDiff: true } });
});

/** The value at `path` (`key` or `key["sub"]`) of props, as the CLI looks it up; `has` whether it is there. */
function at(props: Record<string, unknown>, path: string): { parent: boolean; has: boolean } {
  const m = /^([^[]+)(?:\[(".*")\])?$/.exec(path)!;
  const top = props[m[1]];
  if (m[2] === undefined) return { parent: true, has: top !== undefined };
  const sub = JSON.parse(m[2]) as string;
  return { parent: top !== undefined, has: !!top && (top as Record<string, unknown>)[sub] !== undefined };
}

test('after a logLevel change every entry reads in the new inputs: one file updated, nothing removed', () => {
  const sync = kind('SyncManifests');
  const syncOld = { url: 'ssh://h/fleet', desiredFiles: { [C]: 'c1', [S]: 's1' }, plan: `create ${C}\ncreate ${S}` };
  const syncState = { ...syncOld, files: { [C]: 'c1', [S]: 's1', [K]: 'k1' }, commit: 'abc' };
  const syncNew = { url: 'ssh://h/fleet', logLevel: 'debug', desiredFiles: { [C]: 'c2', [S]: 's1' }, plan: `${C} +4 -4` };
  const install = kind('ControllerInstall');
  const installOld = { url: 'ssh://h/fleet', desiredHash: 'h1', plan: 'apply 34 objects' };
  const installState = { ...installOld, objectsHash: 'h1', inventory: ['Namespace//flux-system'] };
  const installNew = {
    url: 'ssh://h/fleet',
    logLevel: 'debug',
    desiredHash: 'h2',
    plan: 'update 4 (Deployment/flux-system/source-controller)',
  };
  for (const [k, oldInputs, olds, news] of [
    [sync, syncOld, syncState, syncNew],
    [install, installOld, installState, installNew],
  ] as const) {
    const d = detailedDiff(k, oldInputs, olds, news, { changes: true, replaces: [] });
    for (const [path, e] of Object.entries(d)) {
      const before = at(e.inputDiff ? oldInputs : olds, path);
      const after = at(news, path);
      // a parent missing on one side shows that whole property added or removed
      expect({ path, parents: before.parent && after.parent }).toEqual({ path, parents: true });
      // nothing reads as removed: each new value is in the new inputs (logLevel's old one is its default)
      expect({ path, kind: e.kind, new: after.has }).toEqual({ path, kind: 'update', new: true });
      if (path !== 'logLevel') expect({ path, old: before.has }).toEqual({ path, old: true });
    }
    expect(Object.keys(d).filter((p) => /gotk-sync|kustomization/.test(p))).toEqual([]);
  }
  expect(Object.keys(detailedDiff(sync, syncOld, syncState, syncNew, { changes: true, replaces: [] })).sort()).toEqual([
    `desiredFiles[${JSON.stringify(C)}]`,
    'logLevel',
  ]);
});
