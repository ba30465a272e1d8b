// The source Secret's data as Terraform values: the ssh key pair and known_hosts, or (gitless)
// the registry pull Secret, whose .dockerconfigjson Terraform computes so that a password
// variable stays a sensitive variable; no Secret at all for an anonymous pull without a CA.
import type { SourceSecretShape } from '../generate/secrets';
import type { CdkLibrary } from './library';
import type { RegistryCredentialsProps, SshCredentialsProps } from './props';

export interface SourceSecretInput {
  shape: SourceSecretShape;
  data: Record<string, string>;
}

export function sshData(c: SshCredentialsProps): Record<string, string> {
  return { identity: c.privateKey, 'identity.pub': c.publicKey, known_hosts: c.knownHosts };
}

export function ociSourceData({ Fn }: CdkLibrary, shape: SourceSecretShape, c: RegistryCredentialsProps): SourceSecretInput | undefined {
  if (shape.absent) return undefined;
  const data: Record<string, string> = {};
  if (shape.keys.includes('.dockerconfigjson')) {
    const user = c.username ?? '';
    const password = c.password ?? '';
    data['.dockerconfigjson'] = Fn.jsonencode({
      auths: { [shape.registry ?? '']: { username: user, password, auth: Fn.base64encode(Fn.join(':', [user, password])) } },
    });
  }
  if (shape.keys.includes('ca.crt') && c.caPem) data['ca.crt'] = c.caPem;
  return { shape, data };
}
