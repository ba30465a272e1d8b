// harness: kube, git-ssh, flux-controllers, opentofu
// The CDKTF construct with the real Flux controllers: the files the engine rendered are pushed
// to a harness repository, `tofu apply` of FluxCluster installs Flux with a deploy key that
// tls_private_key generated, and source-controller clones over SSH with exactly that key and
// known_hosts, both Ready at the pushed commit, a workload applied. After Flux has taken its
// objects over (kustomize-controller re-applies gotk-components and labels them), a plan is
// still a no-op. With waitForReady (the default), `tofu apply` itself returns only once Flux
// is Ready, as flux bootstrap does.
import { LocalBackend, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FluxCluster } from '../../provider/cdktf';
import { waitForControllersReady, type FluxControllersInfo } from '../harness/flux-controllers';
import { fluxStatus, waitForReconciled } from '../harness/flux-status';
import { gitEnv, gitOk } from '../harness/git-client';
import { createBareRepo, generateKeyPair, gitSshCommand, grantKey, urlFor, writeKnownHosts, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import { pinToMirror, plannedChanges, tofuOk, type OpenTofuInfo } from '../harness/opentofu';
import { commitAndPush, removePlainBootstrap } from '../harness/plain-git-bootstrap';
import { harnessInfo } from '../harness/state';
import { changesBesidesSharedCrds } from '../integration/cdktf-shared-crds';
import { distributionDir } from '../unit/support/reference';

const kube = harnessInfo<KubeInfo>('kube');
const gitSsh = harnessInfo<GitSshInfo>('git-ssh');
const flux = harnessInfo<FluxControllersInfo>('flux-controllers');
const tofu = harnessInfo<OpenTofuInfo>('opentofu');
const rest = new KubeRest(kube);
const clusterPath = 'clusters/cdktf';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-e2e-'));
const namespaces: string[] = [];

afterAll(async () => {
  for (const ns of namespaces) {
    await removePlainBootstrap(rest, ns).catch(() => undefined);
    await rest.delete(`/api/v1/namespaces/default/configmaps/${ns}-workload`).catch(() => undefined);
  }
  // the states and the outdirs hold the generated private keys
  if (process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
});

/** A harness repository holding what FluxBootstrap would commit plus a workload, and the stack. */
async function prepare(algorithm: 'ED25519' | 'ECDSA', waitForReady: boolean) {
  const namespace = uniqueName('flux-cdktf');
  namespaces.push(namespace);
  const repo = `fleet/${namespace}`;
  const work = path.join(tmp, namespace);
  fs.mkdirSync(work, { recursive: true });
  createBareRepo(gitSsh, repo, 'main');
  const url = urlFor(gitSsh, repo);
  const app = Testing.app();
  const stack = new TerraformStack(app, 'cluster');
  new LocalBackend(stack, { path: path.join(work, 'terraform.tfstate') });
  const key = new PrivateKey(stack, 'key', {
    provider: new TlsProvider(stack, 'tls'),
    algorithm,
    ecdsaCurve: algorithm === 'ECDSA' ? 'P384' : undefined,
  });
  const cluster = new FluxCluster(stack, 'flux', {
    version: 'v2.9.3',
    distribution: distributionDir('v2.9.3'),
    namespace,
    path: clusterPath,
    url,
    // what FluxBootstrap passes: OpenSSH form for ed25519, PKCS#8 PEM otherwise
    credentials: {
      privateKey: algorithm === 'ED25519' ? key.privateKeyOpenssh : key.privateKeyPemPkcs8,
      publicKey: key.publicKeyOpenssh,
      knownHosts: gitSsh.knownHosts,
    },
    cluster: { configPath: kube.kubeconfig },
    apply: { waitForRollout: false, waitForReady }, // no nodes: the harness runs the controllers as processes
  });
  new TerraformOutput(stack, 'public_key', { value: key.publicKeyOpenssh });
  app.synth();
  const dir = path.join(app.outdir, 'stacks', 'cluster');
  pinToMirror(tofu, path.join(dir, 'cdk.tf.json'));

  const admin = generateKeyPair(work, 'admin', 'ed25519');
  grantKey(gitSsh, admin.publicKey, repo, 'rw');
  const env = gitEnv(path.join(work, 'home'), {
    GIT_SSH_COMMAND: gitSshCommand(admin.privateKeyFile, writeKnownHosts(gitSsh, path.join(work, 'known_hosts'))),
  });
  const clone = path.join(work, 'clone');
  await gitOk(['init', '-q', '--initial-branch=main', clone], { env });
  await gitOk(['remote', 'add', 'origin', url], { cwd: clone, env });
  const commit = await commitAndPush(
    { clone, gitEnv: env, branch: 'main' },
    {
      ...cluster.desired.files,
      [`${clusterPath}/workload.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${namespace}-workload\n  namespace: default\ndata:\n  from: cdktf\n`,
    },
    cluster.desired.commitMessages.components,
  );
  tofuOk(tofu, ['init', '-no-color'], dir);
  /** the host learns the deploy key, as github_repository_deploy_key does in FluxBootstrap */
  const grant = () => grantKey(gitSsh, tofuOk(tofu, ['output', '-raw', 'public_key'], dir).stdout, repo, 'ro');
  return { namespace, repo, dir, commit, grant, cluster };
}

async function expectReconciled(namespace: string, commit: string) {
  const cm = await rest.get(`/api/v1/namespaces/default/configmaps/${namespace}-workload`);
  expect(cm?.data).toEqual({ from: 'cdktf' });
  // kustomize-controller re-applied gotk-components from git and took the objects over
  const deployment = await rest.get(`/apis/apps/v1/namespaces/${namespace}/deployments/source-controller`);
  expect(deployment?.metadata?.labels?.['kustomize.toolkit.fluxcd.io/name']).toBe(namespace);
  const status = await fluxStatus(rest, namespace);
  expect(status.kustomization.revision).toBe(`main@sha1:${commit}`);
}

test('ed25519 key registered after the apply: Flux clones with it, reconciles the commit, and a replan is a no-op', async () => {
  const { namespace, dir, commit, grant, cluster } = await prepare('ED25519', false);
  const t0 = Date.now();
  tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], dir);
  const applied = Date.now();
  grant();
  await rest.mergePatch(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${namespace}/gitrepositories/${namespace}`, {
    metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': new Date().toISOString() } },
  });
  await waitForControllersReady(flux);
  const done = await waitForReconciled(rest, { namespace, revision: `main@sha1:${commit}`, timeoutMs: 240_000 });
  await expectReconciled(namespace, commit);

  const t1 = Date.now();
  // CRDs are cluster-wide: another test's Flux may have relabelled them meanwhile (cdktf-shared-crds.ts)
  expect(await changesBesidesSharedCrds(rest, cluster, namespace, plannedChanges(tofu, dir))).toEqual([]);
  process.stderr.write(
    `[cdktf] apply ${((applied - t0) / 1000).toFixed(1)} s, Ready ${((done.kustomizationReadyAt - applied) / 1000).toFixed(1)} s later, replan after Flux took over ${((Date.now() - t1) / 1000).toFixed(1)} s\n`,
  );
});

test('ecdsa key registered first: tofu apply returns once Flux is Ready at the pushed commit (waitForReady)', async () => {
  const { namespace, dir, commit, grant, cluster } = await prepare('ECDSA', true);
  tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-target=tls_private_key.key'], dir);
  grant();
  const apply = tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], dir);
  // no polling: apply itself waited for Ready
  await expectReconciled(namespace, commit);
  expect(await changesBesidesSharedCrds(rest, cluster, namespace, plannedChanges(tofu, dir))).toEqual([]);
  process.stderr.write(`[cdktf] apply with waitForReady ${apply.seconds.toFixed(1)} s\n`);
});

test("tofu destroy follows flux uninstall's order: the workload committed under the path stays", async () => {
  const { namespace, dir, commit, grant } = await prepare('ED25519', false);
  tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], dir);
  grant();
  await rest.mergePatch(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${namespace}/gitrepositories/${namespace}`, {
    metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': new Date().toISOString() } },
  });
  await waitForControllersReady(flux);
  await waitForReconciled(rest, { namespace, revision: `main@sha1:${commit}`, timeoutMs: 240_000 });
  await expectReconciled(namespace, commit);

  // kustomize-controller runs throughout: the Kustomization (prune: true) must be suspended
  // before it is deleted, or its finalizer garbage-collects the workload
  const destroy = tofuOk(tofu, ['destroy', '-auto-approve', '-no-color', '-parallelism=10'], dir);
  expect(destroy.stdout).toMatch(/suspend: [1-9]\d* of \d+ custom resources/);
  await rest.waitFor(
    `namespace ${namespace} gone`,
    async () => ((await rest.get(`/api/v1/namespaces/${namespace}`)) === null ? true : undefined),
    120_000,
    500,
  );
  // a garbage collection would have deleted it by now: the Kustomization and its controller are gone
  expect((await rest.get(`/api/v1/namespaces/default/configmaps/${namespace}-workload`))?.data).toEqual({ from: 'cdktf' });
  process.stderr.write(`[cdktf] destroy ${destroy.seconds.toFixed(1)} s\n`);
});
