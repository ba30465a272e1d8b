// harness: kube, opentofu
// FluxCluster with an oci:// url (gitless) against a real API server with real OpenTofu: the
// stack validates, `tofu apply` installs Flux with an OCIRepository at the tag and the registry
// pull Secret (kubernetes.io/dockerconfigjson, with ca.crt), the password variable stays
// sensitive in the state, and a second plan is a no-op.
import { LocalBackend, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FluxCluster } from '../../provider/cdktf';
import { uniqueName } from '../harness/kube-client';
import type { KubeInfo } from '../harness/kube';
import { KubeRest } from '../harness/kube-rest';
import { pinToMirror, plannedChanges, tofuOk, type OpenTofuInfo } from '../harness/opentofu';
import { harnessInfo } from '../harness/state';
import { distributionDir } from '../unit/support/reference';
import { changesBesidesSharedCrds } from './cdktf-shared-crds';

const tofu = harnessInfo<OpenTofuInfo>('opentofu');
const kube = harnessInfo<KubeInfo>('kube');
const rest = new KubeRest(kube);
const namespace = uniqueName('flux-cdktf-oci');
const PASSWORD = `pw-${namespace}`;
let stackDir: string;
let outdir: string;
let flux: FluxCluster;

beforeAll(() => {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'gitless');
  new LocalBackend(stack, { path: path.join(app.outdir, 'terraform.tfstate') });
  const password = new TerraformVariable(stack, 'registry_password', { type: 'string', sensitive: true });
  flux = new FluxCluster(stack, 'flux', {
    version: 'v2.9.3',
    distribution: distributionDir('v2.9.3'),
    namespace,
    path: 'clusters/gitless',
    url: 'oci://127.0.0.1:5000/fleet/gitless:cluster',
    oci: { privateCa: true, verify: { provider: 'cosign', secretName: 'cosign-keys' } },
    credentials: {
      username: 'robot',
      password: password.stringValue,
      caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    },
    cluster: { configPath: kube.kubeconfig },
    // no nodes and no controllers here: nothing rolls out or becomes Ready (tests/e2e has them)
    apply: { waitForRollout: false, waitForReady: false },
  });
  app.synth();
  outdir = app.outdir;
  stackDir = path.join(app.outdir, 'stacks', 'gitless');
  pinToMirror(tofu, path.join(stackDir, 'cdk.tf.json'));
  tofuOk(tofu, ['init', '-no-color'], stackDir);
});

afterAll(() => {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

// the sensitive variable's value, as a pipeline passes it (never on the command line)
process.env.TF_VAR_registry_password = PASSWORD;

test('tofu validate, then apply: the OCIRepository at the tag with its secretRef, certSecretRef and verify; the pull Secret', async () => {
  const validate = JSON.parse(tofuOk(tofu, ['validate', '-no-color', '-json'], stackDir).stdout) as { valid: boolean };
  expect(validate.valid).toBe(true);
  const apply = tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], stackDir);
  expect(apply.stdout).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
  expect(apply.stdout).not.toContain(PASSWORD);

  const source = await rest.get(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${namespace}/ocirepositories/${namespace}`);
  expect(source.spec).toEqual({
    interval: '1m0s',
    url: 'oci://127.0.0.1:5000/fleet/gitless',
    ref: { tag: 'cluster' },
    secretRef: { name: 'flux-system' },
    certSecretRef: { name: 'flux-system' },
    verify: { provider: 'cosign', secretRef: { name: 'cosign-keys' } },
    // defaults the API server fills in
    ...Object.fromEntries(
      Object.entries(source.spec).filter(([k]) => !['interval', 'url', 'ref', 'secretRef', 'certSecretRef', 'verify'].includes(k)),
    ),
  });
  const ks = await rest.get(`/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${namespace}/kustomizations/${namespace}`);
  expect(ks.spec.sourceRef).toEqual({ kind: 'OCIRepository', name: namespace });
  const secret = await rest.get(`/api/v1/namespaces/${namespace}/secrets/flux-system`);
  expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
  expect(Object.keys(secret.data).sort()).toEqual(['.dockerconfigjson', 'ca.crt']);
  const config = JSON.parse(Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString('utf8'));
  expect(config).toEqual({
    auths: { '127.0.0.1:5000': { username: 'robot', password: PASSWORD, auth: Buffer.from(`robot:${PASSWORD}`).toString('base64') } },
  });

  const show = JSON.parse(tofuOk(tofu, ['show', '-json', '-no-color'], stackDir).stdout) as {
    values: { root_module: { resources: { type: string; name: string; sensitive_values: Record<string, unknown> }[] } };
  };
  const manifest = show.values.root_module.resources.find((r) => r.type === 'kubectl_manifest' && r.name.includes('source-secret'))!;
  expect(manifest.sensitive_values.yaml_body).toBe(true);
});

test('a second plan is a no-op', async () => {
  const planned = plannedChanges(tofu, stackDir);
  expect(await changesBesidesSharedCrds(rest, flux, namespace, planned)).toEqual([]);
});
