// ControllerInstall's record of what it applied, kept in its state and read by its delete: the
// uninstall deletes what it names and nothing else (cluster/install-record.ts). `inventory` lists
// every object applied, Secrets included; `existedBefore` the ones a first install into a
// namespace the user made found in place (a Secret of the same name as Flux's): theirs, kept.
import type { ObjectResult } from '../cluster/apply-object';
import { refOfDescription, type InstallRecord } from '../cluster/install-record';
import { text } from '../text';
import { nsOf, type ControllerInstallOutputs } from './controller-install-inputs';

/** The record the uninstall reads; undefined for a state without an inventory (none known). */
export function recordOf(p: ControllerInstallOutputs): InstallRecord | undefined {
  if (!Array.isArray(p.inventory)) return undefined;
  const applied = p.inventory.map((d) => refOfDescription(d, p.watched ?? []));
  // states written before the inventory held the Secrets: the ones the options name
  if (!applied.some((r) => r.kind === 'Secret')) {
    const names = [text(p.secretName ?? 'flux-system'), ...(p.registryCredentials && p.imagePullSecret ? [text(p.imagePullSecret)] : [])];
    applied.push(...names.map((name) => ({ apiVersion: 'v1', kind: 'Secret', namespace: nsOf(p), name })));
  }
  return { applied, existedBefore: p.existedBefore ?? [], namespaceExisted: p.namespaceExisted === true };
}

/** Objects in the namespace that an apply found there already (not created): the user's. */
export function foundInPlace(results: readonly Pick<ObjectResult, 'ref' | 'object' | 'action'>[], namespace: string): string[] {
  return results.filter((r) => r.action !== 'created' && r.ref.namespace === namespace).map((r) => r.object);
}
