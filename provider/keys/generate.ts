// Deploy key generation. Formats match what Flux's source-controller and OpenSSH both load:
// rsa and ecdsa as PKCS#8 "PRIVATE KEY" (what `flux create secret git` writes, via
// fluxcd/pkg/ssh), ed25519 in the OpenSSH format because OpenSSH 9.x cannot load PKCS#8
// ed25519 (flux writes PKCS#8 there too; Go reads both, so this only widens who can use it).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { KeyError } from './key-error';
import { encodeOpenSSHPrivateKey } from './openssh-format';
import { CURVES, publicKeyInfo, type EcdsaCurve, type KeyAlgorithm, type PublicKeyInfo } from './public-key';

export interface DeployKeyOptions {
  /** default 'ed25519' */
  algorithm?: KeyAlgorithm;
  /** ecdsa only; default 'p384' like the flux CLI */
  curve?: EcdsaCurve;
  /** rsa only; default 4096; at least 2048 and a multiple of 8 */
  bits?: number;
}

export interface DeployKey extends PublicKeyInfo {
  /** secret: the Secret's `identity` */
  privateKeyPem: string;
}

export function generateDeployKey(opts: DeployKeyOptions = {}): DeployKey {
  const algorithm = opts.algorithm ?? 'ed25519';
  let key: KeyObject;
  switch (algorithm) {
    case 'ed25519':
      rejectOption(opts.curve !== undefined, 'curve', algorithm);
      rejectOption(opts.bits !== undefined, 'bits', algorithm);
      key = generateKeyPairSync('ed25519').privateKey;
      break;
    case 'ecdsa': {
      rejectOption(opts.bits !== undefined, 'bits', algorithm);
      const curve = opts.curve ?? 'p384';
      if (!CURVES[curve]) throw new KeyError(`unknown ECDSA curve "${String(curve)}"`, 'use p256, p384 or p521');
      key = generateKeyPairSync('ec', { namedCurve: CURVES[curve].jwk }).privateKey;
      break;
    }
    case 'rsa': {
      rejectOption(opts.curve !== undefined, 'curve', algorithm);
      const bits = opts.bits ?? 4096;
      // 2048 is the floor git hosts and OpenSSH's RequiredRSASize still accept comfortably.
      if (!Number.isInteger(bits) || bits < 2048 || bits > 16384 || bits % 8 !== 0) {
        throw new KeyError(`RSA key size ${bits} is not supported`, 'use a multiple of 8 between 2048 and 16384, e.g. 4096');
      }
      key = generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;
      break;
    }
    default:
      throw new KeyError(`unknown key algorithm "${String(algorithm)}"`, 'use ed25519, ecdsa or rsa');
  }
  const privateKeyPem = algorithm === 'ed25519' ? encodeOpenSSHPrivateKey(key) : (key.export({ type: 'pkcs8', format: 'pem' }) as string);
  return { ...publicKeyInfo(key), privateKeyPem };
}

function rejectOption(given: boolean, option: string, algorithm: string): void {
  if (given) throw new KeyError(`"${option}" does not apply to ${algorithm} keys`, `remove "${option}" or choose another algorithm`);
}
