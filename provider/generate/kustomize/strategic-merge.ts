// Strategic merge for the patches Flux and its users apply to controller manifests. Maps merge
// key by key, null deletes, `$patch: delete|replace` is honoured, and lists of objects merge on
// their merge key ("name" for containers, env, volumes, ports, imagePullSecrets ...); other lists
// are replaced, as Kubernetes does for e.g. tolerations and args.
import { isMap, type YamlValue } from '../goyaml/emitter';

// Lists that Kubernetes merges, keyed by field name, with their merge key.
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  ports: 'containerPort',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
};

function mergeList(field: string, target: YamlValue[], patch: YamlValue[]): YamlValue[] {
  const key = MERGE_KEYS[field];
  if (!key || !patch.every((p) => isMap(p) && p[key] !== undefined)) {
    return patch.filter((p) => !(isMap(p) && p.$patch === 'delete'));
  }
  const out = target.map((t) => structuredClone(t));
  for (const p of patch as { [k: string]: YamlValue }[]) {
    const i = out.findIndex((t) => isMap(t) && t[key] === p[key]);
    if (p.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) {
      out[i] = mergeValue(out[i], p);
    } else {
      out.push(mergeValue(undefined, p));
    }
  }
  return out;
}

function mergeValue(target: YamlValue | undefined, patch: YamlValue, field = ''): YamlValue {
  if (isMap(patch)) {
    if (patch.$patch === 'replace') {
      const { $patch: _, ...rest } = patch;
      return structuredClone(rest);
    }
    const out: { [k: string]: YamlValue } = isMap(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(patch)) {
      if (k === '$patch') continue;
      if (v === null) delete out[k];
      else out[k] = mergeValue(out[k], v, k);
    }
    return out;
  }
  if (Array.isArray(patch)) return mergeList(field, Array.isArray(target) ? target : [], patch);
  return patch;
}

/** Merges `patch` into `target` in place (both are whole objects). */
export function applyStrategicMerge(target: { [k: string]: YamlValue }, patch: { [k: string]: YamlValue }): void {
  const merged = mergeValue(target, patch) as { [k: string]: YamlValue };
  for (const k of Object.keys(target)) if (!(k in merged)) delete target[k];
  Object.assign(target, merged);
}
