// Checks requests and responses of a fake API server against an OpenAPI 3.0 description:
// path and query parameters, the JSON body, and the response body of the status returned.
// Used by fake-github (GitHub's official description from @octokit/openapi) and fake-gitlab
// (a hand-kept description of the fields we use). Every problem is a sentence naming the
// operation and the JSON path, so a failing test says exactly what the client got wrong.
import Ajv, { type ValidateFunction } from 'ajv';

type Json = any;

export interface Operation {
  method: string;
  /** path template as in the description, e.g. /repos/{owner}/{repo} */
  template: string;
  operationId: string;
  spec: Json;
}

export interface Matched {
  op: Operation;
  pathParams: Record<string, string>;
}

const FORMATS: Record<string, (s: string) => boolean> = {
  uri: (s) => {
    try {
      return new URL(s).protocol.length > 0;
    } catch {
      return false;
    }
  },
  'uri-template': (s) => !/\s/.test(s),
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s),
  email: (s) => /^[^@\s]+@[^@\s]+$/.test(s),
};

export class OpenApiCheck {
  private readonly ajv: Ajv;
  private readonly ops: Operation[] = [];
  private readonly cache = new Map<string, ValidateFunction>();

  /** `operations`: the "METHOD /template" pairs the fake implements; each must exist in the
   *  description (so a typo in the fake cannot silently skip validation). */
  constructor(
    private readonly doc: Json,
    operations: string[],
  ) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, discriminator: false });
    for (const [name, check] of Object.entries(FORMATS)) this.ajv.addFormat(name, { type: 'string', validate: check });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
    this.ajv.addSchema({ components: typedNullables(doc.components ?? {}) }, 'doc');
    for (const pair of operations) {
      const [method, template] = pair.split(' ');
      const spec = doc.paths?.[template]?.[method.toLowerCase()];
      if (!spec) throw new Error(`${pair} is not in the OpenAPI description`);
      this.ops.push({ method: method.toUpperCase(), template, operationId: spec.operationId ?? pair, spec });
    }
  }

  /** The implemented operation for a raw (still percent-encoded) path, or null. */
  match(method: string, rawPath: string): Matched | null {
    const segs = rawPath.split('/');
    for (const op of this.ops) {
      if (op.method !== method.toUpperCase()) continue;
      const t = op.template.split('/');
      if (t.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < t.length && ok; i++) {
        const m = /^\{(.+)\}$/.exec(t[i]);
        if (m) {
          if (!segs[i]) ok = false;
          else params[m[1]] = decodeURIComponent(segs[i]);
        } else ok = t[i] === segs[i];
      }
      if (ok) return { op, pathParams: params };
    }
    return null;
  }

  checkRequest(m: Matched, query: URLSearchParams, body: unknown, contentType: string | undefined): string[] {
    const problems: string[] = [];
    const where = `${m.op.method} ${m.op.template} (${m.op.operationId})`;
    const params = (m.op.spec.parameters ?? []).map((p: Json) => this.deref(p));
    const known = new Set<string>();
    for (const p of params) {
      if (p.in === 'path') {
        const v = m.pathParams[p.name];
        if (v === undefined) problems.push(`${where}: path parameter ${p.name} missing`);
        else problems.push(...this.validate(p.schema, coerce(v, p.schema), `${where}: path parameter ${p.name}`));
      } else if (p.in === 'query') {
        known.add(p.name);
        const v = query.get(p.name);
        if (v === null) {
          if (p.required) problems.push(`${where}: query parameter ${p.name} is required`);
          continue;
        }
        problems.push(...this.validate(p.schema, coerce(v, p.schema), `${where}: query parameter ${p.name}`));
      }
    }
    for (const k of query.keys()) if (!known.has(k)) problems.push(`${where}: query parameter ${k} is not in the description`);
    const rb = m.op.spec.requestBody ? this.deref(m.op.spec.requestBody) : undefined;
    if (body === undefined) {
      if (rb?.required) problems.push(`${where}: a JSON request body is required`);
    } else if (!rb) {
      // gitbeaker sends `{}` with every DELETE; an empty object carries nothing, so it passes
      if (isEmptyObject(body)) return problems;
      problems.push(`${where}: takes no request body, got ${JSON.stringify(body).slice(0, 100)}`);
    } else {
      if (!contentType?.startsWith('application/json'))
        problems.push(`${where}: content-type must be application/json, got ${contentType}`);
      const schema = rb.content?.['application/json']?.schema;
      if (schema) {
        problems.push(...this.validate(schema, body, `${where}: request body`));
        // The real API ignores unknown fields; a client sending one has a typo, so we refuse it.
        const props = this.deref(schema).properties;
        if (props && body && typeof body === 'object' && !Array.isArray(body)) {
          for (const k of Object.keys(body))
            if (!(k in props)) problems.push(`${where}: request body field "${k}" is not in the description`);
        }
      }
    }
    return problems;
  }

  checkResponse(m: Matched, status: number, body: unknown, errorSchema: Json): string[] {
    const where = `${m.op.method} ${m.op.template} (${m.op.operationId}) response ${status}`;
    const documented = m.op.spec.responses?.[String(status)];
    if (!documented) {
      // Error statuses any endpoint can answer (401, 404 on a missing repository, ...) are
      // often undocumented per operation; they must still have the API's error shape.
      if (status >= 400) return this.validate(errorSchema, body, where);
      return [`${where}: status ${status} is not documented for this operation`];
    }
    const schema = this.deref(documented).content?.['application/json']?.schema;
    if (!schema) return body === undefined || body === null || body === '' ? [] : [`${where}: documented without a body, got one`];
    return this.validate(schema, body, where);
  }

  private deref(o: Json): Json {
    let cur = o;
    for (let i = 0; cur?.$ref && i < 10; i++) {
      const parts = String(cur.$ref).replace(/^#\//, '').split('/');
      cur = parts.reduce((acc: Json, k: string) => acc?.[k], this.doc);
    }
    return cur;
  }

  private validate(schema: Json, value: unknown, where: string): string[] {
    const key = JSON.stringify(schema);
    let v = this.cache.get(key);
    if (!v) {
      v = this.ajv.compile(rewriteRefs(schema));
      this.cache.set(key, v);
    }
    if (v(value)) return [];
    return (v.errors ?? [])
      .slice(0, 10)
      .map(
        (e) =>
          `${where}: ${e.instancePath || '(root)'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`,
      );
  }
}

/** `#/components/...` inside an operation's schema points into the document added as "doc";
 *  an OpenAPI discriminator with a mapping (which ajv does not support) becomes if/then. */
function rewriteRefs(s: Json): Json {
  if (Array.isArray(s)) return s.map(rewriteRefs);
  if (!s || typeof s !== 'object') return s;
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `doc${v}` : rewriteRefs(v);
  const d = s.discriminator;
  if (d?.propertyName && d.mapping && Array.isArray(s.oneOf)) {
    const p = d.propertyName as string;
    delete out.oneOf;
    delete out.discriminator;
    out.required = [...(out.required ?? []), p];
    out.properties = { ...(out.properties ?? {}), [p]: { enum: Object.keys(d.mapping) } };
    out.allOf = [
      ...(out.allOf ?? []),
      ...Object.entries(d.mapping as Record<string, string>).map(([value, ref]) => ({
        if: { properties: { [p]: { const: value } }, required: [p] },
        then: { $ref: `doc${ref}` },
      })),
    ];
  }
  return out;
}

/** ajv takes `nullable` only beside `type`: `{nullable, anyOf}` (installation.account) becomes null-or-anyOf. */
function typedNullables(s: Json): Json {
  if (Array.isArray(s)) return s.map(typedNullables);
  if (!s || typeof s !== 'object') return s;
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) out[k] = typedNullables(v);
  if (out.nullable !== true || out.type !== undefined) return out;
  const { nullable: _n, ...rest } = out;
  return { anyOf: [{ type: 'null' }, rest] };
}

function isEmptyObject(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** Path and query values arrive as strings; the schema says what they should parse to. */
function coerce(v: string, schema: Json): unknown {
  const t = schema?.type;
  if ((t === 'integer' || t === 'number') && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (t === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
  return v;
}
