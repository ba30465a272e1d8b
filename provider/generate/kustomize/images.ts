// kustomize's `images:` transformer with newName: every containers/initContainers list in an
// object (kustomize's legacy walk) has matching image names replaced, keeping tag and digest.
import { isMap, type YamlValue } from '../goyaml/emitter';
import type { KubeObject } from './objects';

export interface ImageRewrite {
  name: string;
  newName: string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** kustomize's IsImageMatched: the name, then an optional @sha256 and :tag. */
function matches(image: string, name: string): boolean {
  return new RegExp(`^${escapeRegExp(name)}(@sha256)?(:[a-zA-Z0-9_.{}-]*)?$`).test(image);
}

function rewrite(image: string, newName: string): string {
  const at = image.indexOf('@');
  const lastColon = image.lastIndexOf(':');
  const lastSlash = image.lastIndexOf('/');
  let cut = image.length;
  if (at >= 0) cut = at;
  else if (lastColon > lastSlash) cut = lastColon;
  return newName + image.slice(cut);
}

function walk(node: YamlValue, rules: ImageRewrite[]): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, rules);
    return;
  }
  if (!isMap(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
      for (const c of value) {
        if (!isMap(c) || typeof c.image !== 'string') continue;
        const rule = rules.find((r) => matches(c.image as string, r.name));
        if (rule) c.image = rewrite(c.image, rule.newName);
      }
    }
    walk(value, rules);
  }
}

export function rewriteImages(objects: KubeObject[], rules: ImageRewrite[]): void {
  if (rules.length > 0) for (const obj of objects) walk(obj, rules);
}
