// Plain-object access to Kubernetes resources, and parsing of release manifests once per text.
import { parseAllDocuments } from 'yaml';
import { DistributionError } from '../../errors';
import { isMap, marshal, type YamlValue } from '../goyaml/emitter';
import { parseGoYamlDocuments } from '../goyaml/parse';

export type KubeObject = { [key: string]: YamlValue };

export function asMap(v: YamlValue | undefined): KubeObject | undefined {
  return isMap(v) ? v : undefined;
}

export function metadataOf(obj: KubeObject): KubeObject {
  let m = asMap(obj.metadata);
  if (!m) {
    m = {};
    obj.metadata = m;
  }
  return m;
}

export const kindOf = (obj: KubeObject): string => (typeof obj.kind === 'string' ? obj.kind : '');
export const nameOf = (obj: KubeObject): string => {
  const n = asMap(obj.metadata)?.name;
  return typeof n === 'string' ? n : '';
};

/** Group of an apiVersion: "apps/v1" -> "apps", "v1" -> "". */
export function groupOf(obj: KubeObject): string {
  const v = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  return v.includes('/') ? v.split('/')[0] : '';
}

export function versionOf(obj: KubeObject): string {
  const v = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  return v.includes('/') ? v.split('/')[1] : v;
}

/** Walks a path of map keys, creating empty maps on the way when `create` is set. */
export function mapAt(obj: KubeObject, path: string[], create: boolean): KubeObject | undefined {
  let cur: KubeObject = obj;
  for (const key of path) {
    let next = asMap(cur[key]);
    if (!next) {
      if (!create || (cur[key] !== undefined && cur[key] !== null)) return undefined;
      next = {};
      cur[key] = next;
    }
    cur = next;
  }
  return cur;
}

const parsed = new Map<string, KubeObject[]>();

/** The yaml.v2 dialect reader, trusted only when re-emitting its result gives the text back. */
function fastParse(text: string): KubeObject[] | undefined {
  const docs = parseGoYamlDocuments(text);
  if (!docs || !docs.every(isMap)) return undefined;
  return docs.map((d) => marshal(d)).join('---\n') === text ? docs : undefined;
}

function slowParse(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new DistributionError(`${source}: ${doc.errors[0].message}`);
    const value = doc.toJS() as YamlValue;
    if (value === null || value === undefined) continue;
    if (!isMap(value)) throw new DistributionError(`${source}: a document is not a Kubernetes object`);
    out.push(value);
  }
  return out;
}

/** The resources of a multi-document YAML text; parsed once, then deep-copied per use. */
export function parseResources(text: string, source: string): KubeObject[] {
  let docs = parsed.get(text);
  if (!docs) {
    docs = fastParse(text) ?? slowParse(text, source);
    if (parsed.size > 64) parsed.clear();
    parsed.set(text, docs);
  }
  return structuredClone(docs);
}
