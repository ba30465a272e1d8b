// ControllerPreinstall: the first install's head start. The controllers do not depend on the
// commit, so Bootstrap applies them while SyncManifests pushes; ControllerInstall, after the
// push, then finds them in place (a LIST per kind, no write) and applies the Secret and the sync
// objects, which must wait for the commit (a GitRepository without its branch would fail and
// back off). Flux's controllers are also up sooner, so they reconcile sooner.
//
// It acts on a first install into a new namespace only: when the namespace exists (Flux in it,
// ours from an earlier run or one to adopt, or a namespace the user made, which destroy must
// keep), it does nothing, and ControllerInstall keeps every decision (adopt, force, prune,
// upgrade order, what destroy keeps). It says where it applied (`<API server>/<namespace>`), so
// ControllerInstall takes as its own only a Flux found exactly there. It never deletes
// (ControllerInstall uninstalls), reads nothing on refresh, and never changes after creation:
// a no-change preview costs it nothing.
import type * as dyn from '@pulumi/pulumi/dynamic';
import type { ConnectionSpec } from '../cluster';
import { text } from '../text';
import { PartialStateError, progress, scrubbed } from './common';
import { checkOptions, INSTALL_FIELDS, pickOptions, renderDesired, SYNC_FIELDS, unknownFields } from './engine-options';
import { splitObjects } from './install-state';

export interface ControllerPreinstallInputs {
  cluster?: ConnectionSpec;
  distribution?: string;
  distributionDigest?: string;
  [option: string]: unknown;
}

export interface ControllerPreinstallOutputs extends ControllerPreinstallInputs {
  /** where it applied the controllers, `<API server>/<namespace>` (ControllerInstall then takes
   *  a Flux found there as its own); '' when it left them to ControllerInstall */
  preinstalled: string;
}

const WHO = 'ControllerPreinstall';
const FIELDS = [...INSTALL_FIELDS, ...SYNC_FIELDS];
const cluster = () => require('../cluster') as typeof import('../cluster');
const nsOf = (p: ControllerPreinstallInputs) => text(p.namespace ?? 'flux-system');
const secretsIn = (p: ControllerPreinstallInputs) => [
  p.cluster?.token as string | undefined,
  p.cluster?.clientKeyPem as string | undefined,
  p.cluster?.kubeconfig as string | undefined,
];

// ControllerInstall checks the same inputs and names every problem: saying it twice helps no one.
export function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.CheckResult> {
  return Promise.resolve({ inputs: news, failures: [] });
}

export function diff(): Promise<dyn.DiffResult> {
  return Promise.resolve({ changes: false });
}

export async function create(inputs: Record<string, unknown>): Promise<dyn.CreateResult> {
  const p = inputs as ControllerPreinstallInputs;
  const options = pickOptions(p, FIELDS);
  const id = `preinstall/${nsOf(p)}`;
  const outs = (preinstalled: string): Record<string, unknown> => ({ ...p, preinstalled });
  // Anything it cannot do here, ControllerInstall does (or reports) after the push.
  if (p.cluster === undefined || checkOptions(options).length > 0 || unknownFields(options).length > 0) return { id, outs: outs('') };
  let components;
  try {
    components = splitObjects(await renderDesired(options, p)).components;
  } catch {
    return { id, outs: outs('') };
  }
  let applying = '';
  try {
    const conn = await cluster().connect(p.cluster);
    try {
      const found = await cluster().detectInstallation(conn, nsOf(p));
      if (found.status !== 'absent' || found.namespaceExists === true) {
        progress(WHO, `${found.status === 'absent' ? `namespace ${nsOf(p)} exists already` : found.message}: left to ControllerInstall`);
        return { id, outs: outs('') };
      }
      const where = `${conn.server}/${nsOf(p)}`;
      applying = where;
      const results = await cluster().applyObjects(conn, components, { onProgress: (m) => progress(WHO, m) });
      progress(WHO, `controllers applied while the commit is pushed: ${cluster().countActions(results).created} created`);
      return { id, outs: outs(where) };
    } finally {
      conn.close();
    }
  } catch (e) {
    // Part of it may be applied: say so, so that ControllerInstall takes it over.
    const reason = `could not apply the controllers ahead of the commit: ${(e as Error).message}`;
    throw scrubbed(applying ? new PartialStateError(reason, id, outs(applying)) : e, secretsIn(p));
  }
}

export function read(id: string, props: Record<string, unknown>): Promise<dyn.ReadResult> {
  return Promise.resolve({ id, props });
}

export function update(_id: string, olds: Record<string, unknown>): Promise<dyn.UpdateResult> {
  return Promise.resolve({ outs: olds });
}

export async function remove(): Promise<void> {
  // ControllerInstall uninstalls what this applied
}

export { remove as delete };
