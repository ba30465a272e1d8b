// Applies the patches of <path>/<namespace>/kustomization.yaml to the objects it lists, so
// that the objects the cluster layer applies are the ones Flux itself will reconcile.
// Inline patches only: JSON6902 (a YAML list of ops) or strategic merge (a YAML mapping).
import { parse } from 'yaml';
import { InputError } from '../../errors';
import type { SyncInput } from '../../../schema/input-types';
import { isMap, type YamlValue } from '../goyaml/emitter';
import { text } from '../../text';
import { applyJsonPatch, type JsonPatchOp } from './json-patch';
import { asMap, groupOf, kindOf, nameOf, versionOf, type KubeObject } from './objects';
import { applyStrategicMerge } from './strategic-merge';

/** A declared patch, as `kustomization.patches[]` of the sync options types it. */
export type InlinePatch = NonNullable<NonNullable<SyncInput['kustomization']>['patches']>[number];
/** Which objects a patch applies to (kustomize `patches[].target`). */
export type PatchTarget = NonNullable<InlinePatch['target']>;

const anchored = (re: string) => new RegExp(`^(?:${re})$`);

/** Kubernetes label-selector syntax: a=b, a==b, a!=b, a, !a, a in (x,y), a notin (x). */
export function matchesSelector(selector: string, labels: Record<string, YamlValue>): boolean {
  const terms = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return terms.every((raw) => {
    const term = raw.trim();
    if (term === '') return true;
    let m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) {
      const values = m[3].split(',').map((v) => v.trim());
      const has = m[1] in labels && values.includes(text(labels[m[1]]));
      return m[2] === 'in' ? has : !has;
    }
    m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (m) {
      const present = m[1] in labels;
      return m[2] === '!=' ? !present || text(labels[m[1]]) !== m[3] : present && text(labels[m[1]]) === m[3];
    }
    if (term.startsWith('!')) return !(term.slice(1) in labels);
    return term in labels;
  });
}

export function matchesTarget(obj: KubeObject, t: PatchTarget): boolean {
  const meta = asMap(obj.metadata) ?? {};
  const checks: [string | undefined, string][] = [
    [t.group, groupOf(obj)],
    [t.version, versionOf(obj)],
    [t.kind, kindOf(obj)],
    [t.name, nameOf(obj)],
    [t.namespace, typeof meta.namespace === 'string' ? meta.namespace : ''],
  ];
  if (!checks.every(([want, have]) => want === undefined || want === '' || anchored(want).test(have))) return false;
  if (t.labelSelector && !matchesSelector(t.labelSelector, asMap(meta.labels) ?? {})) return false;
  if (t.annotationSelector && !matchesSelector(t.annotationSelector, asMap(meta.annotations) ?? {})) return false;
  return true;
}

/** kustomize's namespace equality: absent and "default" are the same. */
function sameNamespace(a: unknown, b: unknown): boolean {
  const norm = (x: unknown) => (typeof x === 'string' && x !== '' ? x : 'default');
  return norm(a) === norm(b);
}

function fail(field: string, value: unknown, reason: string, remedy: string): InputError {
  return new InputError({ field, value, reason, remedy });
}

/** Applies each patch in order; `field` names the input for messages, e.g. kustomization.patches. */
export function applyUserPatches(objects: KubeObject[], patches: InlinePatch[], field: string): void {
  patches.forEach((p, i) => {
    const where = `${field}[${i}]`;
    let doc: unknown;
    try {
      doc = parse(p.patch);
    } catch (err) {
      throw fail(`${where}.patch`, p.patch, `must be valid YAML (${(err as Error).message.split('\n')[0]})`, 'fix the YAML syntax');
    }
    if (Array.isArray(doc)) {
      if (!p.target)
        throw fail(`${where}.target`, undefined, 'a target is required for a JSON6902 patch', 'add target with at least kind and name');
      for (const obj of objects.filter((o) => matchesTarget(o, p.target!))) {
        try {
          applyJsonPatch(obj, doc as JsonPatchOp[]);
        } catch (err) {
          throw fail(
            `${where}.patch`,
            p.patch,
            `does not apply to ${kindOf(obj)}/${nameOf(obj)}: ${(err as Error).message}`,
            'fix the patch paths',
          );
        }
      }
      return;
    }
    if (!isMap(doc))
      throw fail(
        `${where}.patch`,
        p.patch,
        'must be a strategic merge patch (a mapping) or a JSON6902 patch (a list of ops)',
        'write the patch as YAML',
      );
    const smp = doc;
    const own = {
      kind: kindOf(smp) || undefined,
      name: nameOf(smp) || undefined,
      namespace: asMap(smp.metadata)?.namespace as string | undefined,
    };
    // without a target, kustomize matches the patch's own id: kind, name and namespace, where
    // no namespace means the default one (so not flux-system's objects)
    const matched = p.target
      ? objects.filter((o) => matchesTarget(o, p.target!))
      : objects.filter(
          (o) => kindOf(o) === own.kind && nameOf(o) === own.name && sameNamespace(asMap(o.metadata)?.namespace, own.namespace),
        );
    if (matched.length === 0 && !p.target) {
      const id = `${own.kind ?? '?'}/${own.namespace ? `${own.namespace}/` : ''}${own.name ?? '?'}`;
      throw fail(
        `${where}.patch`,
        p.patch,
        `matches no object (${id}; kustomize matches a patch without a target by kind, name and namespace, none meaning "default")`,
        'set kind, metadata.name and metadata.namespace (e.g. flux-system) of an object in gotk-components.yaml or gotk-sync.yaml, or give a target',
      );
    }
    for (const obj of matched) {
      const { metadata: patchMeta, kind: _k, apiVersion: _v, ...rest } = smp;
      const meta = asMap(patchMeta);
      const keep = meta ? Object.fromEntries(Object.entries(meta).filter(([k]) => k !== 'name' && k !== 'namespace')) : undefined;
      applyStrategicMerge(obj, keep && Object.keys(keep).length > 0 ? { ...rest, metadata: keep } : rest);
    }
  });
}
