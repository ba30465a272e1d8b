// The deploy key pair: a `tls_private_key` generated at apply time (kept in the Terraform state,
// like every secret Terraform manages), or the key the user gives.
import type { Construct } from 'constructs';
import { tlsPrivateKey, tlsProvider } from './bindings/tls';
import type { CdkLibrary } from './library';
import type { DeployKeyProps } from './props';
import type { KeyPair } from './construct-parts';

const CURVES = { p256: 'P256', p384: 'P384', p521: 'P521' } as const;

export function deployKeyPair(cdk: CdkLibrary, scope: Construct, props: DeployKeyProps = {}): KeyPair {
  if (props.privateKey !== undefined && props.publicKey !== undefined) {
    return { privateKey: props.privateKey, publicKey: props.publicKey };
  }
  // tls has no configuration; an aliased instance never clashes with the user's own
  const provider = new (tlsProvider(cdk))(scope, 'tls', { alias: `${scope.node.id}-tls` });
  const algorithm = props.algorithm ?? 'ed25519';
  const key = new (tlsPrivateKey(cdk))(scope, 'private-key', {
    provider,
    algorithm: algorithm.toUpperCase(),
    ecdsaCurve: algorithm === 'ecdsa' ? CURVES[props.curve ?? 'p384'] : undefined,
    rsaBits: algorithm === 'rsa' ? (props.bits ?? 4096) : undefined,
  });
  return {
    privateKey: key.getStringAttribute(algorithm === 'ed25519' ? 'private_key_openssh' : 'private_key_pem_pkcs8'),
    publicKey: key.getStringAttribute('public_key_openssh'),
    resource: key,
  };
}
