import { inspect } from 'node:util';
import { connect } from '../../../provider/cluster/connection';
import { connectionKind, inlineKubeConfig } from '../../../provider/cluster/connection-spec';
import { Secret } from '../../../provider/secret';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const TOKEN = 'tok-3f9a1c-very-secret';

describe('connection spec', () => {
  test('inline fields become a one-context kubeconfig with base64 PEMs and TLS verification on', () => {
    const kc = inlineKubeConfig({ host: 'https://10.0.0.1:6443/', caPem: CA, token: new Secret(TOKEN) });
    expect(kc.currentContext).toBe(kc.contexts[0].name);
    expect(kc.clusters[0]).toEqual({
      name: kc.contexts[0].cluster,
      server: 'https://10.0.0.1:6443',
      skipTLSVerify: false,
      caData: Buffer.from(CA).toString('base64'),
    });
    expect(kc.users[0].token).toBe(TOKEN);
  });

  test('an exec plugin is passed with its environment as name/value pairs', () => {
    const kc = inlineKubeConfig({ host: 'https://k', exec: { command: 'aws', args: ['eks', 'get-token'], env: { AWS_PROFILE: 'p' } } });
    expect(kc.users[0].exec).toMatchObject({
      apiVersion: 'client.authentication.k8s.io/v1',
      command: 'aws',
      args: ['eks', 'get-token'],
      env: [{ name: 'AWS_PROFILE', value: 'p' }],
    });
  });

  test('exactly one way of naming the cluster is accepted', () => {
    expect(() => connectionKind({})).toThrow(/no Kubernetes cluster given.*Fix:/);
    expect(() => connectionKind({ host: 'https://a', kubeconfigPath: '/k' })).toThrow(/more than one way/);
    expect(connectionKind({ kubeconfig: 'apiVersion: v1' })).toBe('kubeconfig');
  });

  test('half a client certificate and a non-URL host are refused with a remedy', () => {
    expect(() => inlineKubeConfig({ host: 'https://a', clientCertPem: 'x' })).toThrow(/together/);
    expect(() => inlineKubeConfig({ host: 'a:6443' })).toThrow(/not an http\(s\) URL.*Fix: use e\.g\./);
  });

  test('a context that the kubeconfig lacks is named, with the ones it has', async () => {
    const kubeconfig = `apiVersion: v1
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]
users: [{name: u, user: {token: ${TOKEN}}}]
contexts: [{name: ctx-a, context: {cluster: c, user: u}}]
current-context: ctx-a
`;
    await expect(connect({ kubeconfig, context: 'ctx-b' }, { verify: false })).rejects.toThrow(/no context "ctx-b" \(it has: ctx-a\)/);
  });
});

describe('a connection never shows its credentials', () => {
  test('String, JSON and inspect show the server only', async () => {
    const conn = await connect({ host: 'https://127.0.0.1:1', caPem: CA, token: TOKEN }, { verify: false });
    try {
      for (const text of [String(conn), JSON.stringify(conn), inspect(conn, { depth: 10, showHidden: true })]) {
        expect(text).toContain('https://127.0.0.1:1');
        expect(text).not.toContain(TOKEN);
      }
    } finally {
      conn.close();
    }
  });
});
