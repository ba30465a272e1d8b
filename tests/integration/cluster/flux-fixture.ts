// Flux objects for the cluster tests, rendered by the engine (desiredState) from the release
// release manifests (tests/harness/flux-reference.ts), exactly as a bootstrap would apply them;
// plus the real `flux bootstrap` v2.9.3 output for the adoption test (flux-cli-reference.ts).
import { parseAllDocuments } from 'yaml';
import { desiredState, loadDistribution, type Distribution } from '../../../provider/engine';
import type { KubeObject } from '../../../provider/cluster/objects';
import { COMPONENTS_DEFAULT, COMPONENTS_EXTRA } from '../../../schema/fields';
import { distributionDir } from '../../harness/flux-reference';
import { requireGoldenReference } from '../../harness/flux-cli-reference';

export const ALL_COMPONENTS: readonly string[] = [...COMPONENTS_DEFAULT, ...COMPONENTS_EXTRA];

export function parseObjects(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject)
    .filter((o) => o && typeof o === 'object' && o.kind);
}

const distributions = new Map<string, Promise<Distribution>>();
function distribution(version: string): Promise<Distribution> {
  if (!distributions.has(version)) distributions.set(version, loadDistribution({ version, source: distributionDir(version) }));
  return distributions.get(version) as Promise<Distribution>;
}

/** desiredState's objects for `components` of Flux `version` in `namespace`, in apply order. */
export async function renderBootstrap(
  version: string,
  namespace: string,
  components: readonly string[] = ALL_COMPONENTS,
): Promise<KubeObject[]> {
  const options = {
    version,
    namespace,
    components: COMPONENTS_DEFAULT.filter((c) => components.includes(c)),
    componentsExtra: COMPONENTS_EXTRA.filter((c) => components.includes(c)),
    url: 'ssh://git@example.invalid/fleet/infra',
    branch: 'main',
    path: 'clusters/test',
  };
  return desiredState(options, await distribution(version)).objects as unknown as KubeObject[];
}

const isSync = (namespace: string) => (o: KubeObject) =>
  (o.kind === 'GitRepository' || o.kind === 'Kustomization') && o.metadata.name === namespace;

/** The objects of gotk-components.yaml only. */
export async function renderInstall(
  version: string,
  namespace: string,
  components: readonly string[] = ALL_COMPONENTS,
): Promise<KubeObject[]> {
  return (await renderBootstrap(version, namespace, components)).filter((o) => !isSync(namespace)(o));
}

/** The objects of gotk-sync.yaml only (GitRepository, then Kustomization). */
export async function renderSync(namespace: string): Promise<KubeObject[]> {
  return (await renderBootstrap('v2.9.3', namespace)).filter(isSync(namespace));
}

/** The real v2.9.3 `flux bootstrap` output (six components, namespace flux-system). */
export function bootstrapOutput(): { components: KubeObject[]; sync: KubeObject[] } {
  const reference = requireGoldenReference();
  return {
    components: parseObjects(reference['gotk-components.yaml']),
    sync: parseObjects(reference['gotk-sync.yaml']),
  };
}
