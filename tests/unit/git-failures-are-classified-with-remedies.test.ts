// What git and the servers print becomes one kind of GitError with a remedy. The texts are
// the servers' own (GitHub, GitLab, Gitea, plain git over SSH, the harness's git-serve).
import { classifyFailure } from '../../provider/git/git-error';

const ctx = {
  url: 'ssh://git@git.example.com/org/fleet',
  authKind: 'ssh' as const,
  host: 'git.example.com',
  port: 22,
  keyFingerprint: 'SHA256:abc',
};
const kind = (stderr: string) => classifyFailure(stderr, ctx).kind;

test.each([
  ['GitHub', 'ERROR: Repository not found.\nfatal: Could not read from remote repository.'],
  [
    'GitLab',
    "remote: \nremote: ========================================================================\nremote: \nremote: The project you were looking for could not be found or you don't have permission to view it.",
  ],
  ['plain git over SSH', "fatal: '/srv/git/org/fleet.git' does not appear to be a git repository"],
  [
    'a server that says the repository does not exist',
    'git-ssh (flux-bootstrap test server): repository org/fleet does not exist\nfatal: Could not read from remote repository.',
  ],
])('%s: a missing repository is not-found', (_server, stderr) => {
  expect(kind(stderr)).toBe('not-found');
  expect(classifyFailure(stderr, ctx).message).toContain(
    'the repository ssh://git@git.example.com/org/fleet was not found. Fix: check the URL',
  );
});

test('a read-only key that pushes is an auth failure naming the key to give write access', () => {
  const e = classifyFailure(
    'ERROR: The key you are authenticating with has been marked as read only.\nfatal: Could not read from remote repository.',
    ctx,
  );
  expect(e.kind).toBe('auth');
  expect(e.message).toContain('give the deploy key SHA256:abc write access');
});

test('an unknown host key is a host-key failure with the ssh-keyscan to run', () => {
  const e = classifyFailure(
    'No ED25519 host key is known for git.example.com and you have requested strict checking.\nHost key verification failed.',
    ctx,
  );
  expect(e.kind).toBe('host-key');
  expect(e.message).toContain('ssh-keyscan git.example.com');
});

test('a refused connection is a network failure', () => {
  expect(kind('ssh: connect to host git.example.com port 22: Connection refused')).toBe('network');
});
