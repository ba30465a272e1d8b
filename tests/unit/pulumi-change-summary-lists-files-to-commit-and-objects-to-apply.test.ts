// summarizeChanges turns a preview's engine events into the files a stack would commit and the
// objects it would apply, from the plans SyncManifests and ControllerInstall compute in check.
import type { EngineEvent, OpType } from '@pulumi/pulumi/automation';
import { parseFilePlan, parseObjectPlan, summarizeChanges } from '../../provider/pulumi/change-summary';

const SYNC = 'pulumi-nodejs:dynamic/flux-bootstrap:SyncManifests';
const INSTALL = 'pulumi-nodejs:dynamic/flux-bootstrap:ControllerInstall';

function pre(type: string, op: OpType, inputs?: Record<string, unknown>, oldOutputs?: Record<string, unknown>): EngineEvent {
  const urn = `urn:pulumi:s::p::${type}::x`;
  return {
    sequence: 1,
    timestamp: 1,
    resourcePreEvent: {
      metadata: {
        op,
        urn,
        type,
        provider: '',
        new: inputs ? { type, urn, id: '', parent: '', provider: '', inputs, outputs: {} } : undefined,
        old: oldOutputs ? { type, urn, id: 'i', parent: '', provider: '', inputs: {}, outputs: oldOutputs } : undefined,
      },
    },
  };
}

test('a first preview lists the three files and the count of objects; the stack resource is not counted', () => {
  const s = summarizeChanges([
    pre('pulumi:pulumi:Stack', 'create'),
    pre(SYNC, 'create', {
      plan: 'create clusters/a/flux-system/gotk-components.yaml\ncreate clusters/a/flux-system/gotk-sync.yaml\ncreate clusters/a/flux-system/kustomization.yaml (if absent)',
    }),
    pre(INSTALL, 'create', { plan: 'apply 45 objects' }),
  ]);
  expect(s.changes).toBe(true);
  expect(s.operations).toEqual({ create: 2 });
  expect(s.files).toEqual([
    { path: 'clusters/a/flux-system/gotk-components.yaml', change: 'create' },
    { path: 'clusters/a/flux-system/gotk-sync.yaml', change: 'create' },
    { path: 'clusters/a/flux-system/kustomization.yaml (if absent)', change: 'create' },
  ]);
  expect(s.objects).toEqual({ create: 45, update: 0, delete: 0, named: [], plan: 'apply 45 objects' });
});

test('a no-change preview has no files and no objects', () => {
  const s = summarizeChanges([pre(SYNC, 'same', { plan: '' }), pre(INSTALL, 'same', { plan: '' })]);
  expect(s).toEqual({
    changes: false,
    operations: { same: 2 },
    files: [],
    objects: { create: 0, update: 0, delete: 0, named: [], plan: '' },
  });
});

test('a version bump reads line counts and named objects; an unknown plan counts nothing', () => {
  expect(parseFilePlan('clusters/a/flux-system/gotk-components.yaml +52 -52\nmove clusters/a -> clusters/b')).toEqual([
    { path: 'clusters/a/flux-system/gotk-components.yaml', change: '+52 -52' },
    { path: 'clusters/a -> clusters/b', change: 'move' },
  ]);
  expect(parseObjectPlan('create 1 (Deployment/flux-system/x); update 8 (A, B, C, D, E, F, ...)')).toEqual({
    create: 1,
    update: 8,
    delete: 0,
    plan: 'create 1 (Deployment/flux-system/x); update 8 (A, B, C, D, E, F, ...)',
    named: ['create Deployment/flux-system/x', 'update A', 'update B', 'update C', 'update D', 'update E', 'update F'],
  });
  const s = summarizeChanges([pre(INSTALL, 'update', { plan: '04da6b54-80e4-46f7-96ec-b56ff0331ba9' })]);
  expect(s.changes).toBe(true);
  expect(s.objects.plan).toBe('');
});

test('deleting resources counts their directory and inventory as deleted', () => {
  const s = summarizeChanges([
    pre(SYNC, 'delete', undefined, { directory: 'clusters/a/flux-system' }),
    pre(INSTALL, 'delete', undefined, { inventory: ['Namespace//flux-system', 'Deployment/flux-system/x'] }),
  ]);
  expect(s.files).toEqual([{ path: 'clusters/a/flux-system', change: 'delete' }]);
  expect(s.objects).toMatchObject({ delete: 2, plan: 'delete 2 objects' });
});

test('a stack served by the provider plugin (flux-bootstrap:index:* types) lists its files and objects too', () => {
  const events = (sync: string, install: string) => [
    pre(sync, 'update', { plan: 'clusters/a/flux-system/gotk-components.yaml +4 -4' }),
    pre(install, 'update', { plan: 'update 4 (Deployment/flux-system/source-controller, ...)' }),
    pre(sync, 'delete', undefined, { directory: 'clusters/b/flux-system' }),
    pre(install, 'delete', undefined, { inventory: ['Namespace//flux-b'] }),
  ];
  const dynamic = summarizeChanges(events(SYNC, INSTALL));
  const served = summarizeChanges(events('flux-bootstrap:index:SyncManifests', 'flux-bootstrap:index:ControllerInstall'));
  expect(served).toEqual(dynamic);
  expect(served.files).toEqual([
    { path: 'clusters/a/flux-system/gotk-components.yaml', change: '+4 -4' },
    { path: 'clusters/b/flux-system', change: 'delete' },
  ]);
  expect(served.objects).toMatchObject({ update: 4, delete: 1, named: ['update Deployment/flux-system/source-controller'] });
});
