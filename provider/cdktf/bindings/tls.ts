// hashicorp/tls: the provider block (no settings) and `tls_private_key`, the generated deploy
// key, with the pins of @cdktf/provider-tls 11.0 (hashicorp/tls 4.1.0).
import { providerBinding, resourceBinding, type ProviderSpec } from './define';

export const TLS: ProviderSpec = { name: 'tls', source: 'hashicorp/tls', version: '4.1.0', constraint: '~> 4.0' };

export const tlsProvider = providerBinding<object>(TLS, {});

export interface TlsPrivateKeyConfig {
  /** ED25519, ECDSA or RSA */
  readonly algorithm: string;
  /** P256, P384 or P521 */
  readonly ecdsaCurve?: string;
  readonly rsaBits?: number;
}

/** Attributes: private_key_openssh, private_key_pem_pkcs8, public_key_openssh (and the other forms). */
export const tlsPrivateKey = resourceBinding<TlsPrivateKeyConfig>(TLS, 'tls_private_key', {
  algorithm: 'string',
  ecdsaCurve: 'string',
  rsaBits: 'number',
});
