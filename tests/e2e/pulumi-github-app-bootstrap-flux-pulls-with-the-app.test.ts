// harness: kube, git-ssh, git-http, github-app, flux-controllers, pulumi
// examples/pulumi-github-app on the fake GitHub Enterprise of service `github-app`: the
// repository is created, the manifests pushed and the real source-controller clones, all with
// the App's installation tokens, over HTTPS with the harness CA (the Secret's ca.crt), with no
// personal token and no deploy key. Then the App key is rotated with a planned update and the
// old key revoked: Flux keeps pulling.
import { createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commitFiles } from '../../provider/git';
import { GitHubApp } from '../../provider/hosts';
import { fetchWithCa } from '../../provider/hosts/ca-fetch';
import { expectNoViolations, requestLog } from '../harness/fake-api-client';
import { generateAppKey, type FakeGitHubAppInfo } from '../harness/fake-github-app';
import { waitForControllersReady, type FluxControllersInfo } from '../harness/flux-controllers';
import { distributionDir } from '../harness/flux-reference';
import { fluxStatus, waitForReconciled } from '../harness/flux-status';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import { tail } from '../harness/processes';
import type { PulumiInfo } from '../harness/pulumi';
import { copyExample, programStack, type ProgramStack } from '../harness/pulumi-program';
import { harnessInfo } from '../harness/state';

const gh = harnessInfo<FakeGitHubAppInfo>('github-app');
const kube = harnessInfo<KubeInfo>('kube');
const flux = harnessInfo<FluxControllersInfo>('flux-controllers');
const rest = new KubeRest(kube);
const realFetch = globalThis.fetch;
let tmp: string;
let program: ProgramStack | undefined;
const namespace = uniqueName('flux-app');
const repo = uniqueName('fleet-app');
const log = () => path.join(tmp, 'pulumi.log');

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'github-app-e2e-'));
  globalThis.fetch = fetchWithCa(gh.caPem); // the fake's control endpoints are https with the harness CA
});
afterAll(async () => {
  if (program) {
    await program.stack.destroy({ color: 'never', onOutput: (c) => fs.appendFileSync(log(), c) }).catch(() => undefined);
    await program.stack.workspace.removeStack(program.stack.name, { force: true }).catch(() => undefined);
  }
  globalThis.fetch = realFetch;
  if (process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
});

const appControl = (body: unknown) =>
  fetch(`${gh.controlUrl}/app`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const gitRepositoryPath = `/apis/source.toolkit.fluxcd.io/v1/namespaces/${namespace}/gitrepositories/${namespace}`;

async function up(): Promise<Record<string, string>> {
  const r = await program!.stack.up({ color: 'never', onOutput: (c) => fs.appendFileSync(log(), c) });
  return Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.value as string]));
}

test(
  'bootstrap as a GitHub App: Flux clones with the App at the pushed commit, no deploy key, no token; ' +
    'a no-change preview calls nothing; the App key is rotated without Flux losing access',
  async () => {
    try {
      const dir = copyExample('pulumi-github-app', path.join(tmp, 'program'));
      program = await programStack(harnessInfo<PulumiInfo>('pulumi'), dir, namespace);
      await program.stack.setAllConfig({
        owner: { value: gh.org },
        repository: { value: repo },
        apiUrl: { value: gh.apiUrl },
        appId: { value: String(gh.appId) },
        installationId: { value: String(gh.installationId) },
        appPrivateKey: { value: gh.privateKey, secret: true },
        caPem: { value: gh.caPem },
        kubeconfig: { value: fs.readFileSync(kube.kubeconfig, 'utf8'), secret: true },
        namespace: { value: namespace },
        path: { value: 'clusters/app' },
        version: { value: 'v2.9.3' },
        distribution: { value: distributionDir('v2.9.3') },
        waitDeployments: { value: 'false' },
      });
      const before = (await requestLog(gh.controlUrl)).length;
      const first = await up();
      const calls = (await requestLog(gh.controlUrl)).slice(before);
      await waitForControllersReady(flux);
      const ready = await waitForReconciled(rest, { namespace, revision: `main@sha1:${first.commit}`, timeoutMs: 180_000 });
      expect(ready.status.gitRepository.revision).toBe(`main@sha1:${first.commit}`);
      expect(first.revision).toBe(`main@sha1:${first.commit}`);
      expect(first.repositoryUrl).toBe(`${gh.webUrl}/${gh.org}/${repo}.git`);

      // Flux pulls over https with the App: provider github, the App's three keys, the base URL and CA
      const gitRepo = await rest.get(gitRepositoryPath);
      expect(gitRepo.spec.provider).toBe('github');
      expect(gitRepo.spec.url).toBe(`${gh.webUrl}/${gh.org}/${repo}.git`);
      const secret = await rest.get(`/api/v1/namespaces/${namespace}/secrets/flux-system`);
      expect(Object.keys(secret.data).sort()).toEqual([
        'ca.crt',
        'githubAppBaseURL',
        'githubAppID',
        'githubAppInstallationID',
        'githubAppPrivateKey',
      ]);
      const decoded = (k: string) => Buffer.from(secret.data[k], 'base64').toString('utf8');
      expect(decoded('githubAppBaseURL')).toBe(gh.apiUrl);
      expect(decoded('githubAppID')).toBe(String(gh.appId));
      // no deploy key and no personal token anywhere: every API call was the App's or its installation's
      expect(calls.filter((c) => c.path.includes('/keys'))).toEqual([]);
      expect(calls.filter((c) => c.path === '/api/v3/user')).toEqual([]);
      expect(calls.filter((c) => c.status === 401)).toEqual([]);
      // the committed gotk-sync.yaml carries the provider too, so Flux reconciling itself keeps it
      expect(fs.readFileSync(log(), 'utf8')).not.toContain(gh.privateKey.split('\n')[1]);

      // a no-change preview: no API call at all (the App is verified only when its inputs change)
      const quiet = (await requestLog(gh.controlUrl)).length;
      const preview = await program.stack.preview({ color: 'never' });
      expect(preview.changeSummary.update ?? 0).toBe(0);
      expect((await requestLog(gh.controlUrl)).length).toBe(quiet);

      // rotation: the new key is added to the App, the stack moves to it, then the old key is revoked
      const next = generateAppKey();
      expect((await appControl({ addKey: next.publicKey })).status).toBe(204);
      await program.stack.setConfig('appPrivateKey', { value: next.privateKey, secret: true });
      const rotated = await up();
      expect(rotated.commit).toBe(first.commit);
      const afterRotation = await rest.get(`/api/v1/namespaces/${namespace}/secrets/flux-system`);
      expect(Buffer.from(afterRotation.data.githubAppPrivateKey, 'base64').toString('utf8')).toBe(next.privateKey);
      expect((await fluxStatus(rest, namespace)).gitRepository.ready).toBe('True');
      expect((await appControl({ revokeKey: publicOf(gh.privateKey) })).status).toBe(204);

      // a new commit, pushed with the new key's token, is pulled by Flux with the new key
      const app = new GitHubApp(
        { appId: gh.appId, installationId: gh.installationId, privateKey: next.privateKey, caPem: gh.caPem },
        gh.apiUrl,
        'fake',
      );
      const { token } = await app.token();
      const pushed = await commitFiles(
        first.repositoryUrl,
        { kind: 'https', username: 'x-access-token', password: token, caPem: gh.caPem },
        {
          branch: 'main',
          files: {
            'clusters/app/note.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${namespace}-note\n  namespace: ${namespace}\ndata:\n  rotated: "yes"\n`,
          },
          message: 'after the key rotation',
          author: { name: 'test', email: 'test@localhost' },
        },
      );
      await rest.mergePatch(gitRepositoryPath, {
        metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': new Date().toISOString() } },
      });
      await waitForReconciled(rest, { namespace, revision: `main@sha1:${pushed.commit}`, timeoutMs: 180_000 });
      expect((await rest.get(`/api/v1/namespaces/${namespace}/configmaps/${namespace}-note`))?.data).toEqual({ rotated: 'yes' });
      await expectNoViolations(gh.controlUrl);
    } catch (e) {
      const status = await fluxStatus(rest, namespace).catch(() => null);
      (e as Error).message +=
        `\n\nFlux status: ${JSON.stringify(status)}\n\npulumi (tail):\n${tail(log(), 40)}` +
        Object.values(flux.controllers)
          .map((c) => `\n\n${c.log} (tail):\n${tail(c.log, 20)}`)
          .join('') +
        `\n\nfake (tail):\n${tail(gh.logFile, 30)}`;
      throw e;
    }
  },
);

function publicOf(privateKey: string): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string;
}
