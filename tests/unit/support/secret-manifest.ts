// The Secrets the CDKTF constructs synthesize, read back from the Terraform JSON: a
// `kubectl_manifest` whose yaml_body is `${jsonencode({...})}` (provider/cdktf/secret-manifest.ts),
// parsed from the object syntax cdktf writes inside the expression. Each data value comes back as
// the text the Secret will hold: a literal decoded from base64, `base64encode(x)` as `${x}`, and
// `base64encode(local.x)` as the template the local holds (each as a `kubernetes_secret_v1`'s
// data was written before).
import type { TfJson } from './cdktf';

type Parsed = string | { expr: string } | { [key: string]: Parsed };

/** Reads one value of cdktf's object syntax at `s[i]`: a quoted string, an object, or an expression. */
function parse(s: string, i: number): [Parsed, number] {
  if (s[i] === '"') {
    let j = i + 1;
    while (s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
    return [JSON.parse(s.slice(i, j + 1)) as string, j + 1];
  }
  if (s[i] === '{') {
    const out: Record<string, Parsed> = {};
    let j = i + 1;
    while (s[j] !== '}') {
      const [key, afterKey] = parse(s, j);
      if (typeof key !== 'string' || s.slice(afterKey, afterKey + 3) !== ' = ') throw new Error(`not a key at ${j}: ${s.slice(j, j + 40)}`);
      const [value, afterValue] = parse(s, afterKey + 3);
      out[key] = value;
      j = s.startsWith(', ', afterValue) ? afterValue + 2 : afterValue;
    }
    return [out, j + 1];
  }
  // an expression: up to the first `,` or `}` outside brackets and strings
  let depth = 0;
  let j = i;
  for (; j < s.length; j++) {
    const c = s[j];
    if (c === '"') {
      j++;
      while (s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) break;
  }
  return [{ expr: s.slice(i, j) }, j];
}

export interface SynthesizedSecret {
  metadata: { name: string; namespace: string };
  type?: string;
  data: Record<string, string>;
  /** the kubectl_manifest as synthesized */
  manifest: Record<string, any>;
  /** its logical id */
  id: string;
}

/** Every Secret manifest whose logical id contains `idPart`. */
export function secretsOf(json: TfJson, idPart = ''): SynthesizedSecret[] {
  return Object.entries(json.resource.kubectl_manifest ?? {})
    .filter(([id, m]) => id.includes(idPart) && /^\$\{jsonencode\(\{"apiVersion" = "v1", "kind" = "Secret", /.test(m.yaml_body as string))
    .map(([id, m]) => {
      const body = m.yaml_body as string;
      const [parsed] = parse(body.slice('${jsonencode('.length, -')}'.length), 0);
      const o = parsed as { metadata: { name: string; namespace: string }; type?: string; data: Record<string, Parsed> };
      const data = Object.fromEntries(
        Object.entries(o.data).map(([k, v]) => {
          if (typeof v === 'string') return [k, Buffer.from(v, 'base64').toString('utf8')];
          const expr = (v as { expr: string }).expr;
          const inner = /^base64encode\((.*)\)$/s.exec(expr);
          if (!inner) throw new Error(`data.${k} is neither base64 nor base64encode(...): ${expr}`);
          const local = /^local\.([\w-]+)$/.exec(inner[1]);
          return [k, local ? (json as unknown as { locals: Record<string, string> }).locals[local[1]] : `\${${inner[1]}}`];
        }),
      );
      return { metadata: o.metadata, type: o.type, data, manifest: m, id };
    });
}

/** The single Secret manifest whose logical id contains `idPart`. */
export function secretOf(json: TfJson, idPart = ''): SynthesizedSecret {
  const all = secretsOf(json, idPart);
  if (all.length !== 1)
    throw new Error(`expected one Secret manifest matching "${idPart}", found ${all.map((s) => s.id).join(', ') || 'none'}`);
  return all[0];
}
