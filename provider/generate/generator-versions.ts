// How `flux bootstrap`'s install generator (pkg/manifestgen/install) behaved in each release.
// Every version-dependent choice in the generator is read from this table, never inferred.
import { compareVersions } from '../../schema/checks';

export interface GeneratorTraits {
  /** The LabelTransformer also labels Deployment pod templates (flux2#5440, v2.7.0). */
  podTemplateLabels: boolean;
  /** --events-addr names the namespace as $(RUNTIME_NAMESPACE) instead of literally (flux2#5574). */
  eventsAddrRuntimeNamespace: boolean;
  /** Whose Service source-watcher's --storage-adv-addr points at; v2.7.0-v2.7.1 wrongly used source-controller's (flux2#5573). */
  sourceWatcherStorageHost: 'source-controller' | 'source-watcher';
  /** With source-watcher selected, kustomize- and helm-controller get --feature-gates=ExternalArtifact=true. */
  externalArtifactGate: boolean;
}

interface Row {
  /** First release (inclusive) this row applies to. */
  from: string;
  traits: GeneratorTraits;
  why: string;
}

// Ordered oldest first; a release uses the last row whose `from` it has reached.
const TABLE: Row[] = [
  {
    from: 'v2.5.0',
    why: 'generator before source-watcher: metadata labels only, namespace written into --events-addr',
    traits: {
      podTemplateLabels: false,
      eventsAddrRuntimeNamespace: false,
      sourceWatcherStorageHost: 'source-controller',
      externalArtifactGate: false,
    },
  },
  {
    from: 'v2.7.0',
    why: 'source-watcher joins the distribution; pod template labels; --storage-adv-addr bug of flux2#5573',
    traits: {
      podTemplateLabels: true,
      eventsAddrRuntimeNamespace: false,
      sourceWatcherStorageHost: 'source-controller',
      externalArtifactGate: true,
    },
  },
  {
    from: 'v2.7.2',
    why: 'flux2#5574: source-watcher advertises its own address, --events-addr uses $(RUNTIME_NAMESPACE); unchanged through v2.9.x',
    traits: {
      podTemplateLabels: true,
      eventsAddrRuntimeNamespace: true,
      sourceWatcherStorageHost: 'source-watcher',
      externalArtifactGate: true,
    },
  },
];

export function generatorTraits(version: string): GeneratorTraits {
  let row: Row | undefined;
  for (const r of TABLE) if (compareVersions(version, r.from) >= 0) row = r;
  if (!row) throw new Error(`no generator behaviour recorded for Flux ${version} (supported from ${TABLE[0].from})`);
  return row.traits;
}

export const GENERATOR_TABLE: readonly Readonly<Row>[] = TABLE;
