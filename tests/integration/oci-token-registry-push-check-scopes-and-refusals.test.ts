// harness: oci-registry-token
// The Bearer token flow public registries use (ghcr.io, Docker Hub, ACR), against a real one:
// distribution's `auth: token` and the harness's token server, a push user, a pull-only user
// and anonymous pulls of public/. A push asks one pull-and-push token; a later check in the
// same process is one HEAD (the token is kept); a check asks only for pull; the pull-only user
// checks but cannot push, told so with the fix, and writes nothing; anonymous callers read
// public/ only; a wrong password is refused by the token server and named without itself.
import { InputError } from '../../provider/errors';
import { fluxArtifact } from '../../provider/oci/artifact';
import { parseOciUrl, RegistryClient, type RegistryAuth } from '../../provider/oci/registry';
import { uniqueName } from '../harness/kube-client';
import { registryChallenges, registryRequests } from '../harness/oci-registry';
import { tokenRequests, type OciTokenRegistryInfo } from '../harness/oci-registry-token';
import { harnessInfo } from '../harness/state';

const reg = harnessInfo<OciTokenRegistryInfo>('oci-registry-token');
const pusher: RegistryAuth = { username: reg.username, password: reg.password, caPem: reg.caPem };
const reader: RegistryAuth = { ...reg.reader, caPem: reg.caPem };
const anonymous: RegistryAuth = { caPem: reg.caPem };
const repo = `fleet/${uniqueName('tok')}`;
const client = (auth: RegistryAuth, mode: 'pull' | 'push' = 'pull', repository = repo) =>
  new RegistryClient(parseOciUrl(`oci://${reg.registry}/${repository}:prod`), auth, mode);
const artifact = (content: string) =>
  fluxArtifact({ 'flux-system/gotk-sync.yaml': content }, { source: 's', revision: 'r', created: new Date('2026-12-07T00:00:00Z') });

/** What the registry and the token server saw from here on. */
function mark() {
  const n = { requests: registryRequests(reg).length, challenges: registryChallenges(reg).length, tokens: tokenRequests(reg).length };
  return () => ({
    requests: registryRequests(reg).slice(n.requests),
    challenges: registryChallenges(reg).slice(n.challenges),
    tokens: tokenRequests(reg)
      .slice(n.tokens)
      .map((t) => ({ user: t.user, asked: t.asked, granted: t.granted, status: t.status })),
  });
}

async function failure(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

let pushed: string;

test('a push asks one pull-and-push token; a later check is one HEAD on the kept token', async () => {
  let seen = mark();
  const c = client(pusher, 'push');
  expect(await c.manifest()).toBeNull();
  pushed = await c.push(artifact('a: 1\n'));
  expect(pushed).toMatch(/^sha256:[0-9a-f]{64}$/);
  const push = seen();
  // the first request meets the challenge; the token then serves the whole push
  expect(push.challenges).toEqual([`GET /v2/${repo}/manifests/prod`]);
  expect(push.tokens).toEqual([
    { user: reg.username, asked: [`repository:${repo}:pull,push`], granted: [`repository:${repo}:pull,push`], status: 200 },
  ]);
  expect(push.requests.filter((l) => l.startsWith('PUT'))).toHaveLength(3);

  // another client in this process (a refresh after the update in one `pulumi up`)
  seen = mark();
  expect(await client(pusher).manifestDigest()).toBe(pushed);
  expect(seen()).toEqual({ requests: [`HEAD /v2/${repo}/manifests/prod`], challenges: [], tokens: [] });
});

test('the pull-only user checks with a pull token; its push is refused naming the fix, and writes nothing', async () => {
  let seen = mark();
  expect(await client(reader).manifestDigest()).toBe(pushed);
  // the registry is known to want tokens here: the token first, no 401 round trip
  expect(seen()).toEqual({
    requests: [`HEAD /v2/${repo}/manifests/prod`],
    challenges: [],
    tokens: [{ user: reg.reader.username, asked: [`repository:${repo}:pull`], granted: [`repository:${repo}:pull`], status: 200 }],
  });

  seen = mark();
  const e = await failure(client(reader, 'push').push(artifact('b: 2\n')));
  expect(e.field).toBe('credentials');
  expect(e.message).toContain(`user "${reg.reader.username}" may not push to ${reg.registry}/${repo}`);
  expect(e.message).toContain('Fix: push with credentials that have write access');
  expect(e.message).not.toContain(reg.reader.password);
  const refused = seen();
  expect(refused.tokens).toEqual([
    { user: reg.reader.username, asked: [`repository:${repo}:pull,push`], granted: [`repository:${repo}:pull`], status: 200 },
  ]);
  expect(refused.requests.filter((l) => !l.startsWith('HEAD'))).toEqual([]);
  expect(refused.challenges).toEqual([`POST /v2/${repo}/blobs/uploads/`]);
  expect(await client(pusher).manifestDigest()).toBe(pushed);
});

test('anonymous callers read public/ with a pull token, and are told what to do for a private repository', async () => {
  const open = `public/${uniqueName('tok')}`;
  const digest = await client(pusher, 'push', open).push(artifact('c: 3\n'));
  const seen = mark();
  expect(await client(anonymous, 'pull', open).manifestDigest()).toBe(digest);
  expect(seen().tokens).toEqual([
    { user: '(anonymous)', asked: [`repository:${open}:pull`], granted: [`repository:${open}:pull`], status: 200 },
  ]);

  const e = await failure(client(anonymous).manifestDigest());
  expect(e.message).toContain(`anonymous access may not pull from ${reg.registry}/${repo}`);
  expect(e.message).toContain('Fix: give credentials that may read');
});

test('a wrong password is refused by the token server: an error on credentials, without the password', async () => {
  const wrong = `${reg.password}-wrong`;
  const seen = mark();
  const e = await failure(client({ ...pusher, password: wrong }, 'push').manifest());
  expect(e.field).toBe('credentials');
  expect(e.message).toContain('refused them for get a token from');
  expect(e.message).not.toContain(wrong);
  expect(e.stack).not.toContain(wrong);
  expect(seen().tokens).toEqual([{ user: '(refused)', asked: [`repository:${repo}:pull,push`], granted: [], status: 401 }]);
});
