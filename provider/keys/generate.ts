// Deploy key generation. Formats match what Flux's source-controller and OpenSSH both load:
// rsa and ecdsa as PKCS#8 "PRIVATE KEY" (what `flux create secret git` writes, via
// fluxcd/pkg/ssh), ed25519 in the OpenSSH format because OpenSSH 9.x cannot load PKCS#8
// ed25519 (flux writes PKCS#8 there too; Go reads both, so this only widens who can use it).
import { generateKeyPairSync } from 'node:crypto';
import { keyOptionProblems } from '../../schema/deploy-key-checks';
import { InputErrors } from '../errors';
import { encodeOpenSSHPrivateKey } from './openssh-format';
import { CURVES, publicKeyInfo, type EcdsaCurve, type KeyAlgorithm, type PublicKeyInfo } from './public-key';

export interface DeployKeyOptions {
  /** default 'ed25519' */
  algorithm?: KeyAlgorithm;
  /** ecdsa only; default 'p384' like the flux CLI */
  curve?: EcdsaCurve;
  /** rsa only; default 4096 (sizes: schema/deploy-key-checks.ts) */
  bits?: number;
}

export interface DeployKey extends PublicKeyInfo {
  /** secret: the Secret's `identity` */
  privateKeyPem: string;
}

export function generateDeployKey(opts: DeployKeyOptions = {}): DeployKey {
  // the rules every front end checks the inputs with, in the same words
  InputErrors.throwIfAny(keyOptionProblems({ algorithm: opts.algorithm, curve: opts.curve, bits: opts.bits }));
  const algorithm = opts.algorithm ?? 'ed25519';
  const key =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519').privateKey
      : algorithm === 'ecdsa'
        ? generateKeyPairSync('ec', { namedCurve: CURVES[opts.curve ?? 'p384'].jwk }).privateKey
        : generateKeyPairSync('rsa', { modulusLength: opts.bits ?? 4096 }).privateKey;
  const privateKeyPem = algorithm === 'ed25519' ? encodeOpenSSHPrivateKey(key) : (key.export({ type: 'pkcs8', format: 'pem' }) as string);
  return { ...publicKeyInfo(key), privateKeyPem };
}
