// flux bootstrap git as a CDK for Terraform program, for a plain Git server over SSH (gitolite,
// Gitea, an internal server): `cdktf deploy` generates the deploy key (tls_private_key) and
// installs Flux in the cluster with it. Terraform has no provider for a plain Git server, so
// the repository side stays outside the stack: synth writes the three files Flux syncs under
// cdktf.out/repository/, for your pipeline to commit and push, and the public key is an output
// to register as a read-only deploy key.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import * as tls from '@cdktf/provider-tls';
import { FluxCluster } from 'flux-bootstrap/cdktf';

const env = process.env;
const app = new App();
const stack = new TerraformStack(app, 'cluster');

const key = new tls.privateKey.PrivateKey(stack, 'deploy-key', {
  provider: new tls.provider.TlsProvider(stack, 'tls'),
  algorithm: 'ED25519',
});
const flux = new FluxCluster(stack, 'flux', {
  version: env.FLUX_VERSION ?? 'v2.9.3',
  // a directory or manifests.tar.gz of the release; default: its GitHub release, cached
  distribution: env.FLUX_DISTRIBUTION,
  namespace: env.FLUX_NAMESPACE,
  path: env.FLUX_PATH ?? 'clusters/prod',
  url: env.GIT_URL ?? 'ssh://git@git.example.com/fleet.git',
  credentials: {
    privateKey: key.privateKeyOpenssh,
    publicKey: key.publicKeyOpenssh,
    knownHosts: env.GIT_KNOWN_HOSTS ?? fs.readFileSync(env.GIT_KNOWN_HOSTS_FILE ?? 'known_hosts', 'utf8'),
  },
  cluster: { configPath: env.KUBECONFIG ?? `${env.HOME}/.kube/config`, configContext: env.KUBE_CONTEXT },
  // a cluster without nodes (a test API server) never runs the controllers: turn waiting off there
  apply: env.FLUX_WAIT === 'false' ? { waitForRollout: false, waitForReady: false } : undefined,
});
new TerraformOutput(stack, 'public_key', { value: key.publicKeyOpenssh });

app.synth();

// the files to commit, next to the synthesized stack
const repo = path.join(app.outdir, 'repository');
for (const [file, content] of Object.entries(flux.desired.files)) {
  fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  fs.writeFileSync(path.join(repo, file), content);
}
