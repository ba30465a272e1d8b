// Commit signing inside the operation's temp dir: an SSH key file for gpg.format=ssh
// (ssh-keygen -Y sign), or a throwaway GNUPGHOME for OpenPGP. Passphrases reach gpg through
// the environment and a file descriptor, never argv; the gpg-agent is stopped afterwards.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unlockPrivateKey } from '../keys/unlock';
import { KeyError } from '../keys/key-error';
import { Secret } from '../secret';
import type { SecretValue } from './auth';
import { exec } from './exec';
import { GitError } from './git-error';
import { writePrivate } from './tempdir';
import type { GitSession } from './session';

export type CommitSigning =
  /** privateKey: like GitAuth's ssh key; git signs with ssh-keygen -Y sign */
  | { format: 'ssh'; privateKey: SecretValue; passphrase?: SecretValue }
  /** privateKey: ASCII-armored secret key; keyId: which key to use when it holds several */
  | { format: 'openpgp'; privateKey: SecretValue; passphrase?: SecretValue; keyId?: string };

export interface PreparedSigning {
  /** `-c` options for `git commit-tree -S` (paths and key ids only, no secrets) */
  configArgs: string[];
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

type Unwrapped =
  | { format: 'ssh'; privateKey: string; passphrase?: string }
  | { format: 'openpgp'; privateKey: string; passphrase?: string; keyId?: string };

const GPG_PASS_ENV = 'FLUX_BOOTSTRAP_GPG_PASSPHRASE';

export async function prepareSigning(s: GitSession, wrapped: CommitSigning): Promise<PreparedSigning> {
  const signing = {
    ...wrapped,
    privateKey: Secret.unwrap(wrapped.privateKey),
    passphrase: wrapped.passphrase === undefined ? undefined : Secret.unwrap(wrapped.passphrase),
  } as Unwrapped;
  s.addSecrets([signing.privateKey, signing.passphrase ?? '']);
  if (signing.format === 'ssh') {
    let openssh: string;
    try {
      openssh = (await unlockPrivateKey(signing.privateKey, signing.passphrase)).openssh;
    } catch (e) {
      if (e instanceof KeyError) throw new GitError('input', `signing key: ${e.reason}`, e.remedy);
      throw e;
    }
    s.addSecrets([openssh]);
    const keyFile = path.join(s.dir, 'signing_key');
    writePrivate(keyFile, openssh);
    return { configArgs: ['-c', 'gpg.format=ssh', '-c', `user.signingKey=${keyFile}`], env: {}, cleanup: () => Promise.resolve() };
  }
  if (signing.format === 'openpgp') return prepareOpenPgp(s, signing);
  throw new GitError('input', 'signing.format must be "ssh" or "openpgp"', 'choose one of them');
}

async function prepareOpenPgp(s: GitSession, signing: Extract<Unwrapped, { format: 'openpgp' }>): Promise<PreparedSigning> {
  const home = path.join(s.dir, 'gnupg');
  fs.mkdirSync(home, { mode: 0o700 });
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', GNUPGHOME: home, LC_ALL: 'C', HOME: s.dir };
  const cleanup = async () => {
    await exec('gpgconf', ['--kill', 'gpg-agent'], { env, timeoutMs: 10_000 }).catch(() => undefined);
  };
  try {
    const imp = await exec('gpg', ['--batch', '--no-tty', '--import'], { env, input: signing.privateKey, timeoutMs: 60_000 });
    if (imp.code !== 0)
      throw new GitError(
        'input',
        'the OpenPGP signing key could not be imported',
        'give an ASCII-armored secret key (gpg --armor --export-secret-keys KEYID)',
        s.redact(imp.stderr).slice(-1000),
      );
    const list = await exec('gpg', ['--batch', '--no-tty', '--with-colons', '--list-secret-keys'], { env, timeoutMs: 30_000 });
    const fprs = list.stdout
      .toString('utf8')
      .split('\n')
      .filter((l) => l.startsWith('fpr:'))
      .map((l) => l.split(':')[9]);
    const keyId = signing.keyId ?? fprs[0];
    if (!keyId) throw new GitError('input', 'the OpenPGP key holds no secret key', 'export the secret key, not the public key');
    // git runs gpg.program with the payload on stdin; the wrapper feeds the passphrase on fd 3.
    const wrapper = path.join(s.dir, 'gpg-sign');
    fs.writeFileSync(
      wrapper,
      signing.passphrase
        ? `#!/bin/sh\nexec gpg --batch --no-tty --pinentry-mode loopback --passphrase-fd 3 "$@" 3<<EOF\n$${GPG_PASS_ENV}\nEOF\n`
        : '#!/bin/sh\nexec gpg --batch --no-tty "$@"\n',
      { mode: 0o700 },
    );
    return {
      configArgs: ['-c', 'gpg.format=openpgp', '-c', `gpg.program=${wrapper}`, '-c', `user.signingKey=${keyId}`],
      env: { GNUPGHOME: home, ...(signing.passphrase ? { [GPG_PASS_ENV]: signing.passphrase } : {}) },
      cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
