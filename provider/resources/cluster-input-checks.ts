// The checks of the inputs every cluster resource has (ControllerInstall, OperatorInstall,
// FluxInstance): the cluster connection, the wait settings and boolean switches, with one message
// each wherever they are given.
import type { ConnectionSpec } from '../cluster';
import { connectionKind } from '../cluster/connection-spec';
import { ClusterError } from '../cluster/errors';
import { InputError } from '../errors';
import { hasUnknown } from './common';

/** The cluster input and a wait input, as every cluster resource checks them. */
export function checkClusterAndWait(p: Record<string, unknown>, waitFields: readonly string[]): InputError[] {
  const errors: InputError[] = [];
  if (p.cluster === undefined)
    errors.push(
      new InputError({
        field: 'cluster',
        value: undefined,
        reason: 'a value is required',
        remedy: 'give {kubeconfig} (content), {kubeconfigPath} or {host, caPem, token}',
      }),
    );
  else if (!hasUnknown(p.cluster)) {
    try {
      connectionKind(p.cluster as ConnectionSpec);
    } catch (e) {
      if (!(e instanceof ClusterError)) throw e;
      errors.push(new InputError({ field: 'cluster', value: p.cluster, reason: e.reason, remedy: e.remedy, secret: true }));
    }
  }
  const w = p.wait as Record<string, unknown> | undefined;
  if (w !== undefined && !hasUnknown(w)) {
    for (const f of waitFields)
      if (w[f] !== undefined && typeof w[f] !== 'boolean')
        errors.push(new InputError({ field: `wait.${f}`, value: w[f], reason: 'must be a boolean', remedy: 'use true or false' }));
    const t = w.timeoutSeconds;
    if (t !== undefined && (typeof t !== 'number' || !(t > 0)))
      errors.push(
        new InputError({ field: 'wait.timeoutSeconds', value: t, reason: 'must be a positive number of seconds', remedy: 'use e.g. 300' }),
      );
  }
  return errors;
}

export function booleanProblems(p: Record<string, unknown>, fields: readonly string[]): InputError[] {
  return fields
    .filter((f) => p[f] !== undefined && !hasUnknown(p[f]) && typeof p[f] !== 'boolean')
    .map((f) => new InputError({ field: f, value: p[f], reason: 'must be a boolean', remedy: 'use true or false' }));
}
