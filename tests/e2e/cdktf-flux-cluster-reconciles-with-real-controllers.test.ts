// harness: kube, git-ssh, flux-controllers, opentofu
// The CDKTF construct with the real Flux controllers: the files the engine rendered are pushed
// to a harness repository, `tofu apply` of FluxCluster installs Flux with a deploy key that
// tls_private_key generated, and source-controller clones over SSH with exactly that key and
// known_hosts, both Ready at the pushed commit, a workload applied. After Flux has taken its
// objects over (kustomize-controller re-applies gotk-components and labels them), a plan is
// still a no-op.
import { LocalBackend, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FluxCluster } from '../../provider/cdktf';
import { waitForControllersReady, type FluxControllersInfo } from '../harness/flux-controllers';
import { waitForReconciled } from '../harness/flux-status';
import { gitEnv, gitOk } from '../harness/git-client';
import { createBareRepo, generateKeyPair, gitSshCommand, grantKey, urlFor, writeKnownHosts, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import { pinToMirror, tofuOk, type OpenTofuInfo } from '../harness/opentofu';
import { commitAndPush, removePlainBootstrap } from '../harness/plain-git-bootstrap';
import { harnessInfo } from '../harness/state';
import { distributionDir } from '../unit/support/reference';

const kube = harnessInfo<KubeInfo>('kube');
const gitSsh = harnessInfo<GitSshInfo>('git-ssh');
const flux = harnessInfo<FluxControllersInfo>('flux-controllers');
const tofu = harnessInfo<OpenTofuInfo>('opentofu');
const rest = new KubeRest(kube);
const namespace = uniqueName('flux-cdktf');
const repo = `fleet/${namespace}`;
const clusterPath = 'clusters/cdktf';
const workload = `${namespace}-workload`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-e2e-'));

afterAll(async () => {
  await removePlainBootstrap(rest, namespace).catch(() => undefined);
  await rest.delete(`/api/v1/namespaces/default/configmaps/${workload}`).catch(() => undefined);
  // the state and the outdir hold the generated private key
  if (process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
});

test('tofu apply of FluxCluster, then Flux reconciles the pushed commit with the generated key, and a replan is a no-op', async () => {
  // the stack: a generated ed25519 key and the cluster side, pointed at the harness repository
  createBareRepo(gitSsh, repo, 'main');
  const url = urlFor(gitSsh, repo);
  const app = Testing.app();
  const stack = new TerraformStack(app, 'cluster');
  new LocalBackend(stack, { path: path.join(tmp, 'terraform.tfstate') });
  const key = new PrivateKey(stack, 'key', { provider: new TlsProvider(stack, 'tls'), algorithm: 'ED25519' });
  const cluster = new FluxCluster(stack, 'flux', {
    version: 'v2.9.3', distribution: distributionDir('v2.9.3'), namespace, path: clusterPath, url,
    credentials: { privateKey: key.privateKeyOpenssh, publicKey: key.publicKeyOpenssh, knownHosts: gitSsh.knownHosts },
    cluster: { configPath: kube.kubeconfig },
    apply: { waitForRollout: false }, // no nodes: the harness runs the controllers as processes
  });
  new TerraformOutput(stack, 'public_key', { value: key.publicKeyOpenssh });
  app.synth();
  const dir = path.join(app.outdir, 'stacks', 'cluster');
  pinToMirror(tofu, path.join(dir, 'cdk.tf.json'));

  // what FluxBootstrap would commit, plus a workload under the cluster path
  const admin = generateKeyPair(tmp, 'admin', 'ed25519');
  grantKey(gitSsh, admin.publicKey, repo, 'rw');
  const env = gitEnv(path.join(tmp, 'home'), { GIT_SSH_COMMAND: gitSshCommand(admin.privateKeyFile, writeKnownHosts(gitSsh, path.join(tmp, 'known_hosts'))) });
  const clone = path.join(tmp, 'clone');
  await gitOk(['init', '-q', '--initial-branch=main', clone], { env });
  await gitOk(['remote', 'add', 'origin', url], { cwd: clone, env });
  const commit = await commitAndPush({ clone, gitEnv: env, branch: 'main' }, {
    ...cluster.desired.files,
    [`${clusterPath}/workload.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${workload}\n  namespace: default\ndata:\n  from: cdktf\n`,
  }, cluster.desired.commitMessages.components);

  const t0 = Date.now();
  tofuOk(tofu, ['init', '-no-color'], dir);
  tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], dir);
  const applied = Date.now();
  // the host learns the deploy key, as github_repository_deploy_key does in FluxBootstrap
  const publicKey = tofuOk(tofu, ['output', '-raw', 'public_key'], dir).stdout;
  grantKey(gitSsh, publicKey, repo, 'ro');
  await rest.mergePatch(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${namespace}/gitrepositories/${namespace}`,
    { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': new Date().toISOString() } } });

  await waitForControllersReady(flux);
  const done = await waitForReconciled(rest, { namespace, revision: `main@sha1:${commit}`, timeoutMs: 240_000 });
  expect(done.status.kustomization.revision).toBe(`main@sha1:${commit}`);
  const cm = await rest.get(`/api/v1/namespaces/default/configmaps/${workload}`);
  expect(cm?.data).toEqual({ from: 'cdktf' });
  // kustomize-controller re-applied gotk-components from git and took the objects over
  const deployment = await rest.get(`/apis/apps/v1/namespaces/${namespace}/deployments/source-controller`);
  expect(deployment?.metadata?.labels?.['kustomize.toolkit.fluxcd.io/name']).toBe(namespace);

  const plan = tofuOk(tofu, ['plan', '-detailed-exitcode', '-no-color'], dir, [0, 2]);
  expect(plan.stdout).toContain('No changes.');
  process.stderr.write(`[cdktf] apply ${((applied - t0) / 1000).toFixed(1)} s, Ready ${((done.kustomizationReadyAt - applied) / 1000).toFixed(1)} s later, replan after Flux took over ${plan.seconds.toFixed(1)} s\n`);
});
