// harness: kube-audit, opentofu
// A stack made by a release before secret-manifest.ts, whose state holds the Git credentials
// Secret and the image pull Secret as `kubernetes_secret_v1`, applied with this release: the
// plan forgets the old resources (the `removed` blocks) instead of destroying them, and the
// `kubectl_manifest`s take the live Secrets over by server-side apply. No DELETE reaches the API
// server (its audit log), the Secrets keep their uid and their data, the apply exits 0, and a
// plan after it shows no change. The earlier release's Terraform is this release's FluxCluster
// with the Secrets put back as that release wrote them (cdktf-secrets-as-an-earlier-release-wrote-them.ts).
import { Fn, LocalBackend, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FluxCluster } from '../../provider/cdktf';
import { auditedRequests, auditMark, type KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { HARNESS_USER_AGENT, KubeRest } from '../harness/kube-rest';
import { pinToMirror, plannedChanges, tofuOk, type OpenTofuInfo } from '../harness/opentofu';
import { harnessInfo } from '../harness/state';
import { distributionDir } from '../unit/support/reference';
import { asAnEarlierReleaseWroteThem } from './cdktf-secrets-as-an-earlier-release-wrote-them';

const kube = harnessInfo<KubeInfo>('kube');
const tofu = harnessInfo<OpenTofuInfo>('opentofu');
const rest = new KubeRest(kube);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-upgrade-'));
const namespace = uniqueName('flux-upgrade');
const statePath = path.join(tmp, 'terraform.tfstate');
const KNOWN_HOSTS = '[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKeyForTheUpgrade';
// every tofu run here (plannedChanges too) reads the variable from the environment
process.env.TF_VAR_registry_credentials = 'robot:s3cret';
const say = (m: string) => process.stderr.write(`[cdktf-upgrade] ${m}\n`);

afterAll(() => {
  // the state holds the generated private key
  if (process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
});

/** The stack, by this release (`earlier`: false) or as the earlier one wrote it; the stack directory, initialised. */
function synth(earlier: boolean): string {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'cluster');
  new LocalBackend(stack, { path: statePath });
  const key = new PrivateKey(stack, 'deploy-key', { provider: new TlsProvider(stack, 'tls'), algorithm: 'ED25519' });
  const credentials = new TerraformVariable(stack, 'registry_credentials', { type: 'string', sensitive: true }).stringValue;
  const flux = new FluxCluster(stack, 'flux', {
    version: 'v2.9.3',
    distribution: distributionDir('v2.9.3'),
    namespace,
    path: 'clusters/upgrade',
    url: 'ssh://git@127.0.0.1:2222/fleet/upgrade',
    credentials: { privateKey: key.privateKeyOpenssh, publicKey: key.publicKeyOpenssh, knownHosts: KNOWN_HOSTS },
    imagePullSecret: 'regcred',
    registryCredentials: credentials,
    cluster: { configPath: kube.kubeconfig },
    apply: { waitForRollout: false, waitForReady: false }, // no nodes, no controllers here
  });
  if (earlier) {
    const parts = Fn.split(':', credentials);
    asAnEarlierReleaseWroteThem(flux, [
      {
        id: 'source-secret',
        name: 'flux-system',
        data: { identity: key.privateKeyOpenssh, 'identity.pub': key.publicKeyOpenssh, known_hosts: KNOWN_HOSTS },
      },
      {
        id: 'image-pull-secret',
        name: 'regcred',
        type: 'kubernetes.io/dockerconfigjson',
        data: {
          '.dockerconfigjson': Fn.jsonencode({
            auths: {
              'ghcr.io/fluxcd': { username: Fn.element(parts, 0), password: Fn.element(parts, 1), auth: Fn.base64encode(credentials) },
            },
          }),
        },
      },
    ]);
  }
  app.synth();
  const dir = path.join(app.outdir, 'stacks', 'cluster');
  pinToMirror(tofu, path.join(dir, 'cdk.tf.json'));
  tofuOk(tofu, ['init', '-no-color'], dir);
  return dir;
}

const secret = (name: string) => rest.get(`/api/v1/namespaces/${namespace}/secrets/${name}`);

test('the Secrets an earlier release made as kubernetes_secret_v1 are adopted, not deleted: same uid, same data', async () => {
  const earlier = synth(true);
  tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], earlier);
  const state = tofuOk(tofu, ['state', 'list'], earlier).stdout;
  expect(state.match(/^kubernetes_secret_v1\..*$/gm)).toHaveLength(2);
  const before = { source: await secret('flux-system'), pull: await secret('regcred') };

  const now = synth(false);
  const plan = tofuOk(tofu, ['plan', '-no-color'], now).stdout;
  say((plan.match(/^Plan: .*$/m) ?? [''])[0]);
  expect(plan).toMatch(/# kubernetes_secret_v1\.flux_source-secret_\w+ will be removed from the OpenTofu state but will not be destroyed/);
  expect(plan).toMatch(/Plan: 2 to add, 0 to change, 0 to destroy, 2 to forget\./);
  // what the plan shows of the forgotten resources and the new manifests holds no key
  const key = Buffer.from(before.source.data.identity, 'base64').toString();
  const body = key
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .join('');
  for (const k of [before.source.data.identity, body.slice(120, 180), 's3cret']) expect(plan).not.toContain(k);
  const mark = auditMark(kube);
  const apply = tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], now);
  await new Promise((r) => setTimeout(r, 300)); // the audit log is written asynchronously
  const requests = auditedRequests(kube, mark).requests.filter((r) => r.userAgent !== HARNESS_USER_AGENT);
  const deletes = requests.filter((r) => r.verb === 'delete' || r.verb === 'deletecollection');
  const writes = requests.filter((r) => ['create', 'update', 'patch'].includes(r.verb) && !/[?&]dryRun=/.test(r.uri));
  say(
    `apply with this release: ${apply.seconds.toFixed(1)} s, ${(apply.stdout.match(/Apply complete!.*/) ?? [''])[0]}; ` +
      `${requests.length} API requests, writes: ${writes.map((w) => `${w.verb} ${w.uri.split('?')[0]}`).join(', ')}; ${deletes.length} deletes`,
  );

  expect(deletes.map((d) => `${d.verb} ${d.uri}`)).toEqual([]);
  const after = { source: await secret('flux-system'), pull: await secret('regcred') };
  for (const k of ['source', 'pull'] as const) {
    expect(after[k].metadata.uid).toBe(before[k].metadata.uid);
    expect(after[k].data).toEqual(before[k].data);
    expect(after[k].type).toBe(before[k].type);
  }
  expect(tofuOk(tofu, ['state', 'list'], now).stdout).not.toMatch(/kubernetes_secret_v1/);
  expect(plannedChanges(tofu, now)).toEqual([]);
  // and the stack is whole for destroy, which deletes them as before
  tofuOk(tofu, ['destroy', '-auto-approve', '-no-color', '-parallelism=10'], now);
  expect(await secret('flux-system')).toBeNull();
}, 900_000);
