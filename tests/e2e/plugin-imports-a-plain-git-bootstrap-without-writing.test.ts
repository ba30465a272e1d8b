// harness: kube, git-ssh
// `pulumi import` of a bootstrap made the plain way (flux's own files pushed with git, its
// objects applied), at the protocol level: the plugin imports the manifests and the install by
// id, and the program's inputs then differ from neither: no commit, no cluster write, and the
// Diff the engine runs next reads nothing.
// An end-to-end file for its own API server: its install's read must find no drift, and on the
// integration layer's shared server another file's Flux relabels the cluster-wide CRDs (which
// failed the like test of a refresh with componentsExtra in CI).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect, type Connection, type KubeObject } from '../../provider/cluster';
import { distributionDir } from '../harness/flux-reference';
import { accessLog, enableAccessLog, repoDir, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { KubeRest } from '../harness/kube-rest';
import { plainGitBootstrap, removePlainBootstrap, type PlainBootstrap } from '../harness/plain-git-bootstrap';
import { harnessInfo } from '../harness/state';
import { provproto, startPlugin, struct, type PluginClient } from '../integration/plugin/plugin-client';

const suffix = `${Date.now().toString(36)}${process.pid}`;
const REPO = `plugin/import-${suffix}`;
const NS = `flux-imp-${suffix}`.slice(0, 40);
const EXTRA = ['image-reflector-controller', 'image-automation-controller'];
let gitSsh: GitSshInfo;
let kube: KubeInfo;
let rest: KubeRest;
let conn: Connection;
let plugin: PluginClient;
let made: PlainBootstrap;
let tmp: string;

const urn = (type: string) => `urn:pulumi:dev::proj::flux-bootstrap:index:${type}::x`;

beforeAll(async () => {
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  kube = harnessInfo<KubeInfo>('kube');
  enableAccessLog(gitSsh);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-import-'));
  rest = new KubeRest(kube);
  made = await plainGitBootstrap({ rest, gitSsh, workDir: tmp, repo: REPO, namespace: NS });
  conn = await connect({ kubeconfigPath: kube.kubeconfig });
  plugin = await startPlugin();
  const conf = new provproto.ConfigureRequest();
  const vars = conf.getVariablesMap();
  vars.set(
    'flux-bootstrap:config:gitAuth',
    JSON.stringify({ privateKey: fs.readFileSync(path.join(tmp, 'admin'), 'utf8'), knownHosts: gitSsh.knownHosts }),
  );
  vars.set('flux-bootstrap:config:cluster', JSON.stringify({ kubeconfig: fs.readFileSync(kube.kubeconfig, 'utf8') }));
  vars.set('flux-bootstrap:config:distribution', distributionDir('v2.9.3'));
  await plugin.call('configure', conf);
}, 600_000);

afterAll(async () => {
  plugin?.stop();
  conn?.close();
  await removePlainBootstrap(rest, NS).catch(() => undefined);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** resourceVersions of the namespace's objects: unchanged means nothing was written. */
async function versions(): Promise<string> {
  const lists = await Promise.all(
    [
      `/api/v1/namespaces/${NS}/secrets`,
      `/apis/apps/v1/namespaces/${NS}/deployments`,
      `/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS}/gitrepositories`,
    ].map((p) => conn.getOrUndefined<{ items: KubeObject[] }>(p)),
  );
  return JSON.stringify(lists.map((l) => (l?.items ?? []).map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)));
}

async function importThenDiff(type: string, id: string, program: Record<string, unknown>) {
  const read = new provproto.ReadRequest();
  read.setUrn(urn(type));
  read.setId(id);
  const r = await plugin.call('read', read);
  const props = r.getProperties().toJavaScript();
  const inputs = r.getInputs().toJavaScript();
  const check = new provproto.CheckRequest();
  check.setUrn(urn(type));
  check.setOlds(struct(inputs));
  check.setNews(struct(program));
  const checked = await plugin.call('check', check);
  expect(checked.getFailuresList().map((f: any) => f.getReason())).toEqual([]);
  const diff = new provproto.DiffRequest();
  diff.setUrn(urn(type));
  diff.setId(r.getId());
  diff.setOlds(r.getProperties());
  diff.setOldInputs(r.getInputs());
  diff.setNews(checked.getInputs());
  const d = await plugin.call('diff', diff);
  const detail: string[] = [];
  d.getDetaileddiffMap().forEach((_v: unknown, k: string) => detail.push(k));
  return { id: r.getId(), props, inputs, changes: d.getChanges(), detail };
}

test('the manifests and the install import with no difference from the program, and nothing is written', async () => {
  const head = fs.readFileSync(path.join(repoDir(gitSsh, REPO), 'refs', 'heads', 'main'), 'utf8').trim();
  const before = await versions();
  const options = { url: made.url, path: 'clusters/harness', namespace: NS, secretName: NS, version: 'v2.9.3', componentsExtra: EXTRA };
  const files = await importThenDiff(
    'SyncManifests',
    `${made.url}#main:clusters/harness/${NS}?version=v2.9.3&secretName=${NS}&componentsExtra=${JSON.stringify(EXTRA)}`,
    options,
  );
  expect(files.detail).toEqual([]);
  expect(files.changes).toBe(provproto.DiffResponse.DiffChanges.DIFF_NONE);
  expect(files.props.commit).toBe(made.commit);

  const credentials = {
    privateKey: made.deployKey.privateKey,
    publicKey: made.deployKey.publicKey.split(/\s+/).slice(0, 2).join(' '),
    knownHosts: gitSsh.knownHosts,
  };
  const wait = { reconciliation: false, deployments: false };
  const query = `version=v2.9.3&secretName=${NS}&url=${encodeURIComponent(made.url)}&path=clusters/harness&componentsExtra=${JSON.stringify(EXTRA)}&commit=${made.commit}&wait=${JSON.stringify(wait)}`;
  const sessions = accessLog(gitSsh, REPO).length;
  const install = await importThenDiff('ControllerInstall', `${NS}?${query}`, { ...options, credentials, commit: made.commit, wait });
  expect(install.props.drift).toEqual([]);
  expect(install.props.objectsHash).toBe(install.inputs.desiredHash);
  expect(install.detail).toEqual([]);
  expect(install.changes).toBe(provproto.DiffResponse.DiffChanges.DIFF_NONE);
  expect(install.id).toBe(`${conn.server}/${NS}`);
  expect(accessLog(gitSsh, REPO).length).toBe(sessions); // the install's import reads no git

  expect(await versions()).toBe(before);
  expect(fs.readFileSync(path.join(repoDir(gitSsh, REPO), 'refs', 'heads', 'main'), 'utf8').trim()).toBe(head);
}, 600_000);

test('a ControllerInstall import id without the cluster setting or of the wrong shape says what to give', async () => {
  const read = new provproto.ReadRequest();
  read.setUrn(urn('ControllerInstall'));
  read.setId('Not_A_Namespace');
  await expect(plugin.call('read', read)).rejects.toThrow(
    /is not a ControllerInstall import id\. Fix: use "<namespace>\?version=v2\.9\.3&url=<sync url>&path=<path>"/,
  );
});
