// RFC 6902 JSON patches, as kustomize applies `patchesJson6902` and JSON6902 `patches`.
import { isMap, type YamlValue } from '../goyaml/emitter';

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: YamlValue;
  from?: string;
}

export class JsonPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: YamlValue, pointer: string): { parent: YamlValue; key: string } {
  const parts = tokens(pointer);
  if (parts.length === 0) throw new JsonPatchError('cannot patch the document root');
  let cur: YamlValue = doc;
  for (const part of parts.slice(0, -1)) {
    cur = child(cur, part, pointer);
  }
  return { parent: cur, key: parts[parts.length - 1] };
}

function child(node: YamlValue, key: string, pointer: string): YamlValue {
  if (Array.isArray(node)) {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= node.length) throw new JsonPatchError(`path "${pointer}": index ${key} is out of range`);
    return node[i];
  }
  if (isMap(node) && key in node) return node[key];
  throw new JsonPatchError(`path "${pointer}" does not exist`);
}

function get(doc: YamlValue, pointer: string): YamlValue {
  return tokens(pointer).reduce<YamlValue>((cur, part) => child(cur, part, pointer), doc);
}

function remove(doc: YamlValue, pointer: string): YamlValue {
  const { parent, key } = parentOf(doc, pointer);
  const old = child(parent, key, pointer);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete (parent as Record<string, YamlValue>)[key];
  return old;
}

function add(doc: YamlValue, pointer: string, value: YamlValue, replace: boolean): void {
  const { parent, key } = parentOf(doc, pointer);
  if (Array.isArray(parent)) {
    const i = key === '-' && !replace ? parent.length : Number(key);
    if (!/^\d+$/.test(key) && key !== '-') throw new JsonPatchError(`path "${pointer}": "${key}" is not an array index`);
    if (replace ? i >= parent.length : i > parent.length) throw new JsonPatchError(`path "${pointer}": index ${key} is out of range`);
    if (replace) parent[i] = value;
    else parent.splice(i, 0, value);
  } else if (isMap(parent)) {
    if (replace && !(key in parent)) throw new JsonPatchError(`path "${pointer}" does not exist`);
    parent[key] = value;
  } else {
    throw new JsonPatchError(`path "${pointer}": parent is not an object or array`);
  }
}

export function applyJsonPatch(doc: YamlValue, ops: JsonPatchOp[]): void {
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        add(doc, op.path, structuredClone(op.value ?? null), false);
        break;
      case 'replace':
        add(doc, op.path, structuredClone(op.value ?? null), true);
        break;
      case 'remove':
        remove(doc, op.path);
        break;
      case 'move':
        add(doc, op.path, remove(doc, op.from ?? ''), false);
        break;
      case 'copy':
        add(doc, op.path, structuredClone(get(doc, op.from ?? '')), false);
        break;
      case 'test':
        if (JSON.stringify(get(doc, op.path)) !== JSON.stringify(op.value)) throw new JsonPatchError(`test failed at "${op.path}"`);
        break;
      default:
        throw new JsonPatchError(`unknown op "${(op as { op: string }).op}"`);
    }
  }
}
