// harness: kube, opentofu
// Destroy by record, in CDKTF: a FluxCluster applied into a namespace the user had made (holding a
// SOPS key and a ConfigMap of theirs) records at apply that the namespace was there, and `tofu
// destroy` keeps it with everything of the user's in it; Flux's own objects go. The Namespace is
// an apply-only kubectl_manifest (tofu never deletes it); the last destroy step deletes it only
// when the install made it.
import { LocalBackend, TerraformStack, Testing } from 'cdktf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FluxCluster } from '../../provider/cdktf';
import { generateDeployKey } from '../../provider/keys';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import { pinToMirror, tofuOk, type OpenTofuInfo } from '../harness/opentofu';
import { harnessInfo } from '../harness/state';
import { distributionDir } from '../unit/support/reference';

const tofu = harnessInfo<OpenTofuInfo>('opentofu');
const kube = harnessInfo<KubeInfo>('kube');
const rest = new KubeRest(kube);
const key = generateDeployKey();
const outdirs: string[] = [];
const namespaces: string[] = [];

/** A FluxCluster stack in `namespace`, synthesized and initialised; its directory. */
function stack(name: string, namespace: string, extra: Record<string, unknown> = {}): string {
  const app = Testing.app();
  const s = new TerraformStack(app, name);
  new LocalBackend(s, { path: path.join(app.outdir, 'terraform.tfstate') });
  new FluxCluster(s, 'flux', {
    version: 'v2.9.3',
    distribution: distributionDir('v2.9.3'),
    namespace,
    path: 'clusters/kept',
    url: 'ssh://git@127.0.0.1:2222/acme/fleet',
    credentials: {
      privateKey: key.privateKeyPem,
      publicKey: key.publicKey,
      knownHosts: `[127.0.0.1]:2222 ${generateDeployKey().publicKey.split(' ').slice(0, 2).join(' ')}`,
    },
    cluster: { configPath: kube.kubeconfig },
    apply: { waitForRollout: false, waitForReady: false },
    ...extra,
  });
  app.synth();
  outdirs.push(app.outdir);
  const dir = path.join(app.outdir, 'stacks', name);
  pinToMirror(tofu, path.join(dir, 'cdk.tf.json'));
  tofuOk(tofu, ['init', '-no-color'], dir);
  return dir;
}

afterAll(async () => {
  for (const d of outdirs) fs.rmSync(d, { recursive: true, force: true });
  for (const ns of namespaces) await rest.delete(`/api/v1/namespaces/${ns}`).catch(() => undefined);
});

const terminating = async (ns: string) => {
  const live = await rest.get(`/api/v1/namespaces/${ns}`);
  return live === null ? 'gone' : live.metadata?.deletionTimestamp ? 'terminating' : 'there';
};

test("tofu destroy keeps a namespace that existed before the apply, with the user's Secret and ConfigMap in it", async () => {
  const ns = uniqueName('team-flux');
  namespaces.push(ns);
  await rest.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, 'user');
  await rest.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sops-age', namespace: ns }, stringData: { key: 'age' } }, 'user');
  await rest.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'team', namespace: ns }, data: { owner: 'team' } }, 'user');
  const dir = stack('existed', ns);

  tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], dir);
  expect(await rest.get(`/apis/apps/v1/namespaces/${ns}/deployments/source-controller`)).not.toBeNull();
  const destroy = tofuOk(tofu, ['destroy', '-auto-approve', '-no-color', '-parallelism=10'], dir);
  expect(destroy.stdout).toMatch(/Destroy complete!/);

  expect(await terminating(ns)).toBe('there');
  expect(await rest.get(`/api/v1/namespaces/${ns}/secrets/sops-age`)).not.toBeNull();
  expect((await rest.get(`/api/v1/namespaces/${ns}/configmaps/team`))?.data).toEqual({ owner: 'team' });
  // Flux's own objects are gone
  expect(await rest.get(`/apis/apps/v1/namespaces/${ns}/deployments/source-controller`)).toBeNull();
  expect(await rest.get(`/api/v1/namespaces/${ns}/secrets/flux-system`)).toBeNull();
  expect(destroy.stdout).toContain(`namespace ${ns} kept: it existed before the install`);
});

test('with keepNamespace, tofu destroy keeps the namespace the apply made, and says so', async () => {
  const ns = uniqueName('kept-flux');
  namespaces.push(ns);
  const dir = stack('keep', ns, { apply: { waitForRollout: false, waitForReady: false, keepNamespace: true } });
  tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], dir);
  const destroy = tofuOk(tofu, ['destroy', '-auto-approve', '-no-color', '-parallelism=10'], dir);
  expect(await terminating(ns)).toBe('there');
  expect(await rest.get(`/apis/apps/v1/namespaces/${ns}/deployments/source-controller`)).toBeNull();
  expect(destroy.stdout).toContain(`namespace ${ns} kept: keepNamespace is set`);
});

test('without either, tofu destroy deletes the namespace the apply made', async () => {
  const ns = uniqueName('made-flux');
  namespaces.push(ns);
  const dir = stack('made', ns);
  tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], dir);
  const destroy = tofuOk(tofu, ['destroy', '-auto-approve', '-no-color', '-parallelism=10'], dir);
  expect(destroy.stdout).toContain(`Namespace/${ns} deleted`);
  expect(await terminating(ns)).not.toBe('there');
});
