// What a ControllerInstall create finds in its namespace, and what it does about it: install
// into a new or the user's namespace, adopt, or refuse. Shared by create and by the preview of a
// create (check), so that the preview says what `up` will do. A Flux this tool installed is
// marked on its namespace (cluster/namespace-record.ts): finding one is a lost state (a deleted
// stack, a new backend) or another stack of the same program, and it is adopted without
// `adopt`, applying only what differs; Flux made by `flux bootstrap` or another tool still needs
// `adopt: true`.
import type { Connection } from '../cluster';
import type { Installation } from '../cluster/detect';
import { InputError } from '../errors';
import { hasUnknown } from './common';
import { nsOf, type ControllerInstallInputs } from './controller-install-inputs';

const cluster = () => require('../cluster') as typeof import('../cluster');
const records = () => require('../cluster/namespace-record') as typeof import('../cluster/namespace-record');

export interface FoundPlan {
  action: 'install' | 'adopt' | 'refuse';
  /** the namespace is the user's: destroy keeps it */
  namespaceExisted: boolean;
  /** what was found and what is done, for the progress lines ('' when nothing worth saying) */
  message: string;
  /** the marks the namespace carries already */
  marked: { existed: boolean; installed: boolean };
}

/** Pure decision, unit-testable. `id` is `<server>/<namespace>`. */
export function planFound(
  found: Installation,
  marked: { existed: boolean; installed: boolean },
  p: ControllerInstallInputs,
  id: string,
): FoundPlan {
  const ns = nsOf(p);
  const base = { marked, namespaceExisted: marked.existed };
  if (found.status === 'foreign')
    return p.force === true
      ? { ...base, action: 'adopt', message: `taking over (force): ${found.message}` }
      : { ...base, action: 'refuse', message: `${found.message}: up will refuse it unless force: true` };
  if (found.status === 'absent') {
    const existed = found.namespaceExists === true || marked.existed;
    return {
      ...base,
      action: 'install',
      namespaceExisted: existed,
      message: existed ? `namespace ${ns} exists already, without Flux: installing into it; destroy will keep it` : '',
    };
  }
  if (p.preinstalled === id) return { ...base, action: 'install', message: '' };
  if (p.adopt === true) return { ...base, action: 'adopt', message: `adopting (adopt: true): ${found.message}` };
  if (marked.installed)
    return {
      ...base,
      action: 'adopt',
      message: `found the Flux bootstrap this tool made in ${ns} (Flux ${found.version ?? ''}; this stack's state was lost, or another stack made it): adopting it without adopt, applying only what differs`,
    };
  return { ...base, action: 'refuse', message: `${found.message}; it was not made by this tool: up will refuse it unless adopt: true` };
}

/** What the namespace holds and the plan for it: 5 GETs. */
export async function findInstall(conn: Connection, p: ControllerInstallInputs): Promise<{ found: Installation; plan: FoundPlan }> {
  const [found, marked] = await Promise.all([cluster().detectInstallation(conn, nsOf(p)), records().namespaceMarks(conn, nsOf(p))]);
  return { found, plan: planFound(found, marked, p, `${conn.server}/${nsOf(p)}`) };
}

/** Throws the refusal a plan carries. */
export function refuse(found: Installation, p: ControllerInstallInputs): never {
  if (found.status === 'foreign') cluster().assertAdoptable(found, false);
  throw new InputError({
    field: 'adopt',
    value: p.adopt,
    reason: `is not set, and ${found.message}`,
    remedy: 'set adopt: true to manage that installation with this stack (destroy will then uninstall it), or use another namespace',
  });
}

/** For the preview of a create: what `up` will find and do, or undefined (unknown or unreachable
 *  cluster, nothing there). One connection, 6 requests. */
export async function previewFound(p: ControllerInstallInputs): Promise<string | undefined> {
  if (p.cluster === undefined || hasUnknown(p.cluster)) return undefined;
  try {
    const conn = await cluster().connect(p.cluster, { requestTimeoutMs: 5_000 });
    try {
      const { plan } = await findInstall(conn, p);
      return plan.message ? plan.message.replace(/: adopting it without adopt/, ': up will adopt it without adopt') : undefined;
    } finally {
      conn.close();
    }
  } catch {
    return undefined;
  }
}
