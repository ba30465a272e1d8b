// harness: kube, opentofu
// The cluster side of the CDKTF construct against a real API server: `tofu apply` of the
// synthesized stack installs Flux (CRDs established before the custom resources, everything
// server-side applied by field manager "flux", the Secret from a generated key), the Secret's
// data stays sensitive in the state, and a second plan is a no-op.
import { LocalBackend, TerraformStack, Testing } from 'cdktf';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FluxCluster } from '../../provider/cdktf';
import { generateDeployKey } from '../../provider/keys';
import { kubeClient, uniqueName } from '../harness/kube-client';
import type { KubeInfo } from '../harness/kube';
import { KubeRest } from '../harness/kube-rest';
import { pinToMirror, plannedChanges, tofuOk, type OpenTofuInfo } from '../harness/opentofu';
import { harnessInfo } from '../harness/state';
import { distributionDir } from '../unit/support/reference';
import { changesBesidesSharedCrds } from './cdktf-shared-crds';

const tofu = harnessInfo<OpenTofuInfo>('opentofu');
const kube = harnessInfo<KubeInfo>('kube');
const namespace = uniqueName('flux-cdktf');
let stackDir: string;
let outdir: string;
let flux: FluxCluster;
const timings: string[] = [];

beforeAll(() => {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'cluster');
  // cdktf's default local state is <cwd>/terraform.<stack>.tfstate: the checkout, shared by
  // every concurrent run; this run's state stays in its own outdir
  new LocalBackend(stack, { path: path.join(app.outdir, 'terraform.tfstate') });
  const key = new PrivateKey(stack, 'key', { provider: new TlsProvider(stack, 'tls'), algorithm: 'ED25519' });
  flux = new FluxCluster(stack, 'flux', {
    version: 'v2.9.3',
    distribution: distributionDir('v2.9.3'),
    namespace,
    path: 'clusters/harness',
    url: 'ssh://git@127.0.0.1:2222/acme/fleet',
    credentials: {
      privateKey: key.privateKeyOpenssh,
      publicKey: key.publicKeyOpenssh,
      knownHosts: `[127.0.0.1]:2222 ${generateDeployKey().publicKey.split(' ').slice(0, 2).join(' ')}`,
    },
    cluster: { configPath: kube.kubeconfig },
    // the harness API server has no nodes (Deployments never roll out) and no controllers
    // run in this test (nothing becomes Ready); tests/e2e/cdktf-* has them
    apply: { waitForRollout: false, waitForReady: false },
  });
  app.synth();
  outdir = app.outdir;
  stackDir = path.join(app.outdir, 'stacks', 'cluster');
  pinToMirror(tofu, path.join(stackDir, 'cdk.tf.json'));
  tofuOk(tofu, ['init', '-no-color'], stackDir);
});

afterAll(() => {
  // the state holds the generated private key
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  if (timings.length) process.stderr.write(`[cdktf] ${timings.join(', ')}\n`);
});

test('tofu apply installs Flux: CRDs, controllers, the Secret, then the GitRepository and Kustomization', async () => {
  const apply = tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], stackDir);
  timings.push(`apply ${apply.seconds.toFixed(1)} s`);
  expect(apply.stdout).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);

  const { k8s, kc } = kubeClient();
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);

  const deployments = (await apps.listNamespacedDeployment({ namespace })).items.map((d) => d.metadata!.name).sort();
  expect(deployments).toEqual(['helm-controller', 'kustomize-controller', 'notification-controller', 'source-controller']);
  const crd = await ext.readCustomResourceDefinition({ name: 'gitrepositories.source.toolkit.fluxcd.io' });
  expect(crd.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('True');

  const repo = (await custom.getNamespacedCustomObject({
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    namespace,
    plural: 'gitrepositories',
    name: namespace,
  })) as { spec: { url: string; secretRef: { name: string } }; metadata: { managedFields: { manager: string; operation: string }[] } };
  expect(repo.spec).toMatchObject({ url: 'ssh://git@127.0.0.1:2222/acme/fleet', secretRef: { name: 'flux-system' } });
  expect(repo.metadata.managedFields.map((f) => `${f.manager}/${f.operation}`)).toContain('flux/Apply');
  const ks = (await custom.getNamespacedCustomObject({
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    namespace,
    plural: 'kustomizations',
    name: namespace,
  })) as { spec: { path: string } };
  expect(ks.spec.path).toBe('./clusters/harness');

  const secret = await core.readNamespacedSecret({ name: 'flux-system', namespace });
  expect(Object.keys(secret.data ?? {}).sort()).toEqual(['identity', 'identity.pub', 'known_hosts']);
  expect(Buffer.from(secret.data!.identity, 'base64').toString()).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
  expect(Buffer.from(secret.data!['identity.pub'], 'base64').toString()).toMatch(/^ssh-ed25519 AAAA/);
});

test("the Secret's body and the private key are sensitive in the state", () => {
  const show = JSON.parse(tofuOk(tofu, ['show', '-json', '-no-color'], stackDir).stdout) as {
    values: {
      root_module: {
        resources: { type: string; name: string; values: Record<string, unknown>; sensitive_values: Record<string, unknown> }[];
      };
    };
  };
  const byType = (t: string) => show.values.root_module.resources.find((r) => r.type === t)!;
  const secret = show.values.root_module.resources.find((r) => r.type === 'kubectl_manifest' && r.name.includes('source-secret'))!;
  expect(secret.sensitive_values.yaml_body).toBe(true);
  // what plans show of it: the provider hides a Secret's data
  expect(secret.values.yaml_body_parsed).toMatch(/^data: \(sensitive value\)$/m);
  expect(byType('tls_private_key').sensitive_values).toMatchObject({ private_key_openssh: true });
});

test('a second plan is a no-op: what was applied is exactly what the stack declares', async () => {
  const t = Date.now();
  const planned = plannedChanges(tofu, stackDir);
  timings.push(`replan ${((Date.now() - t) / 1000).toFixed(1)} s`);
  // CRDs are cluster-wide: another test's Flux may have relabelled them meanwhile (cdktf-shared-crds.ts)
  expect(await changesBesidesSharedCrds(new KubeRest(kube), flux, namespace, planned)).toEqual([]);
});

test('the stack is small enough to read: one kubectl_manifest per object, the Secret, the key, the three destroy-order guards and the namespace record', () => {
  const doc = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    resource: Record<string, Record<string, object>>;
  };
  expect(Object.keys(doc.resource).sort()).toEqual(['kubectl_manifest', 'terraform_data', 'tls_private_key']);
  // flux uninstall's order at destroy: one guard suspends, one strips finalizers, one deletes the CRDs unless others use them
  // and the namespace unless it was there before, which the fourth records at create (provider/cdktf/destroy-guards.ts)
  expect(Object.keys(doc.resource.terraform_data)).toHaveLength(4);
});
