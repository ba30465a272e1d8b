// Failures of the host APIs become messages that say what happened and what to do, naming the
// input at fault, and never carrying the token (nor the client library's error object, whose
// request headers hold it).
import { InputError } from '../../../provider/errors';
import { ABSENT, apiCall } from '../../../provider/hosts/api-call';
import { failureOf, rewriteCommon, scrub, type RewriteContext } from '../../../provider/hosts/host-error';
import { GitHubHost, GitLabHost, GiteaHost, HostError } from '../../../provider/hosts';
import { Secret } from '../../../provider/secret';

const TOKEN = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
const ctx: RewriteContext = {
  host: 'github.com',
  operation: 'read repository acme/fleet',
  token: new Secret(TOKEN),
  tokenRemedy: 'create a new token and pass it as token',
  scopeRemedy: 'give the token the repo scope',
};

test('scrub removes the given secrets and anything shaped like a token or an auth header', () => {
  const text =
    `${TOKEN} glpat-abcdefghijklmnop1234 github_pat_11ABCDEFG0123456789_abcdefghij ` +
    'Authorization: token s3cr3t-value PRIVATE-TOKEN: other-s3cr3t "authorization":"Bearer eyJhbGciOi.x.y" mine-123456';
  const out = scrub(text, [new Secret('mine-123456')]);
  for (const s of [
    TOKEN,
    'glpat-abcdefghijklmnop1234',
    'github_pat_11ABCDEFG',
    's3cr3t-value',
    'other-s3cr3t',
    'eyJhbGciOi',
    'mine-123456',
  ])
    expect(out).not.toContain(s);
  expect(out).toContain('Authorization: token [secret]');
  // ordinary words after "token" stay
  expect(scrub('token rejected by github.com', [])).toBe('token rejected by github.com');
});

test('failureOf reads Octokit, gitbeaker and network errors alike', () => {
  expect(failureOf({ status: 401, message: 'x', response: { status: 401, data: { message: 'Bad credentials' } } }, [])).toEqual({
    status: 401,
    code: undefined,
    message: 'Bad credentials',
  });
  expect(
    failureOf({ message: '401 Unauthorized', cause: { description: '401 Unauthorized', response: { status: 401 } } }, []),
  ).toMatchObject({ status: 401, message: '401 Unauthorized' });
  expect(failureOf({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } }, [])).toMatchObject({
    status: undefined,
    code: 'ECONNREFUSED',
  });
  expect(
    failureOf(
      {
        status: 422,
        response: {
          data: {
            message: 'Validation Failed',
            errors: [{ resource: 'PublicKey', code: 'custom', field: 'key', message: 'key is already in use' }],
          },
        },
      },
      [],
    ).message,
  ).toBe('Validation Failed: key is already in use');
  // Octokit wraps a failed fetch as status 500; no answer came, so no status
  const octokitNetwork = {
    status: 500,
    message: 'bad port',
    cause: Object.assign(new TypeError('fetch failed'), { cause: new Error('bad port') }),
  };
  expect(failureOf(octokitNetwork, [])).toMatchObject({ status: undefined, code: 'bad port' });
  expect(failureOf({ message: 'Could not successfully complete this request after 10 retries, last status code: 429.' }, []).status).toBe(
    429,
  );
  expect(failureOf({ status: 422, response: { data: { message: { name: ['has already been taken'] } } } }, []).message).toBe(
    '{"name":["has already been taken"]}',
  );
  expect(failureOf(new Error(`boom ${TOKEN}`), [TOKEN]).message).toBe('boom [secret]');
});

test('401 is "token rejected by <host>" on the token field, shown as [secret], with the remedy', () => {
  const err = rewriteCommon({ status: 401, message: 'Bad credentials' }, ctx) as InputError;
  expect(err).toBeInstanceOf(InputError);
  expect(err.field).toBe('token');
  expect(err.message).toBe(
    'invalid token [secret]: token rejected by github.com (401 Bad credentials). Fix: create a new token and pass it as token.',
  );
  expect(JSON.stringify(err)).not.toContain(TOKEN);
  expect(String(err.value)).toBe('[secret]');
});

test('403 is a missing permission, unless it is a rate limit; 5xx and no response are HostErrors', () => {
  expect((rewriteCommon({ status: 403, message: 'Resource not accessible by personal access token' }, ctx) as Error).message).toMatch(
    /token may not read repository acme\/fleet on github.com \(403 .*\)\. Fix: give the token the repo scope\./,
  );
  const limited = rewriteCommon({ status: 403, message: 'API rate limit exceeded' }, ctx) as HostError;
  expect(limited).toBeInstanceOf(HostError);
  expect(limited.message).toMatch(/rate limited .*Fix: wait for the limit to reset/);
  expect(rewriteCommon({ status: 502, message: 'Bad Gateway' }, ctx)).toBeInstanceOf(HostError);
  expect((rewriteCommon({ message: 'fetch failed', code: 'ECONNREFUSED' }, ctx) as Error).message).toBe(
    'read repository acme/fleet on github.com failed: no response (ECONNREFUSED). Fix: check the host URL (baseUrl) and that this machine can reach github.com (proxy, DNS, firewall).',
  );
  expect(rewriteCommon({ status: 404, message: 'Not Found' }, ctx)).toBeUndefined();
});

test('apiCall maps statuses per call and drops the library error (its request holds the token)', async () => {
  const libraryError = Object.assign(new Error('HttpError'), {
    status: 404,
    request: { headers: { authorization: `token ${TOKEN}` } },
    response: { data: { message: 'Not Found' } },
  });
  expect(
    await apiCall(
      ctx,
      () => Promise.reject(libraryError),
      (f) => (f.status === 404 ? ABSENT : undefined),
    ),
  ).toBe(ABSENT);
  const thrown = await apiCall(ctx, () => Promise.reject(libraryError)).catch((e: Error) => e);
  expect(thrown).toBeInstanceOf(HostError);
  expect((thrown as Error & { cause?: unknown }).cause).toBeUndefined();
  expect(JSON.stringify(thrown) + String(thrown) + (thrown as Error).stack).not.toContain(TOKEN);
});

test('the real clients turn an unreachable API into a HostError naming the host and the fix', async () => {
  // below 1024: never handed out to the port-0 binds of the harness's servers, so nothing listens
  // (a free ephemeral port can be taken meanwhile); 1023 is not on fetch's list of blocked ports
  const port = 1023;
  for (const host of [
    new GitHubHost({ token: TOKEN, baseUrl: `http://127.0.0.1:${port}/api/v3`, retry: { retries: 0 } }),
    new GitLabHost({ token: 'glpat-abcdefghijklmnop1234', baseUrl: `http://127.0.0.1:${port}` }),
    new GiteaHost({ token: 'abcdef0123456789', baseUrl: `http://127.0.0.1:${port}` }),
  ]) {
    const err = await host.getRepository({ owner: 'acme', name: 'fleet' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^read (repository|project) acme/fleet on 127\\.0\\.0\\.1:${port} failed: no response \\((ECONNREFUSED|.*refused.*)\\)\\. Fix: check the host URL`,
      ),
    );
    expect((err as Error).message).not.toMatch(/ghp_|glpat-|abcdef0123456789/);
  }
});
