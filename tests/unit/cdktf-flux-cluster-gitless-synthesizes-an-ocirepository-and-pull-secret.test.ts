// FluxCluster with an oci:// url (gitless): the OCIRepository and the Kustomization on it, the
// registry pull Secret (kubernetes.io/dockerconfigjson, computed by Terraform so the password
// stays a sensitive variable; ca.crt with a private CA), no Secret for an anonymous pull;
// bad input refused at synth with the field, the value and the fix.
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { FluxBootstrap, FluxCluster, InputErrors, type FluxClusterProps } from '../../provider/cdktf';
import type { Distribution } from '../../provider/engine';
import { CLUSTER, type TfJson } from './support/cdktf';
import { distribution } from './support/reference';
import { secretOf, secretsOf } from './support/secret-manifest';

let dist: Distribution;
beforeAll(async () => {
  dist = await distribution('v2.9.3');
});
const URL = 'oci://registry.example.com:5000/fleet/edge:cluster';

function synth(extra: (stack: TerraformStack) => Partial<FluxClusterProps>): { json: TfJson; cluster: FluxCluster } {
  const stack = new TerraformStack(Testing.app(), 'test');
  const cluster = new FluxCluster(stack, 'cluster', {
    version: 'v2.9.3',
    distribution: dist,
    url: URL,
    path: 'clusters/edge',
    cluster: CLUSTER,
    ...extra(stack),
  });
  return { json: JSON.parse(Testing.synth(stack, true)) as TfJson, cluster };
}

test('an OCIRepository at the tag and the pull Secret with the registry password as a variable and the CA', () => {
  const { json, cluster } = synth((stack) => ({
    oci: { privateCa: true },
    credentials: {
      username: 'robot',
      password: new TerraformVariable(stack, 'registry_password', { type: 'string', sensitive: true }).stringValue,
      caPem: 'PEM',
    },
  }));
  const source = cluster.objects.find((o) => o.kind === 'OCIRepository')!;
  expect(source.stage).toBe('sync');
  expect(source.yaml).toContain('url: oci://registry.example.com:5000/fleet/edge\n');
  expect(source.yaml).toContain('certSecretRef:\n');
  expect(cluster.objects.find((o) => o.kind === 'GitRepository')).toBeUndefined();
  const secret = secretOf(json);
  expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
  expect(Object.keys(secret.data).sort()).toEqual(['.dockerconfigjson', 'ca.crt']);
  expect(secret.data['.dockerconfigjson']).toContain('${jsonencode(');
  expect(secret.data['.dockerconfigjson']).toContain('var.registry_password');
});

test('an anonymous pull without a CA makes no Secret and no secretRef', () => {
  const { json, cluster } = synth(() => ({ oci: { anonymous: true } }));
  expect(secretsOf(json)).toEqual([]);
  expect(json.resource.kubernetes_secret_v1).toBeUndefined();
  expect(cluster.objects.find((o) => o.kind === 'OCIRepository')!.yaml).not.toContain('secretRef');
});

test('missing registry credentials, a missing CA, and FluxBootstrap with an oci:// url are refused with the fix', () => {
  const messages = (fn: () => void) => {
    try {
      fn();
      return [];
    } catch (e) {
      return (e as InputErrors).errors.map((x) => x.message);
    }
  };
  const stack = new TerraformStack(Testing.app(), 'bad');
  expect(
    messages(
      () => new FluxCluster(stack, 'a', { version: 'v2.9.3', distribution: dist, url: URL, cluster: CLUSTER, oci: { privateCa: true } }),
    ),
  ).toEqual([
    expect.stringMatching(
      /^missing credentials: needs username and password of a registry user that may pull .* Fix: give \{username, password\} .*or set oci\.anonymous: true/,
    ),
    expect.stringMatching(/^missing credentials\.caPem: is required with oci\.privateCa\. Fix: give the registry CA certificate/),
  ]);
  expect(
    messages(
      () =>
        new FluxCluster(stack, 'b', {
          version: 'v2.9.3',
          distribution: dist,
          url: 'oci://registry.example.com/fleet',
          cluster: CLUSTER,
          oci: { anonymous: true },
        }),
    ),
  ).toEqual([expect.stringContaining('invalid url "oci://registry.example.com/fleet": has no tag')]);
  expect(
    messages(
      () =>
        new FluxBootstrap(stack, 'c', {
          version: 'v2.9.3',
          distribution: dist,
          url: URL,
          repository: { host: 'github', owner: 'acme', name: 'fleet' },
          cluster: CLUSTER,
        }),
    ),
  ).toEqual([expect.stringContaining('use FluxCluster with this url for a gitless bootstrap')]);
});
