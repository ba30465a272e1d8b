// flux bootstrap git on CDK Terrain (the `cdktn` library), for a plain Git server over SSH: the
// cluster side (FluxCluster) with the key you made and registered as a read-only deploy key.
// The private key is a sensitive variable (TF_VAR_deploy_key), so it stays out of cdktf.out and
// the CLI's output. Synth also writes the three files Flux syncs under cdktf.out/repository/,
// for your pipeline to commit and push.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack, TerraformVariable } from 'cdktn';
import { FluxCluster } from 'flux-bootstrap/cdktf';

const env = process.env;
const app = new App();
const stack = new TerraformStack(app, 'cluster');
const deployKey = new TerraformVariable(stack, 'deploy_key', { type: 'string', sensitive: true });

const flux = new FluxCluster(stack, 'flux', {
  version: env.FLUX_VERSION ?? 'v2.9.3',
  // a directory or manifests.tar.gz of the release; default: its GitHub release, cached
  distribution: env.FLUX_DISTRIBUTION,
  namespace: env.FLUX_NAMESPACE,
  path: env.FLUX_PATH ?? 'clusters/prod',
  url: env.GIT_URL ?? 'ssh://git@git.example.com/fleet.git',
  credentials: {
    privateKey: deployKey.stringValue,
    publicKey: fs.readFileSync(env.DEPLOY_KEY_PUB ?? 'identity.pub', 'utf8').trim(),
    knownHosts: fs.readFileSync(env.GIT_KNOWN_HOSTS_FILE ?? 'known_hosts', 'utf8'),
  },
  cluster: { configPath: env.KUBECONFIG ?? `${env.HOME}/.kube/config`, configContext: env.KUBE_CONTEXT },
  // a cluster without nodes (a test API server) never runs the controllers: turn waiting off there
  apply: env.FLUX_WAIT === 'false' ? { waitForRollout: false, waitForReady: false } : undefined,
});

app.synth();

// the files to commit, next to the synthesized stack
for (const [file, content] of Object.entries(flux.desired.files)) {
  const out = path.join(app.outdir, 'repository', file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, content);
}
