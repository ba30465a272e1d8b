// flux bootstrap github as a CDK for Terraform program: `cdktf deploy` creates the repository
// (private), a read-only ed25519 deploy key, commits the three Flux manifests and installs Flux
// in the cluster with the flux-system Secret. The GitHub provider reads GITHUB_TOKEN.
import { App, TerraformStack } from 'cdktf';
import { FluxBootstrap } from 'flux-bootstrap/cdktf';

const env = process.env;
const app = new App();
const stack = new TerraformStack(app, 'fleet');

new FluxBootstrap(stack, 'flux', {
  version: env.FLUX_VERSION ?? 'v2.9.3',
  // a directory or manifests.tar.gz of the release; default: its GitHub release, cached
  distribution: env.FLUX_DISTRIBUTION,
  repository: {
    host: 'github',
    owner: env.GITHUB_OWNER ?? 'acme',
    name: env.GITHUB_REPOSITORY ?? 'fleet',
  },
  path: env.FLUX_PATH ?? 'clusters/prod',
  cluster: {
    configPath: env.KUBECONFIG ?? `${env.HOME}/.kube/config`,
    configContext: env.KUBE_CONTEXT,
  },
});

app.synth();
