// ControllerInstall's inputs and outputs, and the option fields that decide its objects: shared by
// its check and diff (controller-install-check.ts) and its apply side (controller-install.ts).
import type { ConnectionSpec } from '../cluster';
import { text } from '../text';
import { withCommittedKustomization } from './committed-kustomization';
import { INSTALL_FIELDS, pickOptions, SYNC_FIELDS } from './engine-options';
import type { CredentialsInputs, Watched } from './install-state';

export interface WaitInputs {
  /** wait until the GitRepository and Kustomization are Ready at the commit (default true) */
  reconciliation?: boolean;
  /** also wait for the controller Deployments to be available (default true) */
  deployments?: boolean;
  /** default 300 */
  timeoutSeconds?: number;
}

export interface ControllerInstallInputs {
  cluster?: ConnectionSpec;
  credentials?: CredentialsInputs;
  commit?: string;
  wait?: WaitInputs;
  keepNamespace?: boolean;
  adopt?: boolean;
  force?: boolean;
  /** destroy: an API server that cannot be reached is taken as gone, with Flux in it */
  deleteUnreachable?: boolean;
  /** set by ControllerPreinstall: where it applied the controllers of this first install,
   *  `<API server>/<namespace>` ('' when it did not) */
  preinstalled?: string;
  distribution?: string;
  distributionDigest?: string;
  /** SyncManifests.committedKustomization: the user's own kustomization.yaml, applied with its patches */
  committedKustomization?: string;
  /** computed by check */
  desiredHash?: string;
  plan?: string;
  [option: string]: unknown;
}

export interface ControllerInstallOutputs extends ControllerInstallInputs {
  version: string;
  components: string[];
  /** hash of the objects last applied */
  objectsHash: string;
  /** the objects applied, `Kind/namespace/name` */
  inventory: string[];
  watched: Watched[];
  /** the GitRepository's artifact revision when last seen */
  revision: string;
  /** what refresh found out of line; `up` repairs it */
  drift: string[];
  /** the API server installed on (a different one in `cluster` is a replacement) */
  server?: string;
  /** the namespace was there before the install (not made by Flux): destroy keeps it */
  namespaceExisted?: boolean;
  /** applied objects a first install into that namespace found there already, `Kind/namespace/name`: destroy keeps them */
  existedBefore?: string[];
}

export const FIELDS = [...INSTALL_FIELDS, ...SYNC_FIELDS];
// what a rendering depends on besides the distribution: the options and the committed kustomization.yaml
export const RENDER_FIELDS = [...FIELDS, 'committedKustomization'];
export const SETTINGS = ['wait', 'keepNamespace', 'adopt', 'force', 'deleteUnreachable', 'cluster', 'credentials', 'commit'];
/** The engine options, with the patches of a kustomization.yaml the user committed (committed-kustomization.ts). */
export const optionsOf = (p: Record<string, unknown>) => withCommittedKustomization(pickOptions(p, FIELDS), p.committedKustomization);
/** The options from outputs: their `components` lists the extras too, which the options keep apart. */
export const optionsOfOutputs = (p: Record<string, unknown>) => {
  const extra = p.componentsExtra as string[] | undefined;
  if (!extra?.length || !Array.isArray(p.components)) return optionsOf(p);
  return optionsOf({ ...p, components: (p.components as string[]).filter((c) => !extra.includes(c)) });
};
export const nsOf = (p: ControllerInstallInputs) => text(p.namespace ?? 'flux-system');
