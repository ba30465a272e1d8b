// The few OCI distribution API calls a push and a no-change check need, written here because
// npm has no well-kept client that pushes OCI artifacts (the maintained ones only pull, or are
// one cloud's SDK). Basic auth, and the Bearer token flow public registries use (bearer.ts):
// reads ask for a pull token, pushes for pull and push, each kept for its lifetime. A
// no-change check is one HEAD of the manifest (its Docker-Content-Digest), as `ls-remote` is
// for git; a push skips blobs the registry already has (one HEAD each).
import { InputError } from '../errors';
import { Secret } from '../secret';
import { fetchWithCa } from '../hosts/ca-fetch';
import { scrub } from '../hosts/host-error';
import { OCI_MANIFEST, sha256Digest, type Artifact, type Blob } from './artifact';
import { parseBearerChallenge, tokenCache, tokenKey, type BearerChallenge } from './bearer';

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

/** The token scope a request asks for; `need` in errors is the one action it needed. */
type Actions = 'pull' | 'pull,push';
type Need = 'pull' | 'push';
type FetchFailure = Error & { cause?: { code?: string } };

export class RegistryClient {
  /** requests made (token requests included), for cost assertions */
  requests = 0;
  private readonly doFetch: typeof fetch;
  private readonly base: string;
  /** what the last request carried: decides what a 401 or 403 means */
  private lastAuth: 'bearer' | 'basic' | 'none' = 'none';
  private lastToken: string | undefined;

  /** mode 'push': reads ask for a pull-and-push token too, so the push after them needs no other */
  constructor(
    readonly ref: OciRef,
    private readonly auth: RegistryAuth = {},
    private readonly mode: 'pull' | 'push' = 'pull',
  ) {
    this.doFetch = auth.caPem ? fetchWithCa(auth.caPem) : fetch;
    this.base = `${auth.insecure ? 'http' : 'https'}://${ref.registry}/v2/${ref.repository}`;
  }

  private get readActions(): Actions {
    return this.mode === 'push' ? 'pull,push' : 'pull';
  }

  private get where(): string {
    return `${this.ref.registry}/${this.ref.repository}`;
  }

  /** The tag's manifest digest, or null when the tag does not exist: one HEAD. */
  async manifestDigest(): Promise<string | null> {
    const r = await this.call('HEAD', `/manifests/${this.ref.tag}`, { accept: OCI_MANIFEST }, undefined, this.readActions);
    if (r.status === 404) return null;
    await this.expect(r, [200], `read ${this.where}:${this.ref.tag}`, 'pull');
    return r.headers.get('docker-content-digest');
  }

  /** The tag's manifest (digest and layer digests), or null when the tag does not exist: one GET.
   *  A push first asks this, so content already there is not pushed again. */
  async manifest(): Promise<{ digest: string; layers: string[] } | null> {
    const r = await this.call('GET', `/manifests/${this.ref.tag}`, { accept: OCI_MANIFEST }, undefined, this.readActions);
    if (r.status === 404) return null;
    await this.expect(r, [200], `read ${this.where}:${this.ref.tag}`, 'pull');
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
    const r = await this.call('PUT', `/manifests/${this.ref.tag}`, { 'content-type': OCI_MANIFEST }, a.manifest, 'pull,push');
    await this.expect(r, [201], `push the manifest to ${this.where}:${this.ref.tag}`, 'push');
    return r.headers.get('docker-content-digest') ?? a.digest;
  }

  private async pushBlob(b: Blob): Promise<void> {
    const head = await this.call('HEAD', `/blobs/${b.digest}`, {}, undefined, 'pull,push');
    if (head.status === 200) return;
    if (head.status !== 404) await this.expect(head, [200], `read blob ${b.digest.slice(0, 19)} of ${this.where}`, 'pull');
    const start = await this.call('POST', '/blobs/uploads/', {}, undefined, 'pull,push');
    await this.expect(start, [202], `start a blob upload to ${this.where}`, 'push');
    const location = new URL(start.headers.get('location') ?? '', `${this.base}/`);
    location.searchParams.set('digest', b.digest);
    const put = await this.call('PUT', location.href, { 'content-type': 'application/octet-stream' }, b.data, 'pull,push');
    await this.expect(put, [201], `upload blob ${b.digest.slice(0, 19)}`, 'push');
  }

  /** One request, with a token kept from earlier when there is one; on a Bearer challenge, a
   *  token for `actions` on this repository and the request once more. */
  private async call(method: string, pathOrUrl: string, headers: Record<string, string>, body: Buffer | undefined, actions: Actions) {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.base}${pathOrUrl}`;
    const scope = `repository:${this.ref.repository}:${actions}`;
    let token = this.cachedToken(actions);
    // a registry known to want tokens: ask the realm first rather than take a 401 again
    const known = tokenCache.realmOf(this.ref.registry);
    if (token === undefined && known) token = await this.token(known, scope);
    const r = await this.send(method, url, headers, body, token);
    if (r.status !== 401) return r;
    const challenge = parseBearerChallenge(r.headers.get('www-authenticate'));
    if (!challenge) return r;
    tokenCache.rememberRealm(this.ref.registry, challenge);
    // the token holds all these credentials may do: expect() says which action is missing
    if (token !== undefined && challenge.error === 'insufficient_scope') return r;
    if (token !== undefined) tokenCache.drop(this.key(scope)); // expired or revoked
    return this.send(method, url, headers, body, await this.token(challenge, scope));
  }

  private send(method: string, url: string, headers: Record<string, string>, body: Buffer | undefined, token: string | undefined) {
    this.requests++;
    // an upload Location on another host (a storage service) gets no credentials
    const ours = new URL(url).host === this.ref.registry;
    const auth = !ours ? undefined : token !== undefined ? `Bearer ${token}` : this.basic();
    this.lastAuth = !auth ? 'none' : token !== undefined ? 'bearer' : 'basic';
    this.lastToken = ours ? token : undefined;
    return this.doFetch(url, {
      method,
      headers: { ...headers, ...(auth ? { authorization: auth } : {}) },
      body: body ? new Uint8Array(body) : undefined,
    }).catch((e: FetchFailure) => this.unreachable(`${method} ${this.ref.registry}`, e));
  }

  private unreachable(operation: string, e: FetchFailure): never {
    throw new OciError(
      operation,
      undefined,
      `no response (${e.cause?.code ?? e.message})`,
      `check the registry address and that this machine can reach it${this.auth.caPem ? '' : ' (a private CA goes in caPem)'}`,
    );
  }

  private basic(): string | undefined {
    if (this.auth.username === undefined) return undefined;
    return `Basic ${Buffer.from(`${this.auth.username}:${Secret.unwrap(this.auth.password ?? '')}`).toString('base64')}`;
  }

  private key(scope: string): string {
    return tokenKey(this.ref.registry, scope, this.auth.username, Secret.unwrap(this.auth.password ?? ''));
  }

  /** A kept token for `actions`; a pull-and-push token serves a pull too. */
  private cachedToken(actions: Actions): string | undefined {
    const scope = (a: Actions) => `repository:${this.ref.repository}:${a}`;
    return tokenCache.get(this.key(scope(actions))) ?? (actions === 'pull' ? tokenCache.get(this.key(scope('pull,push'))) : undefined);
  }

  /** A token from the challenge's realm for `scope`, kept for its lifetime. */
  private async token(challenge: BearerChallenge, scope: string): Promise<string> {
    let realm: URL;
    try {
      realm = new URL(challenge.realm);
    } catch {
      throw new OciError(
        `read ${this.where}`,
        401,
        `the registry named a token realm that is not a URL (${challenge.realm})`,
        'check the registry address',
      );
    }
    const basic = this.basic();
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && this.auth.insecure && basic === undefined)) {
      throw new OciError(
        `get a token from ${realm.host}`,
        undefined,
        `the registry named a token realm that is not HTTPS (${realm.origin}), and credentials are not sent there`,
        'check the registry address; a registry on plain HTTP (oci.insecure) may only be used without credentials',
      );
    }
    if (challenge.service) realm.searchParams.set('service', challenge.service);
    realm.searchParams.set('scope', scope);
    this.requests++;
    const operation = `get a token from ${realm.host}`;
    const r = await this.doFetch(realm.href, { headers: basic ? { authorization: basic } : {} }).catch((e: FetchFailure) =>
      this.unreachable(operation, e),
    );
    this.lastAuth = basic ? 'basic' : 'none';
    this.lastToken = undefined;
    await this.expect(r, [200], operation, scope.endsWith('push') ? 'push' : 'pull');
    const j = (await r.json().catch(() => ({}))) as { token?: string; access_token?: string; expires_in?: number };
    const token = j.token ?? j.access_token;
    if (!token) {
      throw new OciError(operation, r.status, 'its answer holds no token', `check that ${realm.origin} is this registry's token server`);
    }
    tokenCache.set(this.key(scope), token, j.expires_in);
    return token;
  }

  private async expect(r: Response, ok: number[], operation: string, need: Need): Promise<void> {
    if (ok.includes(r.status)) return;
    const text = scrub((await r.text().catch(() => '')).slice(0, 300), [this.auth.password, this.lastToken]).trim();
    const detail = `${r.status}${text ? ` ${text}` : ''}`;
    if ((r.status === 401 || r.status === 403) && this.lastAuth === 'bearer') throw this.notAllowed(operation, need, detail);
    if (r.status === 401 || r.status === 403) {
      throw new InputError({
        field: 'credentials',
        value: this.auth.username ?? '(none)',
        reason: `the registry refused them for ${operation} (${detail})`,
        remedy:
          need === 'push'
            ? 'give a user and password (or token) that may push to this repository'
            : `give a user and password (or token) that may read ${this.where}`,
      });
    }
    throw new OciError(operation, r.status, detail, 'check the repository path and the registry; run again to retry');
  }

  /** A token was issued, but without the action: the credentials are good, their rights are not. */
  private notAllowed(operation: string, need: Need, detail: string): InputError {
    const who = this.auth.username === undefined ? 'anonymous access' : `user ${JSON.stringify(this.auth.username)}`;
    return new InputError({
      field: 'credentials',
      value: this.auth.username ?? '(none)',
      reason:
        `the registry's token server issued a token, but ${who} may not ${need} ${need === 'push' ? 'to' : 'from'} ${this.where} ` +
        `(${operation}: ${detail})`,
      remedy:
        need === 'push'
          ? `push with credentials that have write access to ${this.ref.repository} (a registry user or robot account that may push, ` +
            'or a token with write scope: ghcr.io write:packages, Docker Hub Read & Write, GitLab write_registry); ' +
            "a read-only one belongs in Flux's pull credentials"
          : `give credentials that may read ${this.ref.repository}, or make the repository public`,
    });
  }
}
