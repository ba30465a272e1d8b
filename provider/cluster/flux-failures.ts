// Failures Flux reports that waiting cannot heal. source-controller and kustomize-controller
// retry them forever with backoff (Ready=False, status.observedGeneration left behind), so a
// wait that only looks at the generation sits out its whole timeout. Recognised from the
// controllers' own messages, each with the remedy a person can act on.

export interface KnownFailure {
  /** short name, also the error code */
  code: 'AuthenticationRefused' | 'HostKeyMismatch' | 'PathNotFound';
  /** what it means, in our words */
  reason: string;
  remedy: string;
}

interface Rule extends KnownFailure {
  test: RegExp;
}

const RULES: Rule[] = [
  {
    // go-git over SSH: "ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey] ..."
    test: /ssh: unable to authenticate|permission denied \(publickey/i,
    code: 'AuthenticationRefused',
    reason: 'the deploy key is not registered on the Git server (it refused the key)',
    remedy: 'give addKeyCommand, or register the publicKey output as a read-only deploy key of the repository; then run again',
  },
  {
    // go-git over HTTPS: "authentication required", "authorization failed", or a 401/403 status
    test: /authentication required|authorization failed|invalid username or password|unexpected client error: unexpected requesting .* status code: 40[13]/i,
    code: 'AuthenticationRefused',
    reason: 'the Git server refused the credentials',
    remedy: 'check the username and password or token given as credentials (and that it may read the repository); then run again',
  },
  {
    // "ssh: handshake failed: knownhosts: key mismatch" / "knownhosts: key is unknown"
    test: /knownhosts: key (mismatch|is unknown)|host key mismatch/i,
    code: 'HostKeyMismatch',
    reason: "the Git server's host key does not match the known_hosts given to Flux",
    remedy: "check the server's host key fingerprint and give the matching knownHosts (ssh-keyscan, checked out of band); then run again",
  },
  {
    // kustomize-controller: "kustomization path not found: stat /tmp/kustomization-.../clusters/x: no such file or directory"
    test: /kustomization path not found|path not found/i,
    code: 'PathNotFound',
    reason: "the Kustomization's path is not in the repository at the revision Flux fetched",
    remedy: 'check path and branch: the manifests must be committed under <path>/<namespace> on that branch',
  },
];

/** The failure a controller message stands for, or undefined when waiting may still heal it. */
export function knownFailure(message: string | undefined): KnownFailure | undefined {
  if (!message) return undefined;
  const rule = RULES.find((r) => r.test.test(message));
  return rule ? { code: rule.code, reason: rule.reason, remedy: rule.remedy } : undefined;
}

/** A failure's identity for "the same failure persists": reason and message with the retry
 *  countdowns and temp paths that change between attempts taken out. */
export function failureSignature(reason: string | undefined, message: string | undefined): string {
  return `${reason ?? ''}: ${(message ?? '').replace(/retrying in [0-9a-z.]+/gi, '').replace(/\/tmp\/[^\s/:]+/g, '/tmp/*')}`;
}
