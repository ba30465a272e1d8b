// harness: kube, git-ssh, git-http, flux-controllers, pulumi, pulumi-kubernetes
// examples/pulumi-tenants with the real @pulumi/kubernetes provider (pulumi-resource-kubernetes
// built from the Go module proxy) and the real Flux controllers: one stack bootstraps Flux from
// the fleet repository on the sshd, then declares two tenants (namespace, repository
// credentials, GitRepository, Kustomization) whose repositories are on the HTTPS git server.
// Each tenant's workload appears. Destroy deletes the tenants before Flux, while the
// controllers still run their finalizers, and leaves no Flux object and no namespace behind.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EngineEvent } from '@pulumi/pulumi/automation';
import { waitForControllersReady, type FluxControllersInfo } from '../harness/flux-controllers';
import { distributionDir } from '../harness/flux-reference';
import { createBareRepo as createHttpRepo, httpUrlFor, type GitHttpInfo } from '../harness/git-http';
import { keyCommand } from '../harness/git-ssh-key-command';
import { createBareRepo, generateKeyPair, grantKey, repoDir, urlFor, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { until } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import type { PulumiInfo } from '../harness/pulumi';
import { copyExample, programStack, type ProgramStack } from '../harness/pulumi-program';
import { harnessInfo } from '../harness/state';

const suffix = `${Date.now().toString(36)}${process.pid}`;
const TENANTS = [`team-a-${suffix}`, `team-b-${suffix}`];
const FLEET = `fleet/tenants-${suffix}`;

let tmp: string;
let rest: KubeRest;
let program: ProgramStack;

/** A tenant repository holding one ConfigMap, committed straight into the bare repository. */
function tenantRepo(http: GitHttpInfo, name: string): string {
  const bare = createHttpRepo(http, `tenants/${name}`);
  const work = path.join(tmp, `work-${name}`);
  const run = (args: string[]) =>
    execFileSync('git', args, {
      cwd: work,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    });
  fs.mkdirSync(work, { recursive: true });
  run(['init', '-q', '--initial-branch=main']);
  fs.writeFileSync(path.join(work, 'app.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  tenant: ${name}\n`);
  run(['add', '-A']);
  run(['commit', '-q', '-m', 'Add the app']);
  run(['push', '-q', bare, 'main']);
  return httpUrlFor(http, `tenants/${name}`);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-tenants-'));
  const kube = harnessInfo<KubeInfo>('kube');
  const gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  const http = harnessInfo<GitHttpInfo>('git-http');
  rest = new KubeRest(kube);
  createBareRepo(gitSsh, FLEET);
  const push = generateKeyPair(tmp, 'push');
  grantKey(gitSsh, push.publicKey, FLEET, 'rw');
  const tenants = TENANTS.map((name) => ({ name, url: tenantRepo(http, name), username: http.readOnly.username, caPem: http.caPem }));
  program = await programStack(harnessInfo<PulumiInfo>('pulumi'), copyExample('pulumi-tenants', path.join(tmp, 'program')), 'e2e', {
    PULUMI_NODEJS_TRANSPILE_ONLY: 'true',
  });
  await program.stack.setAllConfig({
    repositoryUrl: { value: urlFor(gitSsh, FLEET) },
    pushPrivateKey: { value: push.privateKey, secret: true },
    knownHosts: { value: gitSsh.knownHosts },
    kubeconfig: { value: fs.readFileSync(kube.kubeconfig, 'utf8'), secret: true },
    version: { value: 'v2.9.3' },
    distribution: { value: distributionDir('v2.9.3') },
    waitDeployments: { value: 'false' },
    addKeyCommand: { value: JSON.stringify(keyCommand('add', gitSsh.stateDir, FLEET)) },
    removeKeyCommand: { value: JSON.stringify(keyCommand('remove', gitSsh.stateDir, FLEET)) },
    tenants: { value: JSON.stringify(tenants) },
    tenantPasswords: { value: JSON.stringify(Object.fromEntries(TENANTS.map((t) => [t, http.readOnly.password]))), secret: true },
  });
  expect(fs.existsSync(repoDir(gitSsh, FLEET))).toBe(true);
}, 600_000);

afterAll(() => {
  if (process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1' && tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("up: Flux is bootstrapped, then each tenant's GitRepository and Kustomization deploy its workload", async () => {
  await waitForControllersReady(harnessInfo<FluxControllersInfo>('flux-controllers')).catch(() => undefined);
  const up = await program.stack.up();
  expect(up.summary.result).toBe('succeeded');
  expect([...(up.outputs.tenantNamespaces.value as string[])].sort()).toEqual([...TENANTS].sort());
  for (const t of TENANTS) {
    const cm = await until(
      `the workload of ${t}`,
      () => rest.get(`/api/v1/namespaces/${t}/configmaps/app`).then((c) => c ?? undefined),
      240_000,
    );
    expect(cm.data).toEqual({ tenant: t });
    expect(cm.metadata.labels['kustomize.toolkit.fluxcd.io/name']).toBe(t);
  }
}, 1_800_000);

test('destroy removes the tenants first, while Flux runs, and leaves nothing on a finalizer', async () => {
  const events: EngineEvent[] = [];
  const r = await program.stack.destroy({ onEvent: (e) => events.push(e) });
  expect(r.summary.result).toBe('succeeded');
  const deletedAt = (type: string) =>
    events.findIndex((e) => e.resOutputsEvent?.metadata.op === 'delete' && e.resOutputsEvent.metadata.type === type);
  const startedAt = (type: string) =>
    events.findIndex((e) => e.resourcePreEvent?.metadata.op === 'delete' && e.resourcePreEvent.metadata.type === type);
  const install = startedAt('pulumi-nodejs:dynamic/flux-bootstrap:ControllerInstall');
  expect(install).toBeGreaterThan(-1);
  for (const type of [
    'kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization',
    'kubernetes:source.toolkit.fluxcd.io/v1:GitRepository',
    'kubernetes:core/v1:Namespace',
  ]) {
    expect(deletedAt(type)).toBeGreaterThan(-1);
    expect(deletedAt(type)).toBeLessThan(install);
  }
  for (const t of TENANTS) expect(await rest.get(`/api/v1/namespaces/${t}`)).toBeNull();
  // Kubernetes removes a namespace and a CRD asynchronously (their own finalizers): each must be
  // gone within a minute, not stay Terminating behind a finalizer nobody will remove
  const gone = (p: string) => until(`${p} gone`, async () => ((await rest.get(p)) === null ? true : undefined), 60_000);
  await gone('/api/v1/namespaces/flux-system');
  // the CRDs are gone with Flux: no GitRepository or Kustomization can be left waiting
  await gone('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gitrepositories.source.toolkit.fluxcd.io');
  await gone('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/kustomizations.kustomize.toolkit.fluxcd.io');
}, 1_800_000);
