// Where each host's API, web and SSH endpoints are, and the clone URLs in the form flux writes
// into gotk-sync.yaml. All pure, so a preview can show the sync URL before any request.
import { InputError } from '../errors';

export interface Endpoints {
  /** REST base, no trailing slash: https://api.github.com, https://HOST/api/v3, ... */
  apiUrl: string;
  /** web origin (plus a relative-URL prefix, if the host has one), no trailing slash */
  webUrl: string;
  /** host[:port] of the SSH endpoint; the port only when it is not 22 */
  sshHost: string;
  /** what messages call the host: `github.com`, `gitlab.example.com` */
  hostLabel: string;
}

export interface EndpointOverrides {
  /** ssh host[:port] when it differs from the web host (flux's --ssh-hostname) */
  sshHost?: string;
  /** web base for https clone URLs when it differs from the API host */
  webUrl?: string;
}

function parseBase(field: string, raw: string, example: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new InputError({ field, value: raw, reason: 'is not a URL', remedy: `give the host's base URL, e.g. "${example}"` });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new InputError({ field, value: raw, reason: 'must be an http(s) URL', remedy: `use e.g. "${example}"` });
  }
  if (u.username || u.password || u.search || u.hash) {
    const shown = u.username || u.password ? raw.replace(/\/\/[^@/]*@/, '//[secret]@') : raw;
    throw new InputError({
      field,
      value: shown,
      reason: 'must not carry credentials, a query or a fragment',
      remedy: 'pass the token in `token` and give only the base URL',
    });
  }
  return u;
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

function finish(apiUrl: string, web: URL, webPath: string, o: EndpointOverrides): Endpoints {
  const webUrl = trimSlash(o.webUrl ?? `${web.origin}${webPath}`);
  return { apiUrl, webUrl, sshHost: o.sshHost ?? web.hostname, hostLabel: web.host };
}

/** github.com, or GitHub Enterprise Server at `https://HOST` / `https://HOST/api/v3`. */
export function githubEndpoints(baseUrl: string | undefined, o: EndpointOverrides = {}): Endpoints {
  if (!baseUrl || /^https:\/\/(api\.)?github\.com\/?$/.test(baseUrl)) {
    return {
      apiUrl: 'https://api.github.com',
      webUrl: trimSlash(o.webUrl ?? 'https://github.com'),
      sshHost: o.sshHost ?? 'github.com',
      hostLabel: 'github.com',
    };
  }
  const u = parseBase('baseUrl', baseUrl, 'https://github.example.com/api/v3');
  const prefix = trimSlash(u.pathname).replace(/\/api\/v3$/, '');
  return finish(`${u.origin}${prefix}/api/v3`, u, prefix, o);
}

/** gitlab.com, or a self-managed GitLab at `https://HOST[/prefix]` (with or without /api/v4). */
export function gitlabEndpoints(baseUrl: string | undefined, o: EndpointOverrides = {}): Endpoints {
  const u = parseBase('baseUrl', baseUrl ?? 'https://gitlab.com', 'https://gitlab.example.com');
  const prefix = trimSlash(u.pathname).replace(/\/api\/v4$/, '');
  return finish(`${u.origin}${prefix}/api/v4`, u, prefix, o);
}

/** A Gitea at `https://HOST[/prefix]` (with or without /api/v1); gitea.com by default. */
export function giteaEndpoints(baseUrl: string | undefined, o: EndpointOverrides = {}): Endpoints {
  const u = parseBase('baseUrl', baseUrl ?? 'https://gitea.com', 'https://gitea.example.com');
  const prefix = trimSlash(u.pathname).replace(/\/api\/v1$/, '');
  return finish(`${u.origin}${prefix}/api/v1`, u, prefix, o);
}

/** `ssh://git@<host[:port]>/<owner>/<repo>`: flux's SSH form for host subcommands (no .git). */
export function sshCloneUrl(sshHost: string, owner: string, name: string): string {
  return `ssh://git@${sshHost}/${owner}/${name}`;
}

/** `https://<host>/<owner>/<repo>.git` */
export function httpsCloneUrl(webUrl: string, owner: string, name: string): string {
  return `${trimSlash(webUrl)}/${owner}/${name}.git`;
}
