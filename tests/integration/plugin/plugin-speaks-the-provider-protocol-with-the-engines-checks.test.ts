// The provider plugin process over gRPC, as the Pulumi engine drives it: schema, config, check
// with the engine's own failure texts, secrets wrapped back, per-file detailed diffs, previews
// that touch nothing, import ids that say what is wrong. No Git server, no cluster.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageSchemaText } from '../../../provider/plugin/package-schema';
import { packageVersion } from '../../../provider/plugin/version';
import { SECRET_SIG, SIG_KEY, secretOf } from '../../../provider/plugin/values';
import { UNKNOWN } from '../../../provider/resources/common';
import * as repository from '../../../provider/resources/repository';
import { distributionDir } from '../../harness/flux-reference';
import { provproto, startPlugin, struct, type PluginClient } from './plugin-client';

let plugin: PluginClient;
beforeAll(async () => {
  plugin = await startPlugin();
}, 120_000);
afterAll(() => plugin?.stop());

const urn = (type: string, name = 'x') => `urn:pulumi:dev::proj::flux-bootstrap:index:${type}::${name}`;
// an address nothing listens on: any network use would fail the test
const URL = 'ssh://git@127.0.0.1:9/fleet';
const SYNC = { version: 'v2.9.3', url: URL, path: 'clusters/prod', distribution: distributionDir('v2.9.3') };

async function check(type: string, news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
  const req = new provproto.CheckRequest();
  req.setUrn(urn(type));
  req.setOlds(struct(olds));
  req.setNews(struct(news));
  const r = await plugin.call('check', req);
  return {
    inputs: r.getInputs().toJavaScript(),
    failures: r.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
  };
}

test('the plugin reports the package version and answers GetSchema with the generated schema', async () => {
  const info = await plugin.call('getPluginInfo', new (require('google-protobuf/google/protobuf/empty_pb').Empty)());
  expect(info.getVersion()).toBe(packageVersion());
  const req = new provproto.GetSchemaRequest();
  const r = await plugin.call('getSchema', req);
  expect(r.getSchema()).toBe(packageSchemaText(packageVersion()));
  expect(r.getSchema()).toBe(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'provider', 'plugin', 'schema.json'), 'utf8'));
});

test('provider config: an unknown setting is refused, naming it and the settings there are', async () => {
  const req = new provproto.CheckRequest();
  req.setUrn('urn:pulumi:dev::proj::pulumi:providers:flux-bootstrap::default');
  req.setOlds(struct({}));
  req.setNews(struct({ tokn: 'x' }));
  const r = await plugin.call('checkConfig', req);
  expect(r.getFailuresList().map((f: any) => f.getReason())).toEqual([
    'invalid tokn "x": is not a flux-bootstrap provider setting. Fix: use one of token, distribution, distributionDigest, gitAuth, cluster.',
  ]);
});

test('check fails with the very texts of the dynamic resources, and hands the secret back wrapped', async () => {
  const news = { host: 'github', owner: 'acme', name: 'fleet.git', visibility: 'secretive' };
  const direct = await repository.check({}, news);
  const got = await check('Repository', { ...news, token: secretOf('ghp_not_a_real_token') });
  expect(got.failures).toEqual(direct.failures!.filter((f) => !f.reason.startsWith('missing token')));
  expect(got.failures.length).toBe(2);
  expect(got.inputs.token).toEqual({ [SIG_KEY]: SECRET_SIG, value: 'ghp_not_a_real_token' });
  expect(got.inputs.create).toBe(true); // the engine's defaults
});

test("a provider-level token is the default of an API host's token, still secret", async () => {
  const req = new provproto.ConfigureRequest();
  req.getVariablesMap().set('flux-bootstrap:config:token', 'from-config');
  req.setAcceptsecrets(true);
  const conf = await plugin.call('configure', req);
  expect(conf.getSupportspreview()).toBe(true);
  expect(conf.getAcceptsecrets()).toBe(true);
  const got = await check('Repository', { host: 'gitea', owner: 'acme', name: 'fleet', apiUrl: 'http://127.0.0.1:9' });
  expect(got.failures).toEqual([]);
  expect(got.inputs.token).toEqual({ [SIG_KEY]: SECRET_SIG, value: 'from-config' });
});

test('a version bump diffs per file: desiredFiles["clusters/prod/flux-system/gotk-components.yaml"] update, without any network', async () => {
  const before = await check('SyncManifests', { ...SYNC, version: 'v2.8.5', distribution: distributionDir('v2.8.5') });
  expect(before.failures).toEqual([]);
  const state = {
    ...before.inputs,
    files: { ...before.inputs.desiredFiles, 'clusters/prod/flux-system/kustomization.yaml': 'k' },
    commit: 'c',
    headSha: 'c',
    version: 'v2.8.5',
    directory: 'clusters/prod/flux-system',
  };
  const after = await check('SyncManifests', SYNC, before.inputs);
  expect(after.inputs.plan).toMatch(/^clusters\/prod\/flux-system\/gotk-components.yaml \+\d+ -\d+$/m);
  const req = new provproto.DiffRequest();
  req.setUrn(urn('SyncManifests'));
  req.setId('x');
  req.setOlds(struct(state));
  req.setOldInputs(struct(before.inputs));
  req.setNews(struct(after.inputs));
  const d = await plugin.call('diff', req);
  expect(d.getChanges()).toBe(provproto.DiffResponse.DiffChanges.DIFF_SOME);
  expect(d.getHasdetaileddiff()).toBe(true);
  const detail: Record<string, number> = {};
  d.getDetaileddiffMap().forEach((v: any, k: string) => {
    detail[k] = v.getKind();
  });
  expect(detail).toEqual({
    version: provproto.PropertyDiff.Kind.UPDATE,
    distribution: provproto.PropertyDiff.Kind.UPDATE,
    'desiredFiles["clusters/prod/flux-system/gotk-components.yaml"]': provproto.PropertyDiff.Kind.UPDATE,
  });
  expect(d.getReplacesList()).toEqual([]);

  // and the same inputs again: no change, no detailed diff
  const same = new provproto.DiffRequest();
  same.setUrn(urn('SyncManifests'));
  same.setOlds(struct({ ...state, files: { ...after.inputs.desiredFiles, 'clusters/prod/flux-system/kustomization.yaml': 'k' } }));
  same.setOldInputs(struct(after.inputs));
  same.setNews(struct((await check('SyncManifests', SYNC, after.inputs)).inputs));
  const none = await plugin.call('diff', same);
  expect(none.getChanges()).toBe(provproto.DiffResponse.DiffChanges.DIFF_NONE);
  expect(none.getDetaileddiffMap().getLength()).toBe(0);
});

test('create in a preview computes nothing remote: outputs unknown, the rendered files known', async () => {
  const checked = await check('SyncManifests', {
    ...SYNC,
    url: 'https://127.0.0.1:9/fleet',
    auth: secretOf({ username: 'git', password: 'pw' }),
  });
  expect(checked.failures).toEqual([]);
  const req = new provproto.CreateRequest();
  req.setUrn(urn('SyncManifests'));
  req.setProperties(struct(checked.inputs));
  req.setPreview(true);
  const r = await plugin.call('create', req);
  const outs = r.getProperties().toJavaScript();
  expect(outs.commit).toBe(UNKNOWN);
  // the files as the first commit leaves them: the kustomization.yaml it writes too, its id known then
  expect(outs.files).toEqual({ ...checked.inputs.desiredFiles, 'clusters/prod/flux-system/kustomization.yaml': UNKNOWN });
  // the credentials stay secret in the inputs, and are not repeated in the outputs
  expect(checked.inputs.auth).toEqual({ [SIG_KEY]: SECRET_SIG, value: { username: 'git', password: 'pw' } });
  expect(outs).not.toHaveProperty('auth');
});

test('an import id of the wrong shape is refused with the form it must have', async () => {
  const req = new provproto.ReadRequest();
  req.setUrn(urn('SyncManifests'));
  req.setId('clusters/prod');
  await expect(plugin.call('read', req)).rejects.toThrow(
    /invalid id "clusters\/prod": is not a SyncManifests import id. Fix: use "<push url>#<branch>:<path>\/<namespace>"/,
  );
});

test('an unknown resource type names the types the plugin serves', async () => {
  const req = new provproto.CheckRequest();
  req.setUrn('urn:pulumi:dev::proj::flux-bootstrap:index:Nope::x');
  req.setOlds(struct({}));
  req.setNews(struct({}));
  await expect(plugin.call('check', req)).rejects.toThrow(
    /unknown resource type flux-bootstrap:index:Nope; this plugin serves flux-bootstrap:index:Repository/,
  );
});
