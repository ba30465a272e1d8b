// The Flux Terraform provider side by side: terraform-provider-flux v1.8.5's `flux_bootstrap_git`
// under the harness's OpenTofu, against the same sshd and API server, with the harness's Flux
// controllers reconciling. Its apply waits for the controller Deployments to be healthy, which
// a cluster without nodes never makes them: deployments-available.ts writes their status while
// it runs. Measured: first apply of v2.9.3 (the release ours installs first), a no-change plan
// (it refreshes by cloning), a version bump v2.8.5 -> v2.9.3 as ours makes it (the provider
// embeds one release: it first goes back to the v2.8.5 build, unmeasured, then the bump
// switches to the v2.9.3 build through dev_overrides), with git sessions, bytes and API
// requests counted on the servers. Skipped, with a line saying why, when ../shared is absent.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connect, uninstall } from '../../provider/cluster';
import { createBareRepo, generateKeyPair, grantKey, repoDir, urlFor, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { buildTofu } from '../harness/opentofu-build';
import { markDeploymentsAvailable } from './deployments-available';
import { measure, type Cost } from './observe';
import { anchorTarball, buildTerraformProvider } from './terraform-provider-build';
import { namespaceGone } from './namespace-gone';

const FROM = 'v2.8.5';
const TO = 'v2.9.3';

function cliConfig(file: string, providerDir: string): void {
  fs.writeFileSync(
    file,
    ['provider_installation {', `  dev_overrides { "fluxcd/flux" = ${JSON.stringify(providerDir)} }`, '  direct {}', '}', ''].join('\n'),
  );
}

function configuration(kube: KubeInfo, url: string, keyFile: string): string {
  return [
    'terraform {',
    '  required_providers {',
    '    flux = { source = "fluxcd/flux" }',
    '  }',
    '}',
    'provider "flux" {',
    `  kubernetes = { config_path = ${JSON.stringify(kube.kubeconfig)} }`,
    `  git = { url = ${JSON.stringify(url)}, branch = "main", ssh = { username = "git", private_key = file(${JSON.stringify(keyFile)}) } }`,
    '}',
    'resource "flux_bootstrap_git" "this" {',
    '  path               = "clusters/tf"',
    '  embedded_manifests = true',
    '}',
    '',
  ].join('\n');
}

/** A first commit on main, written in the bare repository itself (no git session to count):
 *  the provider clones the branch and fails on an empty repository ("reference not found"), so,
 *  as with a repository its users create with a first commit, the branch must exist. */
function seedBranch(bare: string): void {
  const who = {
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@localhost',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@localhost',
  };
  const git = (args: string[], input?: string) =>
    execFileSync('git', ['-C', bare, ...args], { env: { ...process.env, ...who }, input, encoding: 'utf8' }).trim();
  const tree = git(['mktree'], '');
  git(['update-ref', 'refs/heads/main', git(['commit-tree', tree, '-m', 'Initial commit'])]);
}

export interface TofuRun {
  cost: Cost;
  code: number;
  output: string;
}

function run(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString('utf8');
    });
    child.stderr.on('data', (b: Buffer) => {
      output += b.toString('utf8');
    });
    child.on('close', (status) => resolve({ code: status ?? -1, output }));
  });
}

/** Runs tofu, counting its costs on the servers, with the Flux Deployments kept Available. */
async function tofu(
  bin: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  services: { kube: KubeInfo; gitSsh: GitSshInfo },
): Promise<TofuRun> {
  const stop = markDeploymentsAvailable(services.kube, 'flux-system');
  try {
    const { cost, value } = await measure(services, () => run(bin, args, cwd, env));
    return { cost, ...value };
  } finally {
    await stop();
  }
}

/** What the Terraform provider cost, or why it was not measured. */
export type TerraformFigures = { skipped: string } | { first: Cost; plan: Cost; bump: Cost };

export async function terraformSideBySide(
  services: { kube: KubeInfo; gitSsh: GitSshInfo },
  workDir: string,
  log: (m: string) => void,
): Promise<TerraformFigures> {
  const tarball = anchorTarball();
  if (!tarball)
    return {
      skipped: '../shared/anchors/terraform-provider-flux-v1.8.5.tar.gz is absent (a bare clone): the Terraform provider column is skipped',
    };
  log('Terraform provider: building (or reusing) terraform-provider-flux v1.8.5 and OpenTofu');
  const from = buildTerraformProvider(tarball, FROM);
  const to = buildTerraformProvider(tarball, TO);
  const tofuBin = buildTofu();
  const { gitSsh, kube } = services;
  const dir = path.join(workDir, 'terraform');
  fs.mkdirSync(dir, { recursive: true });
  const repo = 'bench/terraform';
  createBareRepo(gitSsh, repo);
  seedBranch(repoDir(gitSsh, repo));
  const key = generateKeyPair(dir, 'tf-key', 'ed25519');
  grantKey(gitSsh, key.publicKey, repo, 'rw');
  fs.writeFileSync(path.join(dir, 'main.tf'), configuration(kube, urlFor(gitSsh, repo), key.privateKeyFile));
  const rc = path.join(dir, 'tofurc');
  const env = (providerDir: string): NodeJS.ProcessEnv => {
    cliConfig(rc, providerDir);
    return {
      PATH: process.env.PATH,
      HOME: dir,
      TF_CLI_CONFIG_FILE: rc,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      SSH_KNOWN_HOSTS: '',
    };
  };
  const ok = (r: TofuRun, what: string, codes = [0]) => {
    if (!codes.includes(r.code)) throw new Error(`tofu ${what} exited ${r.code}:\n${r.output.slice(-4000)}`);
    return r;
  };

  await namespaceGone(services.kube, log);
  log(`Terraform provider: first apply (Flux ${TO} embedded, as ours installs first)`);
  const first = ok(await tofu(tofuBin, ['apply', '-auto-approve', '-no-color'], dir, env(to), services), 'apply');
  log('Terraform provider: no-change plan');
  const plan = ok(await tofu(tofuBin, ['plan', '-detailed-exitcode', '-no-color'], dir, env(to), services), 'plan');
  log(`Terraform provider: back to ${FROM} (not measured), to bump from it as ours does`);
  ok(await tofu(tofuBin, ['apply', '-auto-approve', '-no-color'], dir, env(from), services), 'apply (back)');
  log(`Terraform provider: version bump to ${TO}`);
  const bump = ok(await tofu(tofuBin, ['apply', '-auto-approve', '-no-color'], dir, env(to), services), 'apply (bump)');
  const conn = await connect({ kubeconfigPath: kube.kubeconfig });
  try {
    // its own destroy leaves the namespace Terminating (the GitRepository finalizer stays): uninstall ours
    log('Terraform provider: uninstalling what it installed');
    await uninstall(conn, { namespace: 'flux-system', keepNamespace: false });
  } finally {
    conn.close();
  }

  return { first: first.cost, plan: plan.cost, bump: bump.cost };
}
