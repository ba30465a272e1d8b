// The Bearer challenge as registries send it, and how long a token is kept: its expires_in
// less a margin (60 s when the token server gives none, as the token spec says), per registry,
// scope and credentials, on a clock the test moves.
import { keepMs, parseBearerChallenge, TokenCache, tokenKey } from '../../provider/oci/bearer';

test('challenges: distribution, Docker Hub and GHCR forms; error; Basic and junk are no Bearer challenge', () => {
  expect(
    parseBearerChallenge(
      'Bearer realm="https://127.0.0.1:5001/token",service="flux-bootstrap-registry",scope="repository:fleet/a:pull,push",error="insufficient_scope"',
    ),
  ).toEqual({
    realm: 'https://127.0.0.1:5001/token',
    service: 'flux-bootstrap-registry',
    scope: 'repository:fleet/a:pull,push',
    error: 'insufficient_scope',
  });
  expect(parseBearerChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io"')).toEqual({
    realm: 'https://auth.docker.io/token',
    service: 'registry.docker.io',
    scope: undefined,
    error: undefined,
  });
  expect(parseBearerChallenge('bearer realm="https://ghcr.io/token", service="ghcr.io", scope="repository:acme/x:pull"')?.scope).toBe(
    'repository:acme/x:pull',
  );
  expect(parseBearerChallenge('Basic realm="flux-bootstrap"')).toBeNull();
  expect(parseBearerChallenge('Bearer service="x"')).toBeNull();
  expect(parseBearerChallenge(null)).toBeNull();
});

test('a token is kept for expires_in less a margin, 60 s without one, and not at all when it is too short', () => {
  expect(keepMs(300)).toBe(270_000);
  expect(keepMs(undefined)).toBe(54_000);
  expect(keepMs(3)).toBe(0);
  let now = 1_000_000;
  const cache = new TokenCache(() => now);
  const key = tokenKey('r:5000', 'repository:a:pull', 'u', 'p');
  cache.set(key, 'T', 300);
  now += 269_000;
  expect(cache.get(key)).toBe('T');
  now += 2_000;
  expect(cache.get(key)).toBeUndefined();
  cache.set(key, 'short', 3);
  expect(cache.get(key)).toBeUndefined();
});

test('keys differ by registry, scope, user and password, and hold none of them in clear', () => {
  const base = tokenKey('r:5000', 'repository:a:pull', 'u', 'secret-password');
  expect(
    new Set([
      base,
      tokenKey('r:5001', 'repository:a:pull', 'u', 'secret-password'),
      tokenKey('r:5000', 'repository:a:pull,push', 'u', 'secret-password'),
      tokenKey('r:5000', 'repository:a:pull', 'v', 'secret-password'),
      tokenKey('r:5000', 'repository:a:pull', 'u', 'other-password'),
    ]).size,
  ).toBe(5);
  expect(base).toMatch(/^[0-9a-f]{64}$/);
});

test('the realm a registry named is remembered without its scope or error', () => {
  const cache = new TokenCache();
  cache.rememberRealm('r:5000', { realm: 'https://t/token', service: 's', scope: 'repository:a:pull', error: 'invalid_token' });
  expect(cache.realmOf('r:5000')).toEqual({ realm: 'https://t/token', service: 's' });
  expect(cache.realmOf('r:5001')).toBeUndefined();
});
