// harness: kube, oci-registry, flux-controllers, pulumi
// examples/pulumi-oci against the harness registry (distribution, basic auth, TLS with a test
// CA): Pulumi pushes the Flux manifests as an OCI artifact and installs an OCIRepository that
// the real source-controller pulls with the docker-config Secret and the CA; the real
// kustomize-controller applies it. A second up changes nothing, a no-change preview --refresh
// costs one registry request, and a changed option pushes one new artifact that Flux reconciles.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitForControllersReady, type FluxControllersInfo } from '../harness/flux-controllers';
import { distributionDir } from '../harness/flux-reference';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import { registryRequests, type OciRegistryInfo } from '../harness/oci-registry';
import { tail } from '../harness/processes';
import type { PulumiInfo } from '../harness/pulumi';
import { copyExample, programStack, type ProgramStack } from '../harness/pulumi-program';
import { harnessInfo } from '../harness/state';

const reg = harnessInfo<OciRegistryInfo>('oci-registry');
const kube = harnessInfo<KubeInfo>('kube');
const flux = harnessInfo<FluxControllersInfo>('flux-controllers');
const rest = new KubeRest(kube);
let tmp: string;
let program: ProgramStack | undefined;
const namespace = uniqueName('flux-oci');
const repository = `fleet/${namespace}`;
const artifact = `oci://${reg.registry}/${repository}:cluster`;
const log = () => path.join(tmp, 'pulumi.log');
const ociRepositoryPath = `/apis/source.toolkit.fluxcd.io/v1/namespaces/${namespace}/ocirepositories/${namespace}`;
const kustomizationPath = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${namespace}/kustomizations/${namespace}`;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-e2e-'));
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

const ready = (o: { status?: { conditions?: Array<{ type: string; status: string }> } }) =>
  o.status?.conditions?.find((c) => c.type === 'Ready')?.status;

test(
  'gitless bootstrap: the artifact is pushed, Flux pulls it with the pull Secret and CA and is Ready at its digest; ' +
    'a second up changes nothing, a refresh costs one HEAD, a change pushes one new artifact Flux reconciles',
  async () => {
    try {
      const dir = copyExample('pulumi-oci', path.join(tmp, 'program'));
      program = await programStack(harnessInfo<PulumiInfo>('pulumi'), dir, namespace);
      await program.stack.setAllConfig({
        artifact: { value: artifact },
        registryUsername: { value: reg.username },
        registryPassword: { value: reg.password, secret: true },
        registryCaPem: { value: reg.caPem },
        kubeconfig: { value: fs.readFileSync(kube.kubeconfig, 'utf8'), secret: true },
        namespace: { value: namespace },
        path: { value: 'clusters/oci' },
        version: { value: 'v2.9.3' },
        distribution: { value: distributionDir('v2.9.3') },
        waitDeployments: { value: 'false' },
      });
      const first = await up();
      await waitForControllersReady(flux);
      const digest = first.outputs.digest;
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      // ControllerInstall waited for Flux: both are Ready at <tag>@<digest>
      expect(first.outputs.revision).toBe(`cluster@${digest}`);
      const source = await rest.get(ociRepositoryPath);
      expect(source.spec).toMatchObject({
        url: `oci://${reg.registry}/${repository}`,
        ref: { tag: 'cluster' },
        secretRef: { name: 'flux-system' },
        certSecretRef: { name: 'flux-system' },
      });
      expect(ready(source)).toBe('True');
      expect(source.status.artifact.revision).toBe(`cluster@${digest}`);
      const ks = await rest.get(kustomizationPath);
      expect(ks.spec.sourceRef).toEqual({ kind: 'OCIRepository', name: namespace });
      expect(ready(ks)).toBe('True');
      expect(ks.status.lastAppliedRevision).toBe(`cluster@${digest}`);
      const secret = await rest.get(`/api/v1/namespaces/${namespace}/secrets/flux-system`);
      expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
      expect(Object.keys(secret.data).sort()).toEqual(['.dockerconfigjson', 'ca.crt']);

      // the registry password is in no output, no log line and not in plaintext in the state
      // (`stack export` without --show-secrets, and the backend's state file itself)
      const pulumiInfo = harnessInfo<PulumiInfo>('pulumi');
      const exported = execFileSync(pulumiInfo.pulumi, ['stack', 'export', '--show-secrets=false', '--stack', namespace], {
        cwd: program.dir,
        env: program.env,
        encoding: 'utf8',
        maxBuffer: 256 << 20,
      });
      expect(exported).toContain('"ciphertext"');
      expect(exported).toContain('flux-bootstrap:OciSyncManifests');
      expect(exported).not.toContain(reg.password);
      const stateFile = path.join(new URL(pulumiInfo.backendUrl).pathname, '.pulumi', 'stacks', 'flux-bootstrap-oci', `${namespace}.json`);
      expect(fs.readFileSync(stateFile, 'utf8')).not.toContain(reg.password);
      expect(fs.readFileSync(log(), 'utf8')).not.toContain(reg.password);

      // a second up: nothing to do, nothing pushed
      const before = registryRequests(reg).length;
      const second = await up();
      expect(second.summary.update ?? 0).toBe(0);
      expect(second.summary.create ?? 0).toBe(0);
      expect(
        registryRequests(reg)
          .slice(before)
          .filter((l) => !l.startsWith('HEAD') && !l.startsWith('GET')),
      ).toEqual([]);

      // a no-change preview with refresh: one registry request, the manifest HEAD
      const quiet = registryRequests(reg).length;
      const preview = await program.stack.preview({ color: 'never', refresh: true });
      expect(preview.changeSummary.update ?? 0).toBe(0);
      expect(registryRequests(reg).slice(quiet)).toEqual([`HEAD /v2/${repository}/manifests/cluster`]);

      // a changed option: one new artifact under the tag, and Flux reconciles it
      await program.stack.setConfig('interval', { value: '2m0s' });
      const pushes = registryRequests(reg).length;
      const third = await up();
      const calls = registryRequests(reg).slice(pushes);
      expect(calls.filter((l) => l.startsWith('PUT') && l.includes('/manifests/'))).toEqual([`PUT /v2/${repository}/manifests/cluster`]);
      expect(third.outputs.digest).not.toBe(digest);
      expect(third.outputs.revision).toBe(`cluster@${third.outputs.digest}`);
      const moved = await rest.get(ociRepositoryPath);
      expect(moved.spec.interval).toBe('2m0s');
      expect(moved.status.artifact.revision).toBe(`cluster@${third.outputs.digest}`);
      expect((await rest.get(kustomizationPath)).status.lastAppliedRevision).toBe(`cluster@${third.outputs.digest}`);
    } catch (e) {
      const source = await rest.get(ociRepositoryPath).catch(() => null);
      const ks = await rest.get(kustomizationPath).catch(() => null);
      (e as Error).message +=
        `\n\nOCIRepository status: ${JSON.stringify(source?.status)}\nKustomization status: ${JSON.stringify(ks?.status)}\n\npulumi (tail):\n${tail(log(), 40)}` +
        Object.values(flux.controllers)
          .map((c) => `\n\n${c.log} (tail):\n${tail(c.log, 20)}`)
          .join('') +
        `\n\nregistry (tail):\n${tail(reg.logFile, 10)}`;
      throw e;
    }
  },
);
