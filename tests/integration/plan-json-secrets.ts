// Where secret values sit in OpenTofu's JSON (`tofu show -json` of a plan file or of the
// state), and whether the JSON marks each place sensitive. The JSON pairs every values object
// with its sensitivity map: `after`/`after_sensitive`, `before`/`before_sensitive`,
// `values`/`sensitive_values`, an output's `value` with `sensitive`, and a root variable's
// `value` with the `sensitive` of its declaration in `configuration`. A map entry `true`
// covers everything under it.

export interface SecretHit {
  path: string;
  secret: string;
  sensitive: boolean;
}

type Json = unknown;
const PAIRS: [string, string][] = [
  ['after', 'after_sensitive'],
  ['before', 'before_sensitive'],
  ['values', 'sensitive_values'],
];

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function childMark(mark: Json, key: string | number): Json {
  if (mark === true) return true;
  if (Array.isArray(mark) && typeof key === 'number') return mark[key];
  if (isObject(mark)) return mark[String(key)];
  return undefined;
}

/** Every string in `doc` holding one of `secrets` (by name), with its path and whether it is marked sensitive. */
export function findSecrets(doc: Json, secrets: Record<string, string>): SecretHit[] {
  const hits: SecretHit[] = [];
  const sensitiveVariables = new Set<string>();
  const config =
    isObject(doc) && isObject(doc.configuration) && isObject(doc.configuration.root_module)
      ? doc.configuration.root_module.variables
      : undefined;
  if (isObject(config))
    for (const [name, v] of Object.entries(config)) if (isObject(v) && v.sensitive === true) sensitiveVariables.add(name);

  const walk = (node: Json, path: string, mark: Json): void => {
    if (typeof node === 'string') {
      for (const [name, value] of Object.entries(secrets))
        if (node.includes(value)) hits.push({ path, secret: name, sensitive: mark === true });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((x, i) => walk(x, `${path}[${i}]`, childMark(mark, i)));
      return;
    }
    if (!isObject(node)) return;
    const paired = new Set<string>();
    for (const [values, marks] of PAIRS) {
      if (values in node && marks in node) {
        paired.add(values);
        walk(node[values], `${path}.${values}`, node[marks] === true ? true : node[marks]);
      }
    }
    // an output (planned_values.outputs.x, output_changes handled by the pairs above)
    if ('value' in node && typeof node.sensitive === 'boolean') {
      paired.add('value');
      walk(node.value, `${path}.value`, node.sensitive || mark === true);
    }
    for (const [k, v] of Object.entries(node)) {
      if (paired.has(k)) continue;
      const variable = path === '$.variables' && sensitiveVariables.has(k);
      walk(v, `${path}.${k}`, variable ? true : childMark(mark, k));
    }
  };
  walk(doc, '$', undefined);
  return hits;
}

/** Names of the secrets found anywhere in `text`. */
export function secretsIn(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k);
}
