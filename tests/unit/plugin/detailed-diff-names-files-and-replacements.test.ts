// The plugin's detailedDiff: per input, per file of SyncManifests (judged by blob ids like the
// engine's diff), replacements flagged, and nothing at all when the engine's diff sees no change.
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
    [`files[${JSON.stringify(C)}]`]: { kind: 'update', replace: false, inputDiff: false },
  });
});

test('a file deleted from the repository is shown as added back', () => {
  const inputs = { version: 'v2.9.3', url: 'ssh://h/fleet', desiredFiles: { [C]: 'c1', [S]: 's1' } };
  const olds = { ...inputs, files: { [C]: 'c1', [K]: 'k1' } };
  expect(Object.keys(detailedDiff(kind('SyncManifests'), inputs, olds, inputs, { changes: true, replaces: [] }))).toEqual([
    `files[${JSON.stringify(S)}]`,
  ]);
  expect(
    detailedDiff(kind('SyncManifests'), inputs, olds, inputs, { changes: true, replaces: [] })[`files[${JSON.stringify(S)}]`].kind,
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
  expect(Object.keys(d).sort()).toEqual(['drift', 'objectsHash']);
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
