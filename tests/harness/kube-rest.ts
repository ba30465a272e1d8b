// A small REST client for the harness API server (token + CA from KubeInfo), independent of
// the provider's cluster code so tests and the demo can set up and inspect the cluster on
// their own: GET, merge patch, delete, and `kubectl apply --server-side` of YAML documents
// (CRDs and Namespaces first, then the rest, like flux bootstrap).
import * as https from 'node:https';
import { parseAllDocuments } from 'yaml';

export interface KubeAccess {
  server: string;
  ca: string;
  token: string;
}

export interface KubeObj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

interface Resource {
  plural: string;
  namespaced: boolean;
}

export const HARNESS_USER_AGENT = 'flux-bootstrap-harness-rest';

export class KubeRest {
  private readonly resources = new Map<string, Resource>();

  constructor(private readonly access: KubeAccess) {}

  request(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    retried = false,
  ): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      // named, so a benchmark can tell the harness's own reads from the tool it counts
      const headers: Record<string, string> = {
        authorization: `Bearer ${this.access.token}`,
        accept: 'application/json',
        'user-agent': HARNESS_USER_AGENT,
      };
      if (data) {
        headers['content-type'] = contentType;
        headers['content-length'] = String(data.length);
      }
      const req = https.request(`${this.access.server}${path}`, { method, ca: this.access.ca, headers, timeout: 30_000 }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* keep text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
      // a kept-alive socket the server closed while this process was blocked (a spawnSync of
      // tofu, say) fails at once: the request never reached the server, so send it again
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (req.reusedSocket && e.code === 'ECONNRESET' && !retried)
          this.request(method, path, body, contentType, true).then(resolve, reject);
        else reject(e);
      });
      if (data) req.write(data);
      req.end();
    });
  }

  private async ok(method: string, path: string, body?: unknown, contentType?: string): Promise<any> {
    const r = await this.request(method, path, body, contentType);
    if (r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status} ${typeof r.body === 'object' ? r.body?.message : r.body}`);
    return r.body;
  }

  /** The object, or null when it does not exist. */
  async get(path: string): Promise<any> {
    const r = await this.request('GET', path);
    if (r.status === 404) return null;
    if (r.status >= 300) throw new Error(`GET ${path}: HTTP ${r.status} ${r.body?.message ?? ''}`);
    return r.body;
  }

  mergePatch(path: string, patch: unknown): Promise<any> {
    return this.ok('PATCH', path, patch, 'application/merge-patch+json');
  }

  /** Deletes; a missing object is fine. */
  async delete(path: string, propagation: 'Background' | 'Foreground' | 'Orphan' = 'Background'): Promise<void> {
    const r = await this.request('DELETE', path, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: propagation });
    if (r.status >= 300 && r.status !== 404) throw new Error(`DELETE ${path}: HTTP ${r.status} ${r.body?.message ?? ''}`);
  }

  private async resource(apiVersion: string, kind: string): Promise<Resource> {
    const key = `${apiVersion}/${kind}`;
    let res = this.resources.get(key);
    if (res) return res;
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const list = (await this.ok('GET', base)) as { resources: { name: string; kind: string; namespaced: boolean }[] };
    for (const r of list.resources) {
      if (!r.name.includes('/')) this.resources.set(`${apiVersion}/${r.kind}`, { plural: r.name, namespaced: r.namespaced });
    }
    res = this.resources.get(key);
    if (!res) throw new Error(`the API server does not serve ${kind} in ${apiVersion}`);
    return res;
  }

  /** /api(s)/<group/version>[/namespaces/<ns>]/<plural>[/<name>] of an object. */
  async pathOf(obj: Pick<KubeObj, 'apiVersion' | 'kind'> & { metadata: { name?: string; namespace?: string } }): Promise<string> {
    const r = await this.resource(obj.apiVersion, obj.kind);
    const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
    const ns = r.namespaced ? `/namespaces/${obj.metadata.namespace ?? 'default'}` : '';
    return `${base}${ns}/${r.plural}${obj.metadata.name ? `/${obj.metadata.name}` : ''}`;
  }

  /** Server-side apply of one object (force: take over conflicting fields). */
  async apply(obj: KubeObj, fieldManager: string): Promise<KubeObj> {
    const path = await this.pathOf(obj);
    return this.ok('PATCH', `${path}?fieldManager=${encodeURIComponent(fieldManager)}&force=true`, obj, 'application/apply-patch+yaml');
  }

  /** Server-side apply of many objects, CRDs and Namespaces first (waiting until the CRDs are
   *  Established), then the rest in order. Returns the objects applied. */
  async applyAll(objects: KubeObj[], fieldManager: string): Promise<KubeObj[]> {
    const first = objects.filter((o) => o.kind === 'CustomResourceDefinition' || o.kind === 'Namespace');
    const rest = objects.filter((o) => !first.includes(o));
    for (const o of first) await this.apply(o, fieldManager);
    for (const crd of first.filter((o) => o.kind === 'CustomResourceDefinition')) {
      await this.waitFor(
        `CRD ${crd.metadata.name} Established`,
        async () => {
          const live = await this.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
          return live?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True')
            ? true
            : undefined;
        },
        60_000,
      );
    }
    this.resources.clear(); // the CRDs add resources
    for (const o of rest) await this.apply(o, fieldManager);
    return objects;
  }

  /** Polls fn until it returns something other than undefined. */
  async waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, everyMs = 200): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      try {
        const v = await fn();
        if (v !== undefined) return v;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (${last})` : ''}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

/** The objects of a multi-document YAML stream (empty documents skipped). */
export function parseObjects(text: string): KubeObj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObj | null)
    .filter((o): o is KubeObj => !!o && typeof o === 'object' && typeof o.kind === 'string');
}
