// harness: kube, opentofu
// Flux CRDs are cluster-wide. `tofu destroy` of a FluxCluster must not delete them while custom
// resources outside its namespace still use them (deleting a CRD deletes every object of it):
// the same rule as the engine's uninstall (Pulumi, CLI). The CRDs are apply-only resources and
// the last destroy step deletes them only when nothing else needs them; here a user's
// Kustomization in another namespace does, so they stay and the output says why.
// An end-to-end file for its own API server: on the integration layer's shared one, other files'
// Flux instances filled the reason's list of users, and the user's Kustomization fell off it.
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
const namespace = uniqueName('flux-crds');
const userNamespace = uniqueName('team-apps');
const key = generateDeployKey();
let stackDir: string;
let outdir: string;
let flux: FluxCluster;

beforeAll(() => {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'crds');
  new LocalBackend(stack, { path: path.join(app.outdir, 'terraform.tfstate') });
  flux = new FluxCluster(stack, 'flux', {
    version: 'v2.9.3',
    distribution: distributionDir('v2.9.3'),
    namespace,
    path: 'clusters/crds',
    url: 'ssh://git@127.0.0.1:2222/acme/fleet',
    credentials: {
      privateKey: key.privateKeyPem,
      publicKey: key.publicKey,
      knownHosts: `[127.0.0.1]:2222 ${generateDeployKey().publicKey.split(' ').slice(0, 2).join(' ')}`,
    },
    cluster: { configPath: kube.kubeconfig },
    apply: { waitForRollout: false, waitForReady: false },
  });
  app.synth();
  outdir = app.outdir;
  stackDir = path.join(app.outdir, 'stacks', 'crds');
  pinToMirror(tofu, path.join(stackDir, 'cdk.tf.json'));
  tofuOk(tofu, ['init', '-no-color'], stackDir);
});

afterAll(async () => {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  await new KubeRest(kube).delete(`/api/v1/namespaces/${userNamespace}`).catch(() => undefined);
});

test("tofu destroy keeps the CRDs a user's Kustomization in another namespace still uses, and says why", async () => {
  tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], stackDir);
  const rest = new KubeRest(kube);
  await rest.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: userNamespace } }, 'user');
  const userKs = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${userNamespace}/kustomizations/apps`;
  await rest.apply(
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: userNamespace },
      spec: { interval: '10m', path: './apps', prune: true, sourceRef: { kind: 'GitRepository', name: 'apps' } },
    },
    'user',
  );

  const destroy = tofuOk(tofu, ['destroy', '-auto-approve', '-no-color', '-parallelism=10'], stackDir);
  expect(destroy.stdout).toMatch(/Destroy complete! Resources: \d+ destroyed/);
  const crds = flux.objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.name);
  expect(crds.length).toBeGreaterThan(5);
  const kept = /kept the (\d+) Flux CRDs/.exec(destroy.stdout);
  expect(Number(kept?.[1])).toBe(crds.length);
  expect(destroy.stdout).toContain(`Kustomization/${userNamespace}/apps`);
  for (const name of crds) {
    const crd = await rest.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    expect({ name, deleting: crd?.metadata?.deletionTimestamp, there: crd !== null }).toEqual({ name, deleting: undefined, there: true });
  }
  expect(await rest.get(userKs)).not.toBeNull();
  // this instance is gone all the same
  expect(await rest.get(`/apis/apps/v1/namespaces/${namespace}/deployments/source-controller`)).toBeNull();
});
