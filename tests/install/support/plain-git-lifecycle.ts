// The life of one bootstrap, as a user drives it from a shell with the Pulumi CLI, whatever the
// program's language: a plain Git server over SSH (the harness's sshd, a key that may push, the
// deploy key registered by the server's own command), the harness's API server, the release
// manifests from a local directory (no Flux controller runs, so nothing is waited for).
// - `pulumi up`: one commit with the three files, Flux's objects applied;
// - a colleague pushes to the branch: the next `pulumi preview` finds no change, with no git
//   session and no write to the cluster;
// - `pulumi destroy`: our files leave the branch, the colleague's stays, the namespace goes.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connect, type Connection } from '../../../provider/cluster';
import { writeCost } from '../../e2e/plugin/write-cost';
import { distributionDir, projectRoot } from '../../harness/flux-reference';
import { createBareRepo, enableAccessLog, generateKeyPair, grantKey, repoDir, urlFor, type GitSshInfo } from '../../harness/git-ssh';
import type { KubeInfo } from '../../harness/kube';
import type { PulumiInfo } from '../../harness/pulumi';
import type { ReleaseInfo } from '../../harness/release';
import { harnessInfo } from '../../harness/state';
import { userProject, type UserProject } from './user-project';

export interface Servers {
  gitSsh: GitSshInfo;
  kube: KubeInfo;
}

const KEY_COMMAND = () => path.join(projectRoot(), 'dist', 'tests', 'harness', 'git-ssh-key-command.js');
export const FLUX_VERSION = 'v2.9.3';

export class PlainGitLifecycle {
  readonly repo: string;
  readonly namespace: string;
  readonly directory: string;
  private conn?: Connection;

  constructor(
    private readonly p: UserProject,
    private readonly servers: Servers,
    name: string,
  ) {
    const suffix = `${Date.now().toString(36)}${process.pid}`;
    this.repo = `install/${name}-${suffix}`;
    this.namespace = `flux-${name}`.slice(0, 40);
    this.directory = `clusters/install/${this.namespace}`;
  }

  private git(args: string[]): string {
    return execFileSync('git', ['--git-dir', repoDir(this.servers.gitSsh, this.repo), ...args], { encoding: 'utf8' }).trim();
  }

  files(): string[] {
    const out = this.git(['ls-tree', '-r', '--name-only', 'refs/heads/main']);
    return out ? out.split('\n') : [];
  }

  commits(): number {
    return Number(this.git(['rev-list', '--count', 'refs/heads/main']));
  }

  async connection(): Promise<Connection> {
    this.conn ??= await connect({ kubeconfigPath: this.servers.kube.kubeconfig });
    return this.conn;
  }

  close(): void {
    this.conn?.close();
    this.p.remove();
  }

  /**
   * A new stack with the program's settings, given as a user does: `pulumi config set`, secrets
   * from files on stdin, structured values with `--path`.
   */
  async configure(stack = 'dev'): Promise<void> {
    const { gitSsh, kube } = this.servers;
    enableAccessLog(gitSsh);
    createBareRepo(gitSsh, this.repo);
    const keys = path.join(this.p.home, 'keys');
    fs.mkdirSync(keys, { recursive: true });
    const push = generateKeyPair(keys, 'push');
    grantKey(gitSsh, push.publicKey, this.repo, 'rw');
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const add = [process.execPath, KEY_COMMAND(), 'add', gitSsh.stateDir, this.repo];
    const remove = [process.execPath, KEY_COMMAND(), 'remove', gitSsh.stateDir, this.repo];
    await this.p.run(
      [
        `pulumi stack init ${stack}`,
        `pulumi config set repositoryUrl ${q(urlFor(gitSsh, this.repo))}`,
        `pulumi config set knownHosts ${q(gitSsh.knownHosts)}`,
        `pulumi config set --secret pushPrivateKey < ${q(push.privateKeyFile)}`,
        `pulumi config set --secret kubeconfig < ${q(kube.kubeconfig)}`,
        `pulumi config set path clusters/install`,
        `pulumi config set namespace ${this.namespace}`,
        `pulumi config set distribution ${q(distributionDir(FLUX_VERSION))}`,
        // the same, as the provider plugin's setting (the programs served by it read no distribution)
        `pulumi config set flux-bootstrap:distribution ${q(distributionDir(FLUX_VERSION))}`,
        `pulumi config set --path wait.reconciliation false`,
        `pulumi config set --path wait.deployments false`,
        ...add.map((a, i) => `pulumi config set --path 'addKeyCommand[${i}]' ${q(a)}`),
        ...remove.map((a, i) => `pulumi config set --path 'removeKeyCommand[${i}]' ${q(a)}`),
      ].join('\n'),
    );
  }

  async up(): Promise<string> {
    const out = await this.p.run('pulumi up --yes --skip-preview --non-interactive');
    return out;
  }

  /** A colleague's commit on the branch, pushed from a clone of their own. */
  colleaguePushes(file = 'README.md'): void {
    const clone = fs.mkdtempSync(path.join(this.p.home, 'colleague-'));
    const g = (args: string[]) =>
      execFileSync('git', args, {
        cwd: clone,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'c',
          GIT_AUTHOR_EMAIL: 'c@example.com',
          GIT_COMMITTER_NAME: 'c',
          GIT_COMMITTER_EMAIL: 'c@example.com',
        },
      });
    g(['clone', '-q', repoDir(this.servers.gitSsh, this.repo), '.']);
    fs.writeFileSync(path.join(clone, file), 'a colleague was here\n');
    g(['add', file]);
    g(['commit', '-qm', 'a colleague writes']);
    g(['push', '-q', 'origin', 'HEAD:main']);
  }

  /** `pulumi preview --expect-no-changes`, with what it cost on the servers (the API server's
   *  audit log: the files declare kube-audit). */
  async quietPreview(): Promise<{ gitSessions: number; apiWrites: number; namespaceUnchanged: boolean; output: string }> {
    // no audit log, no count: a zero would prove nothing
    if (!fs.existsSync(this.servers.kube.audit))
      throw new Error('the API server writes no audit log: declare kube-audit in the harness line');
    const cost = await writeCost({ ...this.servers, conn: await this.connection() }, this.repo, this.namespace, () =>
      this.p.run('pulumi preview --expect-no-changes --non-interactive'),
    );
    return {
      gitSessions: cost.gitSessions,
      apiWrites: cost.apiWrites,
      namespaceUnchanged: cost.versionsBefore === cost.versionsAfter,
      output: cost.value,
    };
  }

  async destroy(): Promise<string> {
    return this.p.run('pulumi destroy --yes --skip-preview --non-interactive');
  }

  async namespacePhase(): Promise<string | undefined> {
    const ns = await (await this.connection()).getOrUndefined<{ status?: { phase?: string } }>(`/api/v1/namespaces/${this.namespace}`);
    return ns?.status?.phase;
  }
}

/** The three steps every install path ends with, as jest tests of the enclosing describe. */
export function lifecycleTests(life: () => PlainGitLifecycle, afterUp?: () => Promise<void>): void {
  test('pulumi up: one commit with the three files', async () => {
    await life().configure();
    await life().up();
    expect(life().commits()).toBe(1);
    expect(life().files()).toEqual(['gotk-components.yaml', 'gotk-sync.yaml', 'kustomization.yaml'].map((f) => `${life().directory}/${f}`));
    await afterUp?.();
  }, 900_000);

  test("after a colleague's push, a no-change preview costs no git session and no cluster write", async () => {
    life().colleaguePushes();
    const preview = await life().quietPreview();
    expect({ gitSessions: preview.gitSessions, apiWrites: preview.apiWrites, namespaceUnchanged: preview.namespaceUnchanged }).toEqual({
      gitSessions: 0,
      apiWrites: 0,
      namespaceUnchanged: true,
    });
  }, 900_000);

  test("pulumi destroy takes our files and Flux, and keeps the colleague's file", async () => {
    await life().destroy();
    expect(life().files()).toEqual(['README.md']);
    expect(await life().namespacePhase()).not.toBe('Active');
  }, 900_000);
}

export interface PulumiUser {
  release: ReleaseInfo;
  project: UserProject;
  life: PlainGitLifecycle;
}

/** A new user of this run's harness (release, pulumi, git-ssh, kube): an empty project and its bootstrap's life. */
export function pulumiUser(name: string): PulumiUser {
  const release = harnessInfo<ReleaseInfo>('release');
  const project = userProject(name, release, harnessInfo<PulumiInfo>('pulumi'));
  const life = new PlainGitLifecycle(project, { gitSsh: harnessInfo<GitSshInfo>('git-ssh'), kube: harnessInfo<KubeInfo>('kube') }, name);
  return { release, project, life };
}
