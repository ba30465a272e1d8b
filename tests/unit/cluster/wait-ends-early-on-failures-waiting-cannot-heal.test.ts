// What Flux really reports while it retries (status.observedGeneration left at -1, the Ready
// condition of the current generation saying why): failures waiting cannot heal end the wait
// with a remedy; others stay pending with Flux's reason and message; a newer revision proven to
// contain ours is ready.
import type { KubeObject } from '../../../provider/cluster/objects';
import { failureSignature, knownFailure } from '../../../provider/cluster/flux-failures';
import { assessKustomization, assessSource } from '../../../provider/cluster/status';
import { ancestryIn } from '../../../provider/git/ancestry';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const NEWER = 'fedcba9876543210fedcba9876543210fedcba98';
const REV = `main@sha1:${SHA}`;

/** A GitRepository as source-controller leaves it while it retries a failed clone. */
function retrying(message: string, reason = 'GitOperationFailed'): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'flux-system', namespace: 'flux-system', generation: 1 },
    spec: {},
    status: {
      observedGeneration: -1,
      conditions: [
        { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry', message: 'retrying', observedGeneration: 1 },
        { type: 'Ready', status: 'False', reason, message, observedGeneration: 1 },
      ],
    },
  };
}

describe('failures Flux retries forever', () => {
  test('an unregistered deploy key fails at once, naming the remedy, not "generation 1 not observed"', () => {
    const h = assessSource(
      retrying(
        "failed to checkout and determine revision: unable to clone 'ssh://git@127.0.0.1:2222/fleet/x': ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain",
      ),
      REV,
    );
    expect(h.state).toBe('failed');
    expect(h.code).toBe('AuthenticationRefused');
    expect(h.message).toMatch(
      /^GitRepository flux-system\/flux-system: the deploy key is not registered on the Git server .*Flux says GitOperationFailed: .*unable to authenticate/,
    );
    expect(h.remedy).toMatch(/^give addKeyCommand, or register the publicKey output/);
  });

  test('a host key mismatch, refused https credentials and a missing path each have their remedy', () => {
    expect(knownFailure('unable to clone: ssh: handshake failed: knownhosts: key mismatch')?.code).toBe('HostKeyMismatch');
    expect(knownFailure('unable to clone: ssh: handshake failed: knownhosts: key is unknown')?.code).toBe('HostKeyMismatch');
    expect(knownFailure("unable to clone 'https://git.example/x.git': authentication required")?.remedy).toMatch(
      /username and password or token/,
    );
    expect(knownFailure('kustomization path not found: stat /tmp/kustomization-1/clusters/x: no such file or directory')?.code).toBe(
      'PathNotFound',
    );
    expect(knownFailure('Source artifact not found, retrying in 30s')).toBeUndefined();
  });

  test('another retried failure stays pending with Flux reason and message, and a signature that ignores countdowns', () => {
    const h = assessSource(retrying('unable to clone: dial tcp 127.0.0.1:1: connect: connection refused'), REV);
    expect(h).toMatchObject({
      state: 'pending',
      message:
        'GitRepository flux-system/flux-system: GitOperationFailed: unable to clone: dial tcp 127.0.0.1:1: connect: connection refused (Flux retries)',
    });
    expect(h.failure).toBe(failureSignature('GitOperationFailed', 'unable to clone: dial tcp 127.0.0.1:1: connect: connection refused'));
    expect(failureSignature('ArtifactFailed', 'Source artifact not found, retrying in 30s')).toBe(
      failureSignature('ArtifactFailed', 'Source artifact not found, retrying in 1m0s'),
    );
  });

  test('a Ready condition of an older generation is still "not observed yet"', () => {
    const old = retrying('ssh: unable to authenticate');
    (old.status as { conditions: { observedGeneration: number }[] }).conditions[1].observedGeneration = 0;
    expect(assessSource(old, REV)).toMatchObject({
      state: 'pending',
      message: expect.stringContaining('has not observed generation 1 yet (status is of -1)'),
    });
  });
});

describe('a newer revision that contains ours', () => {
  const at = (revision: string): KubeObject => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'flux-system', namespace: 'flux-system', generation: 1 },
    spec: {},
    status: {
      observedGeneration: 1,
      conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'ok' }],
      lastAppliedRevision: revision,
      lastAttemptedRevision: revision,
    },
  });

  test('is pending and names itself until proven, then ready', () => {
    const h = assessKustomization(at(`main@sha1:${NEWER}`), REV);
    expect(h).toMatchObject({ state: 'pending', revision: `main@sha1:${NEWER}` });
    expect(assessKustomization(at(`main@sha1:${NEWER}`), REV, new Set([`main@sha1:${NEWER}`])).state).toBe('ready');
  });

  test('ancestry is read from commit parents, and a shallow window that ends first says so', () => {
    const parents = new Map([
      ['d', ['c']],
      ['c', ['b', 'x']],
      ['b', ['a']],
      ['x', []],
      ['a', []],
    ]);
    expect(ancestryIn({ parents, boundary: new Set() }, 'd', 'a')).toBe('yes');
    expect(ancestryIn({ parents, boundary: new Set() }, 'd', 'z')).toBe('no');
    expect(ancestryIn({ parents, boundary: new Set(['a']) }, 'd', 'z')).toBe('cut');
    expect(ancestryIn({ parents, boundary: new Set() }, 'b', 'd')).toBe('no');
  });
});
