// The Flux Operator's own install manifests, as `kustomize build config/default` of its module
// writes them (the release's install.yaml is made that way: hack/build-dist-manifests.sh):
// config/default names the namespace and lists namespace.yaml, rbac.yaml, ../crd and
// ../manager, whose kustomization sets the image. This reads those kustomizations as kustomize
// does, for the few fields they use (resources, namespace, images), refuses any other field so
// that a module laid out otherwise fails loudly instead of rendering something else, and sorts
// the result in kustomize's legacy order, the `build` default.
import { DistributionError } from '../errors';
import { marshal } from '../generate/goyaml/emitter';
import { asMap, kindOf, metadataOf, nameOf, parseResources, type KubeObject } from '../generate/kustomize/objects';
import { setNamespace } from '../generate/kustomize/namespace';
import type { OperatorModule } from './module';

interface Image {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

const KNOWN_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images']);

function parseKustomization(text: string, file: string): { namespace?: string; resources: string[]; images: Image[] } {
  const [k] = parseResources(text, file);
  for (const key of Object.keys(k ?? {}))
    if (!KNOWN_FIELDS.has(key)) throw new DistributionError(`${file}: kustomization field "${key}" is not supported here`);
  const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : []);
  return {
    namespace: typeof k?.namespace === 'string' ? k.namespace : undefined,
    resources: list(k?.resources).map(String),
    images: list(k?.images).map((i) => i as Image),
  };
}

const join = (dir: string, rel: string): string => {
  const parts = dir.split('/').filter(Boolean);
  for (const p of rel.split('/')) {
    if (p === '..') parts.pop();
    else if (p && p !== '.') parts.push(p);
  }
  return parts.join('/');
};

/** kustomize's image transformer: `name[:tag|@digest]` -> newName, newTag or digest. */
function setImages(objects: KubeObject[], images: Image[]): void {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    const map = asMap(node as KubeObject);
    if (!map) return;
    for (const [key, value] of Object.entries(map)) {
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
        for (const c of value) {
          const container = asMap(c);
          if (!container || typeof container.image !== 'string') continue;
          const m = /^([^@:]+(?::\d+)?(?:\/[^@:]+)*)(?::([^@]+))?(?:@(.+))?$/.exec(container.image);
          const rule = m && images.find((i) => i.name === m[1]);
          if (!m || !rule) continue;
          const name = rule.newName ?? m[1];
          container.image = rule.digest ? `${name}@${rule.digest}` : `${name}${rule.newTag ? `:${rule.newTag}` : m[2] ? `:${m[2]}` : ''}`;
        }
      } else walk(value);
    }
  };
  walk(objects);
}

/** Objects of a kustomization directory of the module, its transformers applied. */
function build(module: OperatorModule, dir: string): KubeObject[] {
  const file = `${dir}/kustomization.yaml`;
  const k = parseKustomization(module.read(file), `${module.source}/${file}`);
  const objects: KubeObject[] = [];
  for (const r of k.resources) {
    const target = join(dir, r);
    const isDir = module.list(target).includes('kustomization.yaml');
    objects.push(...(isDir ? build(module, target) : parseResources(module.read(target), `${module.source}/${target}`)));
  }
  if (k.images.length) setImages(objects, k.images);
  if (k.namespace) setNamespace(objects, k.namespace);
  return objects;
}

// kustomize's legacy order (SortOrderTransformer's defaultOrderFirst and defaultOrderLast)
const FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];
const rank = (kind: string) =>
  FIRST.includes(kind) ? FIRST.indexOf(kind) - FIRST.length : LAST.includes(kind) ? 1 + LAST.indexOf(kind) : 0;

function gvk(o: KubeObject): { group: string; version: string; kind: string } {
  const api = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const [group, version] = api.includes('/') ? api.split('/') : ['', api];
  return { group, version, kind: kindOf(o) };
}
const gvkSort = (o: KubeObject) => {
  const g = gvk(o);
  return [g.group || '~G', g.version || '~V', g.kind || '~K'].join('_');
};
// kyaml's resid.Gvk.String(): "<kind>.<version>.<group>"
const gvkString = (o: KubeObject) => {
  const g = gvk(o);
  return [g.kind || '[noKind]', g.version || '[noVer]', g.group || '[noGrp]'].join('.');
};
const idSort = (o: KubeObject) => {
  const ns = metadataOf(o).namespace;
  return [gvkString(o), typeof ns === 'string' && ns ? ns : '~X', nameOf(o) || '~N'].join('|');
};

function legacySort(objects: KubeObject[]): KubeObject[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return objects
    .map((o, i) => ({ o, i }))
    .sort((x, y) => {
      const [a, b] = [x.o, y.o];
      if (gvkSort(a) !== gvkSort(b)) {
        const [ra, rb] = [rank(kindOf(a)), rank(kindOf(b))];
        if (ra !== rb) return ra - rb;
        if (kindOf(a) === 'Namespace' && kindOf(b) === 'Namespace' && (!gvk(a).group || !gvk(b).group)) return cmp(gvkSort(b), gvkSort(a));
        return cmp(gvkSort(a), gvkSort(b));
      }
      return cmp(idSort(a), idSort(b)) || x.i - y.i;
    })
    .map((x) => x.o);
}

export interface OperatorInstallOptions {
  /** where the operator runs; its FluxInstance must be there too (default flux-system) */
  namespace?: string;
}

/**
 * The operator's objects for a namespace. For flux-system they are `kustomize build
 * config/default` exactly. For another namespace the ClusterRoleBinding's ServiceAccount
 * subject follows it too: kustomize leaves a subject not named "default" in flux-system, which
 * would leave the operator without its permissions.
 */
export function operatorObjects(module: OperatorModule, opts: OperatorInstallOptions = {}): KubeObject[] {
  const objects = legacySort(build(module, 'config/default'));
  const ns = opts.namespace ?? 'flux-system';
  if (ns !== 'flux-system') {
    setNamespace(objects, ns);
    for (const o of objects)
      if (kindOf(o) === 'ClusterRoleBinding' || kindOf(o) === 'RoleBinding')
        for (const s of Array.isArray(o.subjects) ? o.subjects : []) {
          const subject = asMap(s);
          if (subject?.kind === 'ServiceAccount' && subject.namespace === 'flux-system') subject.namespace = ns;
        }
  }
  return objects;
}

/** The objects as one YAML stream, as kustomize writes it. */
export function operatorManifest(module: OperatorModule, opts: OperatorInstallOptions = {}): string {
  return operatorObjects(module, opts)
    .map((o) => marshal(o))
    .join('---\n');
}
