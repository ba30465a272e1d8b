// Pure helpers of the git layer: blob ids equal git's, the redactor removes every credential
// shape, and URLs, branches and paths are checked before git ever runs.
import { execFileSync } from 'node:child_process';
import { blobId, GitError, makeRedactor, parseRemoteUrl } from '../../provider/git';
import { checkBranch, checkPath } from '../../provider/git/remote-url';

test.each(['', 'a\n', 'ünïcode ✓\n', 'x'.repeat(100_000)])('blobId equals git hash-object (%#)', (content) => {
  const expected = execFileSync('git', ['hash-object', '--stdin'], { input: content, encoding: 'utf8' }).trim();
  expect(blobId(content)).toBe(expected);
  expect(blobId(Buffer.from(content))).toBe(expected);
});

describe('redactor', () => {
  const r = makeRedactor(['s3cr3t-token', 'hunter22']);
  test.each([
    ['known values', 'token s3cr3t-token and password hunter22', 'token [redacted] and password [redacted]'],
    ['https userinfo', 'fatal: https://user:pw@example.com/repo.git', 'fatal: https://[redacted]@example.com/repo.git'],
    ['https token userinfo', 'https://ghp_abc@github.com/x', 'https://[redacted]@github.com/x'],
    ['ssh password', 'ssh://git:pw@host/repo', 'ssh://git:[redacted]@host/repo'],
    ['ssh user stays', 'ssh://git@host:2222/repo', 'ssh://git@host:2222/repo'],
    ['authorization header', 'Authorization: Bearer abc.def', 'Authorization: [redacted]'],
    ['basic header', 'authorization: Basic Z2l0OnB3', 'authorization: [redacted]'],
    ['github token', 'token ghp_0123456789abcdefghijABCDEFGHIJ here', 'token [redacted token] here'],
    ['gitlab token', 'glpat-0123456789abcdefghij', '[redacted token]'],
    ['private key', 'x -----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY----- y', 'x [redacted private key] y'],
    ['truncated private key', '-----BEGIN PRIVATE KEY-----\nAAAA', '[redacted private key]'],
  ])('%s', (_n, input, output) => {
    expect(r(input)).toBe(output);
  });
});

describe('remote URLs', () => {
  test.each([
    ['ssh://git@127.0.0.1:2222/owner/repo', 'ssh', '127.0.0.1', 2222],
    ['ssh://git@github.com/owner/repo', 'ssh', 'github.com', 22],
    ['git@github.com:owner/repo.git', 'ssh', 'github.com', 22],
    ['https://github.com/owner/repo.git', 'https', 'github.com', 443],
    ['http://127.0.0.1:8080/r.git', 'http', '127.0.0.1', 8080],
  ])('%s', (url, scheme, host, port) => {
    expect(parseRemoteUrl(url)).toMatchObject({ scheme, host, port });
  });
  test('file:///tmp/r.git', () => expect(parseRemoteUrl('file:///tmp/r.git')).toEqual({ url: 'file:///tmp/r.git', scheme: 'file' }));

  test.each([
    ['https://user:pw@github.com/o/r.git', /carries credentials/],
    ['https://tok@github.com/o/r.git', /carries credentials/],
    ['ftp://host/r', /scheme "ftp" is not supported/],
    ['-uhack', /is not a git URL/],
    ['', /is not a git URL/],
  ])('refuses %s without echoing credentials', (url, message) => {
    const err = (() => {
      try {
        parseRemoteUrl(url);
      } catch (e) {
        return e as GitError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(GitError);
    expect(err!.kind).toBe('input');
    expect(err!.message).toMatch(message);
    expect(err!.message).not.toMatch(/:pw@|tok@/);
  });
});

test.each(['main', 'release/v1', 'feature-x_1.2'])('branch %s is accepted', (b) => expect(() => checkBranch(b)).not.toThrow());
test.each(['', '-x', 'a..b', 'a b', 'a~1', 'a:b', 'x.lock', 'refs/heads/main', 'a/.hidden', 'a//b', '@'])('branch %j is refused', (b) => {
  expect(() => checkBranch(b)).toThrow(/not a valid branch name/);
});
test('paths are normalised and confined to the repository', () => {
  expect(checkPath('./clusters/prod/')).toBe('clusters/prod');
  for (const bad of ['/etc/passwd', '../x', 'a/../b', '.git/config', 'a/.GIT/x', '', 'a//b']) {
    expect(() => checkPath(bad)).toThrow(/not a repository-relative path/);
  }
});
