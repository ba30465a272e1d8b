// A fetch for Octokit that trusts one more CA (GitHub Enterprise behind a private CA). Node's
// global fetch takes no per-call CA, and undici (which could) is not a dependency; node:https
// does, and the few fields Octokit reads (status, headers, body) fit a standard Response.
import * as http from 'node:http';
import * as https from 'node:https';

export function fetchWithCa(caPem: string): typeof fetch {
  return (input: string | URL | Request, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const headers = Object.fromEntries(new Headers(init?.headers ?? {}).entries());
      const lib = url.protocol === 'http:' ? http : https;
      const req = lib.request(url, { method: init?.method ?? 'GET', headers, ca: caPem, signal: init?.signal ?? undefined }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : v);
          const status = res.statusCode ?? 502;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, statusText: res.statusMessage, headers: out }));
        });
      });
      req.on('error', reject);
      if (init?.body !== undefined && init.body !== null)
        req.write(typeof init.body === 'string' ? init.body : Buffer.from(init.body as ArrayBuffer));
      req.end();
    });
}
