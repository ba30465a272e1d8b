// The full loop of examples/pulumi-git-ssh against the harness, shared by the e2e test and
// `npm run demo`: a repository on the harness sshd, `pulumi up` (commit, deploy key granted by
// the sshd's key command, install, wait for reconciliation by the real Flux controllers), a
// workload committed by hand, a Flux version bump, `pulumi destroy`. Each step returns what it
// observed, with timings taken by watching the repository and the cluster while `up` runs.
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FluxControllersInfo } from './flux-controllers';
import { fluxStatus, gitRepositoryPath, waitForReconciled, type FluxStatus } from './flux-status';
import { gitEnv, gitOk } from './git-client';
import { keyCommand } from './git-ssh-key-command';
import {
  createBareRepo,
  generateKeyPair,
  gitSshCommand,
  grantKey,
  repoDir,
  urlFor,
  writeKnownHosts,
  type GitSshInfo,
  type KeyPair,
} from './git-ssh';
import type { KubeInfo } from './kube';
import { KubeRest } from './kube-rest';
import { distributionDir } from './flux-reference';
import type { PulumiInfo } from './pulumi';
import { copyExample, programStack, serveFromPlugin, type ProgramStack } from './pulumi-program';
import { UpTimeline, type Timings } from './up-timeline';

/** flux: the local Flux controllers; without them nothing reconciles, so prepare with
 *  `awaitReconciliation: false` (what the benchmark does to time provider work alone). */
export interface FlowServices {
  kube: KubeInfo;
  gitSsh: GitSshInfo;
  flux?: FluxControllersInfo;
  pulumi: PulumiInfo;
}

export interface UpResult {
  version: string;
  commit: string;
  revision: string;
  publicKey: string;
  /** `SHA256:...` of the deploy key, as ssh-keygen -l prints it */
  fingerprint: string;
  /** objects in the committed manifests (components and sync), plus the Secret */
  objects: number;
  files: string[];
  status: FluxStatus;
  timings: Timings;
}

export function fingerprint(publicKey: string): string {
  const blob = Buffer.from(publicKey.trim().split(/\s+/)[1] ?? '', 'base64');
  return `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export class GitSshFlow {
  readonly namespace = 'flux-system';
  readonly branch = 'main';
  readonly rest: KubeRest;
  readonly url: string;
  /** a clone of the repository (pushes with the admin key), for the user to look at */
  readonly clone: string;
  private readonly git: NodeJS.ProcessEnv;

  private constructor(
    readonly services: FlowServices,
    readonly repo: string,
    readonly clusterPath: string,
    readonly program: ProgramStack,
    readonly admin: KeyPair,
    readonly workDir: string,
    private readonly pulumiOutput: (chunk: string) => void,
    /** whether `up` waits until Flux reconciled the pushed commit */
    readonly awaitReconciliation: boolean,
  ) {
    this.rest = new KubeRest(services.kube);
    this.url = urlFor(services.gitSsh, repo);
    this.clone = path.join(workDir, 'clone');
    const knownHosts = writeKnownHosts(services.gitSsh, path.join(workDir, 'known_hosts'));
    this.git = gitEnv(path.join(workDir, 'git-home'), { GIT_SSH_COMMAND: gitSshCommand(admin.privateKeyFile, knownHosts) });
  }

  /** The repository (empty, on the harness sshd), a push key, the program copy and its stack. */
  static async prepare(
    services: FlowServices,
    opts: {
      workDir: string;
      repo: string;
      stackName: string;
      clusterPath?: string;
      pulumiOutput?: (chunk: string) => void;
      /** default true: `up` waits until Flux reconciled the pushed commit */
      awaitReconciliation?: boolean;
      /** the program's resources served by the provider plugin (`flux-bootstrap/pulumi/plugin`) */
      servedByPlugin?: boolean;
    },
  ): Promise<GitSshFlow> {
    const { gitSsh, kube } = services;
    fs.mkdirSync(opts.workDir, { recursive: true });
    createBareRepo(gitSsh, opts.repo);
    const admin = generateKeyPair(opts.workDir, 'push-key', 'ed25519');
    grantKey(gitSsh, admin.publicKey, opts.repo, 'rw');
    const dir = copyExample('pulumi-git-ssh', path.join(opts.workDir, 'program'));
    if (opts.servedByPlugin) serveFromPlugin(dir);
    const program = await programStack(services.pulumi, dir, opts.stackName);
    const clusterPath = opts.clusterPath ?? 'clusters/demo';
    const { stack } = program;
    await stack.setAllConfig({
      repositoryUrl: { value: urlFor(gitSsh, opts.repo) },
      pushPrivateKey: { value: admin.privateKey, secret: true },
      knownHosts: { value: gitSsh.knownHosts },
      kubeconfig: { value: fs.readFileSync(kube.kubeconfig, 'utf8'), secret: true },
      addKeyCommand: { value: JSON.stringify(keyCommand('add', gitSsh.stateDir, opts.repo)) },
      removeKeyCommand: { value: JSON.stringify(keyCommand('remove', gitSsh.stateDir, opts.repo)) },
      path: { value: clusterPath },
      // the harness cluster has no nodes: the controller Deployments never become available;
      // the Flux controllers run as local processes and reconcile, so that is what is awaited
      waitReconciliation: { value: String(opts.awaitReconciliation ?? true) },
      waitDeployments: { value: 'false' },
    });
    return new GitSshFlow(
      services,
      opts.repo,
      clusterPath,
      program,
      admin,
      opts.workDir,
      opts.pulumiOutput ?? (() => undefined),
      opts.awaitReconciliation ?? true,
    );
  }

  /** The branch head in the bare repository, read from disk (no SSH). */
  head(): string | null {
    try {
      return (
        execFileSync(
          'git',
          ['--git-dir', repoDir(this.services.gitSsh, this.repo), 'rev-parse', '--verify', '-q', `refs/heads/${this.branch}`],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
        ).trim() || null
      );
    } catch {
      return null;
    }
  }

  /** Whether `descendant` has `ancestor` in its history, in the bare repository on disk. */
  contains(descendant: string, ancestor: string): boolean {
    try {
      execFileSync('git', ['--git-dir', repoDir(this.services.gitSsh, this.repo), 'merge-base', '--is-ancestor', ancestor, descendant]);
      return true;
    } catch {
      return false;
    }
  }

  /** A file at a commit, read from the bare repository on disk. */
  show(commit: string, file: string): string {
    return execFileSync('git', ['--git-dir', repoDir(this.services.gitSsh, this.repo), 'show', `${commit}:${file}`], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
  }

  /** `pulumi up` with `version`; returns once up succeeded, after checking Flux reconciled the commit. */
  async up(version: string): Promise<UpResult> {
    const { stack } = this.program;
    await stack.setAllConfig({
      version: { value: version },
      distribution: { value: distributionDir(version) },
    });
    const timeline = new UpTimeline(this.rest, this.namespace, () => this.head());
    await timeline.start();
    let up;
    try {
      up = await stack.up({ onOutput: this.pulumiOutput, onEvent: timeline.onEvent, color: 'never' });
    } finally {
      timeline.stop();
      await timeline.settled();
    }
    const out = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value])) as Record<string, any>;
    const commit = String(out.commit);
    // others may have committed on top of ours (day 2): Flux then reports the head, which contains ours
    const head = this.head();
    if (head !== commit && !(head && this.contains(head, commit)))
      throw new Error(`up says commit ${commit}, the repository's ${this.branch} is at ${head}, which does not contain it`);
    const revision = `${this.branch}@sha1:${head}`;
    // up waited for this already; this only reads what the controllers say
    const status = this.awaitReconciliation
      ? (await waitForReconciled(this.rest, { namespace: this.namespace, revision, timeoutMs: 30_000 })).status
      : await fluxStatus(this.rest, this.namespace);
    const files = Object.keys((out.files ?? {}) as Record<string, string>);
    // what the install applies: the committed components and sync objects, plus the Secret
    const objects =
      ['gotk-components.yaml', 'gotk-sync.yaml']
        .map((f) => this.show(commit, `${this.clusterPath}/${this.namespace}/${f}`))
        .reduce((n, text) => n + (text.match(/^kind: /gm)?.length ?? 0), 0) + 1;
    const publicKey = String(out.publicKey);
    return {
      version: String(out.version),
      commit,
      revision,
      publicKey,
      fingerprint: fingerprint(publicKey),
      objects,
      files,
      status,
      timings: timeline.timings(revision),
    };
  }

  private async ensureClone(): Promise<void> {
    if (fs.existsSync(path.join(this.clone, '.git'))) {
      await gitOk(['pull', '-q', '--ff-only', 'origin', this.branch], { cwd: this.clone, env: this.git });
    } else {
      await gitOk(['clone', '-q', '--branch', this.branch, this.url, this.clone], { env: this.git });
    }
  }

  /** Commits `<clusterPath>/<file>` with plain git, asks Flux to reconcile now (as `flux
   *  reconcile source git` does; otherwise the GitRepository interval, 1m, decides), and waits
   *  until the Kustomization applied that commit. */
  async commitToClusterPath(file: string, content: string, message: string): Promise<{ commit: string; appliedMs: number }> {
    await this.ensureClone();
    const rel = `${this.clusterPath}/${file}`;
    fs.mkdirSync(path.dirname(path.join(this.clone, rel)), { recursive: true });
    fs.writeFileSync(path.join(this.clone, rel), content);
    const opts = { cwd: this.clone, env: this.git };
    await gitOk(['add', '--', rel], opts);
    await gitOk(['commit', '-q', '-m', message], opts);
    await gitOk(['push', '-q', 'origin', `HEAD:refs/heads/${this.branch}`], opts);
    const commit = (await gitOk(['rev-parse', 'HEAD'], opts)).trim();
    const t = Date.now();
    await this.rest.mergePatch(gitRepositoryPath(this.namespace), {
      metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': new Date().toISOString() } },
    });
    await waitForReconciled(this.rest, { namespace: this.namespace, revision: `${this.branch}@sha1:${commit}`, timeoutMs: 180_000 });
    return { commit, appliedMs: Date.now() - t };
  }

  /** Commits `<clusterPath>/<file>`s on `branch` (made from the main branch's head when absent)
   *  and pushes it, with plain git; waits for nothing. The new commit. */
  async commitOnBranch(branch: string, files: Record<string, string>, message: string): Promise<string> {
    await this.ensureClone();
    const opts = { cwd: this.clone, env: this.git };
    await gitOk(['fetch', '-q', 'origin'], opts);
    const exists = (await gitOk(['ls-remote', '--heads', 'origin', branch], opts)).trim() !== '';
    await gitOk(['checkout', '-q', '-B', branch, exists ? `origin/${branch}` : `origin/${this.branch}`], opts);
    try {
      for (const [file, content] of Object.entries(files)) {
        const rel = `${this.clusterPath}/${file}`;
        fs.mkdirSync(path.dirname(path.join(this.clone, rel)), { recursive: true });
        fs.writeFileSync(path.join(this.clone, rel), content);
        await gitOk(['add', '--', rel], opts);
      }
      await gitOk(['commit', '-q', '-m', message], opts);
      await gitOk(['push', '-q', 'origin', `HEAD:refs/heads/${branch}`], opts);
      return (await gitOk(['rev-parse', 'HEAD'], opts)).trim();
    } finally {
      await gitOk(['checkout', '-q', '-B', this.branch, `origin/${this.branch}`], opts);
    }
  }

  /** Sets `branch` on the server to `commit` (a new branch, or a fast-forward). */
  async pushCommitTo(commit: string, branch: string): Promise<void> {
    await this.ensureClone();
    const opts = { cwd: this.clone, env: this.git };
    await gitOk(['fetch', '-q', 'origin'], opts);
    await gitOk(['push', '-q', 'origin', `${commit}:refs/heads/${branch}`], opts);
  }

  /** `pulumi destroy`; returns what is left of Flux in the cluster. */
  async destroy(): Promise<{ status: FluxStatus; namespaceLeft: boolean; crdsLeft: string[] }> {
    await this.program.stack.destroy({ onOutput: this.pulumiOutput, color: 'never' });
    const crds = await this.rest.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    // the CRDs of the default components (the image automation ones belong to extra components)
    const crdsLeft = ((crds?.items ?? []) as { metadata: { name: string; deletionTimestamp?: string } }[])
      .filter((c) => /\.(source|kustomize|helm|notification)\.toolkit\.fluxcd\.io$/.test(c.metadata.name) && !c.metadata.deletionTimestamp)
      .map((c) => c.metadata.name);
    const ns = await this.rest.get(`/api/v1/namespaces/${this.namespace}`);
    return { status: await fluxStatus(this.rest, this.namespace), namespaceLeft: !!ns && !ns.metadata?.deletionTimestamp, crdsLeft };
  }

  /** Removes the stack from the backend (after destroy). */
  async removeStack(): Promise<void> {
    await this.program.stack.workspace.removeStack(this.program.stack.name, { force: true }).catch(() => undefined);
  }
}
