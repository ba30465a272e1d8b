import type { KubeObject } from '../../../provider/cluster/objects';
import { assessDeployment, assessKustomization, assessSource, normalizeRevision, revisionMatches } from '../../../provider/cluster/status';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const REV = `main@sha1:${SHA}`;

function flux(kind: string, status: Record<string, unknown>, spec: Record<string, unknown> = {}, generation = 2): KubeObject {
  return { apiVersion: 'x/v1', kind, metadata: { name: 'flux-system', namespace: 'flux-system', generation }, spec, status };
}
const ready = (s: 'True' | 'False' | 'Unknown', message = 'm', reason = 'R') => [{ type: 'Ready', status: s, reason, message }];

describe('revision matching', () => {
  test('current revisions compare as they are', () => {
    expect(revisionMatches(REV, REV)).toBe(true);
    expect(revisionMatches(`main@sha1:${'f'.repeat(40)}`, REV)).toBe(false);
    expect(revisionMatches(`other@sha1:${SHA}`, REV)).toBe(false);
  });

  test('legacy <branch>/<sha> revisions are converted as Flux does', () => {
    expect(normalizeRevision(`main/${SHA}`)).toBe(REV);
    expect(normalizeRevision(`feature/x/${SHA}`)).toBe(`feature/x@sha1:${SHA}`);
    expect(normalizeRevision(`HEAD/${SHA}`)).toBe(`sha1:${SHA}`);
    expect(normalizeRevision(SHA)).toBe(`sha1:${SHA}`);
    expect(revisionMatches(`main/${SHA}`, REV)).toBe(true);
  });

  test('no expected revision accepts any; an empty reported revision never matches one', () => {
    expect(revisionMatches(undefined, undefined)).toBe(true);
    expect(revisionMatches('', REV)).toBe(false);
    expect(revisionMatches(undefined, REV)).toBe(false);
  });
});

describe('GitRepository and Kustomization readiness', () => {
  test('Ready=True at the expected revision is ready', () => {
    expect(
      assessSource(flux('GitRepository', { observedGeneration: 2, conditions: ready('True'), artifact: { revision: REV } }), REV).state,
    ).toBe('ready');
  });

  test('Ready=True at another revision is pending, and says which', () => {
    const h = assessSource(
      flux('GitRepository', { observedGeneration: 2, conditions: ready('True'), artifact: { revision: 'main@sha1:old' } }),
      REV,
    );
    expect(h.state).toBe('pending');
    expect(h.message).toContain('main@sha1:old');
  });

  test('a status of an older generation is pending even when it says Ready=False', () => {
    expect(assessSource(flux('GitRepository', { observedGeneration: 1, conditions: ready('False') }), REV).state).toBe('pending');
  });

  test('Ready=False fails with the controller message', () => {
    const h = assessKustomization(
      flux('Kustomization', { observedGeneration: 2, conditions: ready('False', 'kustomization path not found', 'ArtifactFailed') }),
      REV,
    );
    expect(h).toMatchObject({ state: 'failed', message: expect.stringContaining('kustomization path not found') });
  });

  test('suspended fails at once', () => {
    expect(assessKustomization(flux('Kustomization', {}, { suspend: true }), REV).state).toBe('failed');
  });

  test('the Kustomization accepts lastAppliedRevision, or lastAttemptedRevision with Ready=True', () => {
    expect(
      assessKustomization(flux('Kustomization', { observedGeneration: 2, conditions: ready('True'), lastAppliedRevision: REV }), REV).state,
    ).toBe('ready');
    expect(
      assessKustomization(
        flux('Kustomization', {
          observedGeneration: 2,
          conditions: ready('True'),
          lastAttemptedRevision: REV,
          lastAppliedRevision: 'main@sha1:old',
        }),
        REV,
      ).state,
    ).toBe('ready');
    expect(
      assessKustomization(flux('Kustomization', { observedGeneration: 2, conditions: ready('Unknown'), lastAttemptedRevision: REV }), REV)
        .state,
    ).toBe('pending');
  });

  test('no status yet is pending', () => {
    expect(assessSource(flux('GitRepository', {}), REV).state).toBe('pending');
  });
});

describe('Deployment readiness (kstatus)', () => {
  const deploy = (status: Record<string, unknown>, replicas = 1): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'source-controller', namespace: 'flux-system', generation: 1 },
    spec: { replicas },
    status,
  });

  test('available when the generation is observed and all replicas are updated and available', () => {
    expect(assessDeployment(deploy({ observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 })).state).toBe('ready');
  });

  test('pending without a kubelet: nothing available', () => {
    const h = assessDeployment(deploy({ observedGeneration: 1, replicas: 1, updatedReplicas: 1, unavailableReplicas: 1 }));
    expect(h).toEqual({ state: 'pending', message: expect.stringContaining('0 of 1 replicas available') });
  });

  test('a rollout the controller has not observed is pending', () => {
    expect(assessDeployment(deploy({})).state).toBe('pending');
  });

  test('ProgressDeadlineExceeded fails', () => {
    const status = {
      observedGeneration: 1,
      conditions: [
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet has timed out progressing' },
      ],
    };
    expect(assessDeployment(deploy(status)).state).toBe('failed');
  });
});

describe('what the wait watches', () => {
  test("the GitRepository by default; a gitless bootstrap's OCIRepository at its API version", () => {
    const { targets } = require('../../../provider/cluster/wait') as typeof import('../../../provider/cluster/wait');
    expect(targets({ namespace: 'ns' }, 'ns').gitRepository.path).toBe('/apis/source.toolkit.fluxcd.io/v1/namespaces/ns/gitrepositories');
    const oci = targets(
      { namespace: 'ns', sourceKind: 'OCIRepository', sourceApiVersion: 'source.toolkit.fluxcd.io/v1beta2' },
      'ns',
    ).gitRepository;
    expect(oci.path).toBe('/apis/source.toolkit.fluxcd.io/v1beta2/namespaces/ns/ocirepositories');
    expect(oci.what).toBe('OCIRepository ns/ns');
    expect(revisionMatches(`cluster@sha256:${'a'.repeat(64)}`, `cluster@sha256:${'a'.repeat(64)}`)).toBe(true);
  });
});
