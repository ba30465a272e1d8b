// The few OCI distribution API calls a push and a no-change check need, written here because
// npm has no well-kept client that pushes OCI artifacts (the maintained ones only pull, or are
// one cloud's SDK). Basic auth, and the Bearer token challenge public registries use. A
// no-change check is one HEAD of the manifest (its Docker-Content-Digest), as `ls-remote` is
// for git; a push skips blobs the registry already has (one HEAD each).
import { InputError } from '../errors';
import { Secret } from '../secret';
import { fetchWithCa } from '../hosts/ca-fetch';
import { scrub } from '../hosts/host-error';
import { OCI_MANIFEST, sha256Digest, type Artifact, type Blob } from './artifact';

export interface OciRef {
  registry: string;
  repository: string;
  tag: string;
}

export interface RegistryAuth {
  username?: string;
  password?: string | Secret<string>;
  caPem?: string;
  insecure?: boolean;
}

/** `oci://host[:port]/path/name:tag` (the tag defaults to latest). */
export function parseOciUrl(url: string, field = 'url'): OciRef {
  const m =
    /^oci:\/\/([a-zA-Z0-9.-]+(?::\d{1,5})?)\/([a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?$/.exec(
      url,
    );
  if (!m) {
    throw new InputError({
      field,
      value: url,
      reason: 'must be oci://<registry>/<repository>[:<tag>] with a lowercase repository path',
      remedy: 'use e.g. "oci://ghcr.io/acme/fleet-manifests:prod"',
    });
  }
  return { registry: m[1], repository: m[2], tag: m[3] ?? 'latest' };
}

export class OciError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    reason: string,
    readonly remedy: string,
  ) {
    super(`${operation} failed: ${reason}. Fix: ${remedy}.`);
    this.name = 'OciError';
  }
}

export class RegistryClient {
  /** requests made, for cost assertions */
  requests = 0;
  private bearer: string | undefined;
  private readonly doFetch: typeof fetch;
  private readonly base: string;

  constructor(
    readonly ref: OciRef,
    private readonly auth: RegistryAuth = {},
  ) {
    this.doFetch = auth.caPem ? fetchWithCa(auth.caPem) : fetch;
    this.base = `${auth.insecure ? 'http' : 'https'}://${ref.registry}/v2/${ref.repository}`;
  }

  /** The tag's manifest digest, or null when the tag does not exist: one HEAD. */
  async manifestDigest(): Promise<string | null> {
    const r = await this.call('HEAD', `/manifests/${this.ref.tag}`, { accept: OCI_MANIFEST });
    if (r.status === 404) return null;
    await this.expect(r, [200], `read ${this.ref.registry}/${this.ref.repository}:${this.ref.tag}`);
    return r.headers.get('docker-content-digest');
  }

  /** The tag's manifest (digest and layer digests), or null when the tag does not exist: one GET.
   *  A push first asks this, so content already there is not pushed again. */
  async manifest(): Promise<{ digest: string; layers: string[] } | null> {
    const r = await this.call('GET', `/manifests/${this.ref.tag}`, { accept: OCI_MANIFEST });
    if (r.status === 404) return null;
    await this.expect(r, [200], `read ${this.ref.registry}/${this.ref.repository}:${this.ref.tag}`);
    const body = Buffer.from(await r.arrayBuffer());
    const parsed = JSON.parse(body.toString('utf8')) as { layers?: Array<{ digest?: string }> };
    return {
      digest: r.headers.get('docker-content-digest') ?? sha256Digest(body),
      layers: (parsed.layers ?? []).map((l) => String(l.digest)),
    };
  }

  /** Uploads the blobs the registry lacks, then the manifest under the tag; returns its digest. */
  async push(a: Artifact): Promise<string> {
    for (const b of [a.config, a.layer]) await this.pushBlob(b);
    const r = await this.call('PUT', `/manifests/${this.ref.tag}`, { 'content-type': OCI_MANIFEST }, a.manifest);
    await this.expect(r, [201], `push the manifest to ${this.ref.registry}/${this.ref.repository}:${this.ref.tag}`);
    return r.headers.get('docker-content-digest') ?? a.digest;
  }

  private async pushBlob(b: Blob): Promise<void> {
    const head = await this.call('HEAD', `/blobs/${b.digest}`, {});
    if (head.status === 200) return;
    const start = await this.call('POST', '/blobs/uploads/', {});
    await this.expect(start, [202], `start a blob upload to ${this.ref.registry}/${this.ref.repository}`);
    const location = new URL(start.headers.get('location') ?? '', `${this.base}/`);
    location.searchParams.set('digest', b.digest);
    const put = await this.call('PUT', location.href, { 'content-type': 'application/octet-stream' }, b.data);
    await this.expect(put, [201], `upload blob ${b.digest.slice(0, 19)}`);
  }

  private async call(method: string, pathOrUrl: string, headers: Record<string, string>, body?: Buffer): Promise<Response> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.base}${pathOrUrl}`;
    const send = () => {
      this.requests++;
      const auth = this.bearer ? `Bearer ${this.bearer}` : this.basic();
      return this.doFetch(url, {
        method,
        headers: { ...headers, ...(auth ? { authorization: auth } : {}) },
        body: body ? new Uint8Array(body) : undefined,
      }).catch((e: Error & { cause?: { code?: string } }) => {
        throw new OciError(
          `${method} ${this.ref.registry}`,
          undefined,
          `no response (${e.cause?.code ?? e.message})`,
          `check the registry address and that this machine can reach it${this.auth.caPem ? '' : ' (a private CA goes in caPem)'}`,
        );
      });
    };
    let r = await send();
    const challenge = r.headers.get('www-authenticate') ?? '';
    if (r.status === 401 && /^bearer\s/i.test(challenge) && !this.bearer) {
      this.bearer = await this.token(challenge);
      r = await send();
    }
    return r;
  }

  private basic(): string | undefined {
    if (this.auth.username === undefined) return undefined;
    return `Basic ${Buffer.from(`${this.auth.username}:${Secret.unwrap(this.auth.password ?? '')}`).toString('base64')}`;
  }

  /** The Bearer challenge: a token from the realm, for this repository's pull and push. */
  private async token(challenge: string): Promise<string> {
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const realm = new URL(params.realm);
    if (params.service) realm.searchParams.set('service', params.service);
    realm.searchParams.set('scope', `repository:${this.ref.repository}:pull,push`);
    this.requests++;
    const basic = this.basic();
    const r = await this.doFetch(realm.href, { headers: basic ? { authorization: basic } : {} });
    await this.expect(r, [200], `get a token from ${realm.host}`);
    const j = (await r.json()) as { token?: string; access_token?: string };
    return j.token ?? j.access_token ?? '';
  }

  private async expect(r: Response, ok: number[], operation: string): Promise<void> {
    if (ok.includes(r.status)) return;
    const text = scrub((await r.text().catch(() => '')).slice(0, 300), [this.auth.password]);
    if (r.status === 401 || r.status === 403) {
      throw new InputError({
        field: 'credentials',
        value: this.auth.username ?? '(none)',
        reason: `the registry refused them for ${operation} (${r.status} ${text})`,
        remedy: 'give a user and password (or token) that may push to this repository',
      });
    }
    throw new OciError(operation, r.status, `${r.status} ${text}`, 'check the repository path and the registry; run again to retry');
  }
}
