// Apply order, as `flux bootstrap` does it: CRDs and Namespaces first (everything else may live
// in them or be of their kinds), then the rest. Within a stage objects are independent, so they
// go in parallel; the input order is kept inside each stage.
import { groupOf, type KubeObject } from './objects';

export function isCrd(obj: KubeObject): boolean {
  return obj.kind === 'CustomResourceDefinition' && groupOf(obj.apiVersion) === 'apiextensions.k8s.io';
}

export function isNamespace(obj: KubeObject): boolean {
  return obj.kind === 'Namespace' && obj.apiVersion === 'v1';
}

export interface Stages {
  /** CRDs and Namespaces */
  definitions: KubeObject[];
  /** everything else */
  rest: KubeObject[];
}

export function stageObjects(objects: readonly KubeObject[]): Stages {
  const definitions: KubeObject[] = [];
  const rest: KubeObject[] = [];
  for (const obj of objects) (isCrd(obj) || isNamespace(obj) ? definitions : rest).push(obj);
  return { definitions, rest };
}
