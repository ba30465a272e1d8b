// The deploy key pair: a `tls_private_key` generated at apply time (kept in the Terraform state,
// like every secret Terraform manages), or the key the user gives.
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import type { Construct } from 'constructs';
import type { DeployKeyProps } from './props';

export interface KeyPair {
  /** the Secret's `identity`: OpenSSH format for ed25519 (OpenSSH 9 cannot load PKCS#8
   *  ed25519), PKCS#8 PEM for ecdsa and rsa, as the rest of flux-bootstrap writes them */
  privateKey: string;
  /** authorized_keys form, the Secret's `identity.pub` and the deploy key */
  publicKey: string;
  /** absent for a given key */
  resource?: PrivateKey;
}

const CURVES = { p256: 'P256', p384: 'P384', p521: 'P521' } as const;

export function deployKeyPair(scope: Construct, props: DeployKeyProps = {}): KeyPair {
  if (props.privateKey !== undefined && props.publicKey !== undefined) {
    return { privateKey: props.privateKey, publicKey: props.publicKey };
  }
  // tls has no configuration; an aliased instance never clashes with the user's own
  const provider = new TlsProvider(scope, 'tls', { alias: `${scope.node.id}-tls` });
  const algorithm = props.algorithm ?? 'ed25519';
  const key = new PrivateKey(scope, 'private-key', {
    provider,
    algorithm: algorithm.toUpperCase(),
    ecdsaCurve: algorithm === 'ecdsa' ? CURVES[props.curve ?? 'p384'] : undefined,
    rsaBits: algorithm === 'rsa' ? (props.bits ?? 4096) : undefined,
  });
  return {
    privateKey: algorithm === 'ed25519' ? key.privateKeyOpenssh : key.privateKeyPemPkcs8,
    publicKey: key.publicKeyOpenssh,
    resource: key,
  };
}
