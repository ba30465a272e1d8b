// FluxCluster: only the cluster side, for a repository committed elsewhere. Same objects and
// stages as FluxBootstrap, the Secret from the given credentials, no repository resources.
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { FluxCluster, InputErrors, type FluxClusterProps } from '../../provider/cdktf';
import type { Distribution } from '../../provider/engine';
import { CLUSTER, type TfJson } from './support/cdktf';
import { distribution } from './support/reference';

let dist: Distribution;
beforeAll(async () => {
  dist = await distribution('v2.9.3');
});

function synth(extra: Partial<FluxClusterProps> = {}): { json: TfJson; cluster: FluxCluster } {
  const stack = new TerraformStack(Testing.app(), 'test');
  const key = new TerraformVariable(stack, 'flux_key', { type: 'string', sensitive: true });
  const cluster = new FluxCluster(stack, 'cluster', {
    version: 'v2.9.3',
    distribution: dist,
    url: 'ssh://git@git.example.com:2222/fleet/infra',
    path: 'clusters/edge',
    credentials: {
      privateKey: key.stringValue,
      publicKey: 'ssh-ed25519 AAAAexample',
      knownHosts: '[git.example.com]:2222 ssh-ed25519 AAAAhost',
    },
    cluster: CLUSTER,
    ...extra,
  });
  return { json: JSON.parse(Testing.synth(stack, true)) as TfJson, cluster };
}

test('the objects and the Secret, nothing on the repository side', () => {
  const { json, cluster } = synth();
  expect(Object.keys(json.resource).sort()).toEqual(['kubectl_manifest', 'kubernetes_secret_v1', 'terraform_data']);
  expect(Object.keys(json.resource.kubectl_manifest)).toHaveLength(cluster.desired.objects.length);
  const secret = Object.values(json.resource.kubernetes_secret_v1)[0];
  expect(secret.data).toEqual({
    identity: '${var.flux_key}',
    'identity.pub': 'ssh-ed25519 AAAAexample',
    known_hosts: '[git.example.com]:2222 ssh-ed25519 AAAAhost',
  });
  expect(json.provider.kubectl[0]).toMatchObject({ alias: 'cluster-kubectl' });
  expect(cluster.desired.files['clusters/edge/flux-system/gotk-sync.yaml']).toContain('url: ssh://git@git.example.com:2222/fleet/infra\n');
});

test('missing credentials and an https URL are refused with field names', () => {
  const stack = new TerraformStack(Testing.app(), 'bad');
  let messages: string[] = [];
  try {
    new FluxCluster(stack, 'cluster', {
      version: 'v2.9.3',
      distribution: dist,
      url: 'https://git.example.com/fleet.git',
      credentials: { privateKey: '', publicKey: 'x', knownHosts: 'y' },
      cluster: CLUSTER,
    });
  } catch (e) {
    messages = (e as InputErrors).errors.map((x) => x.message);
  }
  expect(messages).toEqual([
    expect.stringMatching(/^invalid url "https:\/\/git\.example\.com\/fleet\.git": must be an ssh:\/\/ URL/),
    expect.stringMatching(/^missing credentials\.privateKey: a value is required/),
  ]);
  expect(stack.node.children).toHaveLength(0);
});
