// FluxBootstrap with repository.auth (a GitHub App): the construct's github provider gets
// app_auth, there is no deploy key and no tls key, gotk-sync.yaml says provider: github with the
// https URL, and Flux's Secret holds the App's three keys (and the Enterprise base URL).
import { generateKeyPairSync } from 'node:crypto';
import { TerraformVariable } from 'cdktf';
import { unescapeTemplate, baseProps, resource, synthFlux } from './support/cdktf';
import { distribution } from './support/reference';
import { secretOf } from './support/secret-manifest';
import type { Distribution } from '../../provider/engine';

let dist: Distribution;
beforeAll(async () => {
  dist = await distribution('v2.9.3');
});

test('app_auth on the provider, no deploy key, provider github over https, the App in the Secret', () => {
  const { json } = synthFlux((stack) => {
    const pem = new TerraformVariable(stack, 'app_pem', { type: 'string', sensitive: true });
    return baseProps(dist, {
      path: 'clusters/prod',
      repository: {
        host: 'github',
        owner: 'acme',
        name: 'fleet',
        baseUrl: 'https://ghe.example.com',
        auth: { appId: '123', installationId: '456', privateKey: pem.stringValue },
      },
    });
  });
  const provider = json.provider.github[0] as { app_auth?: Array<Record<string, unknown>> | Record<string, unknown>; token?: unknown };
  const appAuth = Array.isArray(provider.app_auth) ? provider.app_auth[0] : provider.app_auth;
  expect(appAuth).toMatchObject({ id: '123', installation_id: '456', pem_file: '${var.app_pem}' });
  expect(provider.token).toBeUndefined();
  expect(json.resource.github_repository_deploy_key).toBeUndefined();
  expect(json.resource.tls_private_key).toBeUndefined();
  expect(json.data?.github_ssh_keys).toBeUndefined();
  const sync = unescapeTemplate(resource(json, 'github_repository_file', 'gotk-sync').content);
  expect(sync).toContain('  provider: github\n');
  expect(sync).toContain('url: https://ghe.example.com/acme/fleet.git');
  const secret = secretOf(json, 'source-secret');
  expect(secret.data).toEqual({
    githubAppID: '123',
    githubAppInstallationID: '456',
    githubAppPrivateKey: '${var.app_pem}',
    githubAppBaseURL: 'https://ghe.example.com/api/v3',
  });
});

test('a key that is not RSA, or a token beside the App, fails at synth naming the field', () => {
  const ec = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  expect(() =>
    synthFlux(
      baseProps(dist, {
        repository: { host: 'github', owner: 'acme', name: 'fleet', token: 't', auth: { appId: '1', installationId: 'x', privateKey: ec } },
      }),
    ),
  ).toThrow(
    /invalid repository\.token \[secret\]: cannot be combined with auth[\s\S]*invalid repository\.auth\.installationId "x": must be the numeric installation ID[\s\S]*invalid repository\.auth\.privateKey \[secret\]: is an ec key/,
  );
});
