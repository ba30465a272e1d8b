// harness: kube, oci-registry-token, flux-controllers, pulumi
// examples/pulumi-oci against a registry with the Bearer token flow of ghcr.io and Docker Hub
// (distribution's `auth: token` and the harness's token server): Pulumi pushes with the push
// user, whose token asks pull and push; the real source-controller pulls with the pull-only
// user from the pull Secret (its own token, pull only) and the real kustomize-controller
// applies it. A refresh asks only for a pull token; a second up pushes nothing; a changed
// option pushes one new artifact Flux reconciles. No password and no token is in the state,
// the log or an output.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitForControllersReady, type FluxControllersInfo } from '../harness/flux-controllers';
import { distributionDir } from '../harness/flux-reference';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import { registryChallenges, registryRequests } from '../harness/oci-registry';
import { tokenRequests, type OciTokenRegistryInfo } from '../harness/oci-registry-token';
import { tail } from '../harness/processes';
import type { PulumiInfo } from '../harness/pulumi';
import { copyExample, programStack, type ProgramStack } from '../harness/pulumi-program';
import { harnessInfo } from '../harness/state';

const reg = harnessInfo<OciTokenRegistryInfo>('oci-registry-token');
const kube = harnessInfo<KubeInfo>('kube');
const flux = harnessInfo<FluxControllersInfo>('flux-controllers');
const pulumiInfo = harnessInfo<PulumiInfo>('pulumi');
const rest = new KubeRest(kube);
let tmp: string;
let program: ProgramStack | undefined;
const namespace = uniqueName('flux-tok');
const repository = `fleet/${namespace}`;
const log = () => path.join(tmp, 'pulumi.log');
const ociRepositoryPath = `/apis/source.toolkit.fluxcd.io/v1/namespaces/${namespace}/ocirepositories/${namespace}`;
const kustomizationPath = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${namespace}/kustomizations/${namespace}`;
const scope = (actions: string) => `repository:${repository}:${actions}`;
// a registry token is a JWT: header and claims both start {" in base64url
const JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-token-e2e-'));
});
afterAll(async () => {
  if (program) {
    await program.stack.destroy({ color: 'never', onOutput: (c) => fs.appendFileSync(log(), c) }).catch(() => undefined);
    await program.stack.workspace.removeStack(program.stack.name, { force: true }).catch(() => undefined);
  }
  if (process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
});

async function up(): Promise<{ outputs: Record<string, string>; summary: Record<string, number> }> {
  const r = await program!.stack.up({ color: 'never', onOutput: (c) => fs.appendFileSync(log(), c) });
  return {
    outputs: Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.value as string])),
    summary: r.summary.resourceChanges ?? {},
  };
}

/** What the registry and the token server saw from here on (tokens: who asked what, got what). */
function mark() {
  const n = { requests: registryRequests(reg).length, challenges: registryChallenges(reg).length, tokens: tokenRequests(reg).length };
  return () => ({
    requests: registryRequests(reg).slice(n.requests),
    challenges: registryChallenges(reg).slice(n.challenges),
    tokens: tokenRequests(reg)
      .slice(n.tokens)
      .map((t) => ({ user: t.user, asked: t.asked.join(' '), granted: t.granted.join(' ') })),
  });
}

const ready = (o: { status?: { conditions?: Array<{ type: string; status: string }> } }) =>
  o.status?.conditions?.find((c) => c.type === 'Ready')?.status;

test(
  'token registry: Pulumi pushes with a pull-and-push token, Flux pulls with the read-only user and is Ready at the digest; ' +
    'a refresh asks only for pull, a second up pushes nothing, a change pushes one artifact Flux reconciles',
  async () => {
    try {
      const dir = copyExample('pulumi-oci', path.join(tmp, 'program'));
      program = await programStack(pulumiInfo, dir, namespace);
      await program.stack.setAllConfig({
        artifact: { value: `oci://${reg.registry}/${repository}:cluster` },
        registryUsername: { value: reg.username },
        registryPassword: { value: reg.password, secret: true },
        registryPullUsername: { value: reg.reader.username },
        registryPullPassword: { value: reg.reader.password, secret: true },
        registryCaPem: { value: reg.caPem },
        kubeconfig: { value: fs.readFileSync(kube.kubeconfig, 'utf8'), secret: true },
        namespace: { value: namespace },
        path: { value: 'clusters/oci' },
        version: { value: 'v2.9.3' },
        distribution: { value: distributionDir('v2.9.3') },
        waitDeployments: { value: 'false' },
      });
      let seen = mark();
      const first = await up();
      await waitForControllersReady(flux);
      const digest = first.outputs.digest;
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(first.outputs.revision).toBe(`cluster@${digest}`);
      const source = await rest.get(ociRepositoryPath);
      expect(ready(source)).toBe('True');
      expect(source.status.artifact.revision).toBe(`cluster@${digest}`);
      const ks = await rest.get(kustomizationPath);
      expect(ready(ks)).toBe('True');
      expect(ks.status.lastAppliedRevision).toBe(`cluster@${digest}`);

      // Flux's Secret holds the read-only user, not the one that pushes
      const secret = await rest.get(`/api/v1/namespaces/${namespace}/secrets/flux-system`);
      const docker = JSON.parse(Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString('utf8')) as {
        auths: Record<string, { username: string }>;
      };
      expect(docker.auths[reg.registry].username).toBe(reg.reader.username);

      // the token server: Pulumi's push user asked pull and push once; source-controller's
      // pulls came with the reader and got pull only
      const tokens = seen().tokens;
      expect(tokens.filter((t) => t.user === reg.username)).toEqual([
        { user: reg.username, asked: scope('pull,push'), granted: scope('pull,push') },
      ]);
      const pulls = tokens.filter((t) => t.user === reg.reader.username);
      expect(pulls.length).toBeGreaterThan(0);
      for (const t of pulls) expect(t).toEqual({ user: reg.reader.username, asked: scope('pull'), granted: scope('pull') });
      expect(tokens.filter((t) => t.user !== reg.username && t.user !== reg.reader.username)).toEqual([]);

      // a no-change preview with refresh (a new process: one challenge): one pull token, one HEAD
      seen = mark();
      const preview = await program.stack.preview({ color: 'never', refresh: true, onOutput: (c) => fs.appendFileSync(log(), c) });
      expect(preview.changeSummary.update ?? 0).toBe(0);
      const refresh = seen();
      expect(refresh.requests).toEqual([`HEAD /v2/${repository}/manifests/cluster`]);
      expect(refresh.challenges).toEqual([`HEAD /v2/${repository}/manifests/cluster`]);
      expect(refresh.tokens.filter((t) => t.user === reg.username)).toEqual([
        { user: reg.username, asked: scope('pull'), granted: scope('pull') },
      ]);

      // a second up: nothing to do, nothing written
      seen = mark();
      const second = await up();
      expect(second.summary.update ?? 0).toBe(0);
      expect(second.summary.create ?? 0).toBe(0);
      expect(seen().requests.filter((l) => !l.startsWith('HEAD') && !l.startsWith('GET'))).toEqual([]);

      // a changed option: one new artifact under the tag, and Flux reconciles it
      await program.stack.setConfig('interval', { value: '2m0s' });
      seen = mark();
      const third = await up();
      const pushed = seen();
      expect(pushed.requests.filter((l) => l.startsWith('PUT') && l.includes('/manifests/'))).toEqual([
        `PUT /v2/${repository}/manifests/cluster`,
      ]);
      expect(pushed.tokens.filter((t) => t.user === reg.username)).toEqual([
        { user: reg.username, asked: scope('pull,push'), granted: scope('pull,push') },
      ]);
      expect(third.outputs.digest).not.toBe(digest);
      const moved = await rest.get(ociRepositoryPath);
      expect(moved.status.artifact.revision).toBe(`cluster@${third.outputs.digest}`);
      expect((await rest.get(kustomizationPath)).status.lastAppliedRevision).toBe(`cluster@${third.outputs.digest}`);

      // neither password nor any token in the state, the export or what Pulumi printed
      const exported = execFileSync(pulumiInfo.pulumi, ['stack', 'export', '--show-secrets=false', '--stack', namespace], {
        cwd: program.dir,
        env: program.env,
        encoding: 'utf8',
        maxBuffer: 256 << 20,
      });
      const stateFile = path.join(new URL(pulumiInfo.backendUrl).pathname, '.pulumi', 'stacks', 'flux-bootstrap-oci', `${namespace}.json`);
      for (const [what, text] of [
        ['stack export', exported],
        ['state file', fs.readFileSync(stateFile, 'utf8')],
        ['pulumi output', fs.readFileSync(log(), 'utf8')],
      ]) {
        expect([what, text.includes(reg.password), text.includes(reg.reader.password), JWT.test(text)]).toEqual([
          what,
          false,
          false,
          false,
        ]);
      }
    } catch (e) {
      const source = await rest.get(ociRepositoryPath).catch(() => null);
      const ks = await rest.get(kustomizationPath).catch(() => null);
      (e as Error).message +=
        `\n\nOCIRepository status: ${JSON.stringify(source?.status)}\nKustomization status: ${JSON.stringify(ks?.status)}\n\npulumi (tail):\n${tail(log(), 40)}` +
        Object.values(flux.controllers)
          .map((c) => `\n\n${c.log} (tail):\n${tail(c.log, 20)}`)
          .join('') +
        `\n\nregistry (tail):\n${tail(reg.logFile, 10)}\n\ntoken requests (tail):\n${tail(reg.tokenLog, 10)}`;
      throw e;
    }
  },
);
