// gotk-sync.yaml: the GitRepository and Kustomization Flux's sync generator marshals from Go
// structs through JSON (so keys are sorted and empty fields dropped), after the warning line.
import type { InstallOptions, SyncOptions } from '../../schema/types';
import { marshal } from './goyaml/emitter';
import { GENERATED_WARNING } from './components';
import type { KubeObject } from './kustomize/objects';

/** Fixed by `flux bootstrap`; only the GitRepository interval is an option. */
export const KUSTOMIZATION_INTERVAL = '10m0s';

type Sync = Pick<SyncOptions, 'url' | 'branch' | 'path' | 'interval' | 'secretName' | 'recurseSubmodules' | 'provider'>;

/** The Kustomization's spec.path: "./" plus the path without a leading "./". */
export function kustomizationPath(path: string): string {
  return `./${path.replace(/^\.\//, '')}`;
}

export function syncObjects(opts: Sync & Pick<InstallOptions, 'namespace'>): [KubeObject, KubeObject] {
  const ns = opts.namespace;
  const spec: KubeObject = {
    interval: opts.interval,
    ref: { branch: opts.branch },
    secretRef: { name: opts.secretName },
    url: opts.url,
  };
  if (opts.recurseSubmodules) spec.recurseSubmodules = true;
  // GitHub App auth (source-controller v1.5, Flux v2.5): the Secret holds the App's credentials
  if (opts.provider === 'github') spec.provider = 'github';
  const gitRepository: KubeObject = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: ns, namespace: ns },
    spec,
  };
  const kustomization: KubeObject = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: ns, namespace: ns },
    spec: {
      interval: KUSTOMIZATION_INTERVAL,
      path: kustomizationPath(opts.path),
      prune: true,
      sourceRef: { kind: 'GitRepository', name: ns },
    },
  };
  return [gitRepository, kustomization];
}

export function generateSync(opts: Sync & Pick<InstallOptions, 'namespace'>): string {
  const [git, ks] = syncObjects(opts);
  return `${GENERATED_WARNING}\n---\n${marshal(git)}---\n${marshal(ks)}`;
}
