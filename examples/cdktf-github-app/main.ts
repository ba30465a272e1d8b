// flux bootstrap on GitHub as a GitHub App, as a CDK for Terraform program: the github provider
// authenticates with app_auth, Flux's GitRepository pulls with the same App (provider: github,
// https), and no deploy key or personal token exists. The App's private key is a sensitive
// variable: `TF_VAR_github_app_pem="$(cat app.pem)" cdktf deploy`.
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { FluxBootstrap } from 'flux-bootstrap/cdktf';

const env = process.env;
const app = new App();
const stack = new TerraformStack(app, 'fleet');
const pem = new TerraformVariable(stack, 'github_app_pem', {
  type: 'string',
  sensitive: true,
  description: 'a private key of the GitHub App (PEM)',
});

new FluxBootstrap(stack, 'flux', {
  version: env.FLUX_VERSION ?? 'v2.9.3',
  distribution: env.FLUX_DISTRIBUTION,
  repository: {
    host: 'github',
    owner: env.GITHUB_OWNER ?? 'acme',
    name: env.GITHUB_REPOSITORY ?? 'fleet',
    // GitHub Enterprise: https://HOST (Flux's githubAppBaseURL becomes https://HOST/api/v3)
    baseUrl: env.GITHUB_BASE_URL,
    auth: {
      appId: env.GITHUB_APP_ID ?? '123456',
      installationId: env.GITHUB_APP_INSTALLATION_ID ?? '45678901',
      privateKey: pem.stringValue,
    },
  },
  path: env.FLUX_PATH ?? 'clusters/prod',
  cluster: {
    configPath: env.KUBECONFIG ?? `${env.HOME}/.kube/config`,
    configContext: env.KUBE_CONTEXT,
  },
});

app.synth();
