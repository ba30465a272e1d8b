// Turns any accepted private key into an unencrypted OpenSSH key for `ssh -i` in a 0700 temp
// dir. Encrypted OpenSSH keys use bcrypt-pbkdf, which Node lacks: ssh-keygen decrypts them,
// reading the passphrase from an askpass helper through the environment (never argv).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exec } from '../git/exec';
import { withTempDir, writePrivate } from '../git/tempdir';
import { KeyError } from './key-error';
import { decodeOpenSSHPrivateKey, encodeOpenSSHPrivateKey } from './openssh-format';
import { parsePrivateKey, type ParsedPrivateKey } from './parse';

const ASKPASS_ENV = 'FLUX_BOOTSTRAP_ASKPASS';

export interface UnlockedKey {
  parsed: ParsedPrivateKey;
  /** secret: unencrypted OpenSSH PEM */
  openssh: string;
}

export async function unlockPrivateKey(pem: string, passphrase?: string): Promise<UnlockedKey> {
  const parsed = parsePrivateKey(pem, passphrase);
  if (parsed.keyObject) return { parsed, openssh: encodeOpenSSHPrivateKey(parsed.keyObject) };
  if (!passphrase) throw new KeyError('the private key is encrypted and no passphrase was given', "give the key's passphrase");
  const openssh = await withTempDir(async (dir) => {
    const keyFile = path.join(dir, 'key');
    const askpass = path.join(dir, 'askpass');
    writePrivate(keyFile, pem.endsWith('\n') ? pem : pem + '\n');
    fs.writeFileSync(askpass, `#!/bin/sh\nprintf '%s\\n' "$${ASKPASS_ENV}"\n`, { mode: 0o700 });
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LC_ALL: 'C',
      HOME: dir,
      SSH_ASKPASS: askpass,
      SSH_ASKPASS_REQUIRE: 'force',
      DISPLAY: 'none',
      [ASKPASS_ENV]: passphrase,
    };
    // -N '' writes the key back without a passphrase; the old one comes from askpass.
    const r = await exec('ssh-keygen', ['-q', '-p', '-N', '', '-f', keyFile], { env, timeoutMs: 30_000 });
    if (r.code !== 0) {
      if (/incorrect passphrase|bad passphrase/i.test(r.stderr)) {
        throw new KeyError('the passphrase does not decrypt the private key', 'give the passphrase the key was encrypted with');
      }
      throw new KeyError(
        'ssh-keygen could not decrypt the OpenSSH private key',
        'check the key and passphrase with: ssh-keygen -y -f <keyfile>',
      );
    }
    return fs.readFileSync(keyFile, 'utf8');
  });
  const decoded = decodeOpenSSHPrivateKey(openssh);
  if (!decoded.privateKey)
    throw new KeyError('the OpenSSH private key is still encrypted after decryption', 'check the key with: ssh-keygen -y -f <keyfile>');
  const full: ParsedPrivateKey = { ...parsed };
  Object.defineProperty(full, 'keyObject', { value: decoded.privateKey, enumerable: false });
  return { parsed: full, openssh: encodeOpenSSHPrivateKey(decoded.privateKey) };
}
