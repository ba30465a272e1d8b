// The shape of the objects this layer handles: plain parsed YAML/JSON, never client-node's
// typed models (their serializer drops fields it does not know and turns timestamps into Dates).

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  generation?: number;
  finalizers?: string[];
  deletionTimestamp?: string;
  uid?: string;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/**
 * What the public functions accept: any parsed object, such as the engine's plain YAML maps.
 * apiVersion, kind and metadata.name are checked where an object is used.
 */
export type ObjectInput = { readonly [key: string]: unknown };

export function asKubeObjects(objects: readonly ObjectInput[]): KubeObject[] {
  return objects as unknown as KubeObject[];
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export function refOf(obj: KubeObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata?.name };
  if (obj.metadata?.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

/** '' for the core group ("v1"), else the part before the slash. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Identity without the version: an upgrade from v1beta2 to v1 is the same object. */
export function keyOf(ref: ObjectRef): string {
  return [groupOf(ref.apiVersion), ref.kind, ref.namespace ?? '', ref.name].join('|');
}

/** `Kind/namespace/name` or `Kind/name`, the way the Flux CLI prints objects. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

export function describeObject(obj: KubeObject): string {
  return describeRef(refOf(obj));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A condition of `status.conditions`, or undefined. */
export interface Condition {
  type: string;
  /** 'True', 'False' or 'Unknown' */
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export function conditionOf(obj: KubeObject | undefined, type: string): Condition | undefined {
  const status = obj?.status;
  if (!isRecord(status) || !Array.isArray(status.conditions)) return undefined;
  return (status.conditions as Condition[]).find((c) => c?.type === type);
}
