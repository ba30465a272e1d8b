// FluxCluster: only the cluster side, for a repository committed elsewhere. Same objects and
// stages as FluxBootstrap, the Secret from the given credentials (server-side applied, so it
// adopts a Secret a lost state left; the kubernetes_secret_v1 an earlier release wrote at its
// address forgotten, not destroyed), no repository resources.
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { FluxCluster, InputErrors, type FluxClusterProps } from '../../provider/cdktf';
import type { Distribution } from '../../provider/engine';
import { CLUSTER, type TfJson } from './support/cdktf';
import { distribution } from './support/reference';
import { secretOf } from './support/secret-manifest';

let dist: Distribution;
beforeAll(async () => {
  dist = await distribution('v2.9.3');
});

type WithRemoved = TfJson & { removed?: { from: string; lifecycle: { destroy: boolean } }[] };

function synth(extra: Partial<FluxClusterProps> = {}): { json: WithRemoved; cluster: FluxCluster } {
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
  return { json: JSON.parse(Testing.synth(stack, true)) as WithRemoved, cluster };
}

test('the objects and the Secret, nothing on the repository side', () => {
  const { json, cluster } = synth();
  expect(Object.keys(json.resource).sort()).toEqual(['kubectl_manifest', 'terraform_data']);
  // the objects, and the Secret
  expect(Object.keys(json.resource.kubectl_manifest)).toHaveLength(cluster.desired.objects.length + 1);
  const secret = secretOf(json);
  expect(secret.metadata).toEqual({ name: 'flux-system', namespace: 'flux-system' });
  expect(secret.data).toEqual({
    identity: '${var.flux_key}',
    'identity.pub': 'ssh-ed25519 AAAAexample',
    known_hosts: '[git.example.com]:2222 ssh-ed25519 AAAAhost',
  });
  expect(secret.manifest).toMatchObject({
    provider: 'kubectl.cluster-kubectl',
    server_side_apply: true,
    field_manager: 'flux',
    force_conflicts: true,
    depends_on: [expect.stringMatching(/^kubectl_manifest\.cluster_namespace-flux-system_/)],
  });
  expect(json.provider.kubectl[0]).toMatchObject({ alias: 'cluster-kubectl' });
  expect(cluster.desired.files['clusters/edge/flux-system/gotk-sync.yaml']).toContain('url: ssh://git@git.example.com:2222/fleet/infra\n');
});

test('a state an earlier release made: its kubernetes_secret_v1 is forgotten, at the address that release gave it', () => {
  const { json } = synth();
  // the address the Secret had: the prebuilt class (which our binding wrote alike) at the same construct path
  const before = new TerraformStack(Testing.app(), 'test');
  new SecretV1(new Construct(before, 'cluster'), 'source-secret', { metadata: { name: 'flux-system' } });
  const old = Object.keys((JSON.parse(Testing.synth(before)) as TfJson).resource.kubernetes_secret_v1);
  expect(json.removed).toEqual([{ from: `kubernetes_secret_v1.${old[0]}`, lifecycle: { destroy: false } }]);
  expect(secretOf(json).id).toBe(old[0]);
  // tofu needs the provider the old resource was made with to forget it
  expect(json.provider.kubernetes).toEqual([expect.objectContaining({ alias: 'cluster-kubernetes' })]);
});

test('literal values reach the Secret as given: several lines, quotes, and a "$" that is no template', () => {
  const knownHosts = '[git.example.com]:2222 ssh-ed25519 AAAAhost\n# "comment" with \\ and $HOME\n';
  const { json } = synth({ credentials: { privateKey: 'PRIVATE', publicKey: 'ssh-ed25519 AAAAexample', knownHosts } });
  expect(secretOf(json).data).toEqual({ identity: 'PRIVATE', 'identity.pub': 'ssh-ed25519 AAAAexample', known_hosts: knownHosts });
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
