// Readiness of the objects bootstrap waits for, judged from their status alone (pure, so it
// is unit-tested). Same rules as `flux bootstrap`: suspended fails, a status of an older
// generation is pending, Ready=False fails with the controller's message (at once when waiting
// cannot heal it, or when Flux does not retry), Ready=True needs the expected revision or one
// proven to contain it. Deployments follow kstatus.
import { failureSignature, knownFailure } from './flux-failures';
import { conditionOf, isRecord, type KubeObject } from './objects';
import { text } from '../text';

export type HealthState = 'ready' | 'pending' | 'failed';

export interface Health {
  state: HealthState;
  /** what is still missing, or why it failed */
  message: string;
  /** failed: a failure waiting cannot heal (flux-failures.ts), with its remedy */
  code?: string;
  remedy?: string;
  /** pending: Flux reports a failure it retries; the same signature for long ends the wait */
  failure?: string;
  /** pending: Ready at another revision (normalised); the caller may prove it contains ours */
  revision?: string;
}

const SHA = /^[0-9a-f]+$/;

function shaKind(hex: string): string | undefined {
  if (!SHA.test(hex)) return undefined;
  return hex.length === 40 ? 'sha1' : hex.length === 64 ? 'sha256' : undefined;
}

/** `main/abc...` (Flux < 2.0) as `main@sha1:abc...`; current revisions are returned as they are. */
export function normalizeRevision(revision: string): string {
  if (!revision || revision.includes(':')) return revision;
  const slash = revision.lastIndexOf('/');
  if (slash >= 0) {
    const algo = shaKind(revision.slice(slash + 1));
    if (algo) {
      const name = revision.slice(0, slash);
      return name === 'HEAD' ? `${algo}:${revision.slice(slash + 1)}` : `${name}@${algo}:${revision.slice(slash + 1)}`;
    }
  }
  const algo = shaKind(revision);
  return algo ? `${algo}:${revision}` : revision;
}

/** Whether a reported revision is the expected `<branch>@sha1:<commit>`; no expectation matches anything. */
export function revisionMatches(actual: unknown, expected: string | undefined): boolean {
  if (expected === undefined) return true;
  return typeof actual === 'string' && actual !== '' && normalizeRevision(actual) === normalizeRevision(expected);
}

function nameOf(obj: KubeObject): string {
  return `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
}

function statusField(obj: KubeObject, ...path: string[]): unknown {
  let cur: unknown = obj.status;
  for (const key of path) cur = isRecord(cur) ? cur[key] : undefined;
  return cur;
}

/** Rules shared by Flux objects; `revisionOk` decides the Ready=True case. The Ready condition
 *  carries its own observedGeneration: while Flux retries a failure it leaves
 *  `status.observedGeneration` behind (-1 on a new object) but says why in Ready at once. */
function assessFluxObject(obj: KubeObject, revisionOk: () => Health): Health {
  const name = nameOf(obj);
  if ((obj.spec as { suspend?: unknown } | undefined)?.suspend === true) {
    return { state: 'failed', message: `${name} is suspended (spec.suspend: true); resume it with flux resume` };
  }
  const generation = obj.metadata.generation;
  const observed = statusField(obj, 'observedGeneration');
  const ready = conditionOf(obj, 'Ready');
  const statusCurrent = typeof observed !== 'number' || observed === generation;
  const readyCurrent =
    ready !== undefined && (ready.observedGeneration === undefined ? statusCurrent : ready.observedGeneration === generation);
  if (!statusCurrent && !(readyCurrent && ready?.status === 'False')) {
    return {
      state: 'pending',
      message: `${name}: the controller has not observed generation ${generation} yet (status is of ${text(observed)})`,
    };
  }
  if (!ready) return { state: 'pending', message: `${name}: not reconciled yet (no Ready condition)` };
  const says = `${ready.reason ?? 'Ready=' + ready.status}${ready.message ? `: ${ready.message}` : ''}`;
  if (ready.status === 'False') {
    const known = knownFailure(ready.message);
    if (known) {
      return { state: 'failed', message: `${name}: ${known.reason} (Flux says ${says})`, code: known.code, remedy: known.remedy };
    }
    const retrying = !statusCurrent || conditionOf(obj, 'Reconciling')?.status === 'True';
    if (retrying && conditionOf(obj, 'Stalled')?.status !== 'True') {
      return { state: 'pending', message: `${name}: ${says} (Flux retries)`, failure: failureSignature(ready.reason, ready.message) };
    }
    return { state: 'failed', message: `${name} is not ready (${ready.reason ?? 'Ready=False'}): ${ready.message ?? 'no message'}` };
  }
  if (ready.status !== 'True') {
    return { state: 'pending', message: `${name}: ${ready.reason ?? 'reconciling'}${ready.message ? ` (${ready.message})` : ''}` };
  }
  return revisionOk();
}

/** Whether `actual` is the expected revision or one the caller proved to contain it. */
function accepted(actual: unknown, revision: string | undefined, descendants?: ReadonlySet<string>): boolean {
  if (revisionMatches(actual, revision)) return true;
  return typeof actual === 'string' && descendants !== undefined && descendants.has(normalizeRevision(actual));
}

/** GitRepository (and other sources): Ready with `status.artifact.revision` == revision, or a
 *  revision in `descendants` (commits that contain it, pushed on top by others). */
export function assessSource(obj: KubeObject, revision?: string, descendants?: ReadonlySet<string>): Health {
  return assessFluxObject(obj, () => {
    const actual = statusField(obj, 'artifact', 'revision');
    if (accepted(actual, revision, descendants)) return { state: 'ready', message: `${nameOf(obj)} is ready at ${text(actual)}` };
    return {
      state: 'pending',
      message: `${nameOf(obj)}: artifact revision is ${actual ? text(actual) : 'not set'}, waiting for ${revision}`,
      ...otherRevision(actual),
    };
  });
}

/** Kustomization: Ready with lastAppliedRevision == revision (lastAttemptedRevision too, like the
 *  Flux CLI), or a revision in `descendants`. */
export function assessKustomization(obj: KubeObject, revision?: string, descendants?: ReadonlySet<string>): Health {
  return assessFluxObject(obj, () => {
    const applied = statusField(obj, 'lastAppliedRevision');
    const attempted = statusField(obj, 'lastAttemptedRevision');
    if (accepted(applied, revision, descendants) || accepted(attempted, revision, descendants)) {
      return { state: 'ready', message: `${nameOf(obj)} is ready at ${text(applied ?? attempted)}` };
    }
    return {
      state: 'pending',
      message: `${nameOf(obj)}: last applied revision is ${applied ? text(applied) : 'not set'}, waiting for ${revision}`,
      ...otherRevision(applied),
    };
  });
}

function otherRevision(actual: unknown): Pick<Health, 'revision'> {
  return typeof actual === 'string' && actual !== '' ? { revision: normalizeRevision(actual) } : {};
}

/** kstatus for Deployments: the current generation rolled out and all replicas available. */
export function assessDeployment(obj: KubeObject): Health {
  const name = nameOf(obj);
  const n = (key: string): number => {
    const v = statusField(obj, key);
    return typeof v === 'number' ? v : 0;
  };
  const observed = statusField(obj, 'observedGeneration');
  if (typeof observed !== 'number' || observed < (obj.metadata.generation ?? 0)) {
    return { state: 'pending', message: `${name}: rollout of generation ${obj.metadata.generation} not observed yet` };
  }
  const progressing = conditionOf(obj, 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return { state: 'failed', message: `${name}: ${progressing.message ?? 'progress deadline exceeded'}` };
  }
  const spec = obj.spec as { replicas?: number } | undefined;
  const want = typeof spec?.replicas === 'number' ? spec.replicas : 1;
  if (n('updatedReplicas') < want) return { state: 'pending', message: `${name}: ${n('updatedReplicas')} of ${want} replicas updated` };
  if (n('replicas') > n('updatedReplicas'))
    return { state: 'pending', message: `${name}: ${n('replicas') - n('updatedReplicas')} old replicas pending termination` };
  if (n('availableReplicas') < want)
    return { state: 'pending', message: `${name}: ${n('availableReplicas')} of ${want} replicas available` };
  return { state: 'ready', message: `${name} is available` };
}
