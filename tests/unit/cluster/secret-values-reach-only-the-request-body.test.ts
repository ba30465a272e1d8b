import { secretBody } from '../../../provider/cluster/secret-apply';
import { Secret } from '../../../provider/secret';

describe('the Secret body sent to the API server', () => {
  test('stringData is folded into base64 data, wrapped values are revealed, type defaults to Opaque', () => {
    const body = secretBody({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'flux-system', namespace: 'flux-system' },
      stringData: { identity: new Secret('-----BEGIN KEY-----'), known_hosts: 'github.com ssh-ed25519 AAAA' },
    });
    expect(body.stringData).toBeUndefined();
    expect(body.type).toBe('Opaque');
    expect(Buffer.from((body.data as Record<string, string>).identity, 'base64').toString()).toBe('-----BEGIN KEY-----');
  });

  test('the image pull secret keeps its type and key', () => {
    const body = secretBody({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/dockerconfigjson',
      metadata: { name: 'regcred', namespace: 'flux-system' },
      stringData: { '.dockerconfigjson': '{"auths":{}}' },
    });
    expect(body.type).toBe('kubernetes.io/dockerconfigjson');
    expect(Object.keys(body.data as object)).toEqual(['.dockerconfigjson']);
  });

  test('anything but a v1 Secret is refused', () => {
    expect(() => secretBody({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toThrow(/not a v1 Secret/);
  });
});
