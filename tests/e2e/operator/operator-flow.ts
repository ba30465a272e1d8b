// A program of examples/pulumi-operator (or its YAML twin) against the harness: a bare
// repository on the harness sshd with a push key and the sshd's key command, the program copied
// like a user's project, its stack configured, and the helpers the operator e2e files share (a
// workload committed beside Flux, a watch that records any moment its Kustomization is not
// Ready, the stack's resource types).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PreviewResult, UpResult } from '@pulumi/pulumi/automation';
import { createBareRepo, generateKeyPair, grantKey, repoDir, urlFor, type GitSshInfo } from '../../harness/git-ssh';
import { keyCommand } from '../../harness/git-ssh-key-command';
import type { KubeInfo } from '../../harness/kube';
import { KubeRest } from '../../harness/kube-rest';
import { copyExample, programStack, type ProgramStack } from '../../harness/pulumi-program';
import type { PulumiInfo } from '../../harness/pulumi';
import { operatorModuleDir } from '../../harness/flux-operator-data';

export interface OperatorServices {
  kube: KubeInfo;
  gitSsh: GitSshInfo;
  pulumi: PulumiInfo;
}

export const CLUSTER_PATH = 'clusters/demo';
export const WORKLOAD = 'apps';

export class OperatorFlow {
  readonly rest: KubeRest;
  private constructor(
    readonly services: OperatorServices,
    readonly repo: string,
    readonly program: ProgramStack,
    readonly workDir: string,
    private readonly log: (s: string) => void,
  ) {
    this.rest = new KubeRest(services.kube);
  }

  static async prepare(
    services: OperatorServices,
    opts: { workDir: string; repo: string; stackName: string; example?: string; config?: Record<string, string> },
  ): Promise<OperatorFlow> {
    const { gitSsh, kube } = services;
    fs.mkdirSync(opts.workDir, { recursive: true });
    createBareRepo(gitSsh, opts.repo);
    const admin = generateKeyPair(opts.workDir, 'push-key', 'ed25519');
    grantKey(gitSsh, admin.publicKey, opts.repo, 'rw');
    const dir = copyExample(opts.example ?? 'pulumi-operator', path.join(opts.workDir, 'program'));
    const program = await programStack(services.pulumi, dir, opts.stackName);
    await program.stack.setAllConfig({
      repositoryUrl: { value: urlFor(gitSsh, opts.repo) },
      pushPrivateKey: { value: admin.privateKey, secret: true },
      knownHosts: { value: gitSsh.knownHosts },
      kubeconfig: { value: fs.readFileSync(kube.kubeconfig, 'utf8'), secret: true },
      addKeyCommand: { value: JSON.stringify(keyCommand('add', gitSsh.stateDir, opts.repo)) },
      removeKeyCommand: { value: JSON.stringify(keyCommand('remove', gitSsh.stateDir, opts.repo)) },
      path: { value: CLUSTER_PATH },
      // the module the harness's operator was built from, as an air-gapped copy would be given
      operatorSource: { value: operatorModuleDir() },
      // the harness runs these two controllers only (flux-controllers)
      components: { value: JSON.stringify(['source-controller', 'kustomize-controller']) },
      networkPolicy: { value: 'false' },
      ...Object.fromEntries(Object.entries(opts.config ?? {}).map(([k, v]) => [k, { value: v }])),
    });
    const log = (s: string) => fs.appendFileSync(path.join(opts.workDir, 'pulumi.log'), s);
    return new OperatorFlow(services, opts.repo, program, opts.workDir, log);
  }

  async config(values: Record<string, string>): Promise<void> {
    await this.program.stack.setAllConfig(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])));
  }

  async up(): Promise<Record<string, unknown>> {
    const r: UpResult = await this.program.stack.up({ onOutput: this.log, color: 'never' });
    return Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.value as unknown]));
  }

  preview(diff = false): Promise<PreviewResult> {
    return this.program.stack.preview({ onOutput: this.log, color: 'never', diff });
  }

  async destroy(): Promise<void> {
    await this.program.stack.destroy({ onOutput: this.log, color: 'never' });
  }

  async removeStack(): Promise<void> {
    await this.program.stack.workspace.removeStack(this.program.stack.name).catch(() => undefined);
  }

  /** The custom resources in the stack, by type. */
  async types(): Promise<string[]> {
    const state = await this.program.stack.exportStack();
    return ((state.deployment.resources ?? []) as { type: string; custom?: boolean }[])
      .filter((r) => r.custom && !r.type.startsWith('pulumi:providers:'))
      .map((r) => r.type.split(':').pop()!)
      .sort();
  }

  head(): string {
    return execFileSync('git', ['--git-dir', repoDir(this.services.gitSsh, this.repo), 'rev-parse', 'refs/heads/main'], {
      encoding: 'utf8',
    }).trim();
  }

  tree(rev = 'refs/heads/main'): string[] {
    return execFileSync('git', ['--git-dir', repoDir(this.services.gitSsh, this.repo), 'ls-tree', '-r', '--name-only', rev], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
  }

  show(file: string, rev = 'refs/heads/main'): string {
    return execFileSync('git', ['--git-dir', repoDir(this.services.gitSsh, this.repo), 'show', `${rev}:${file}`], { encoding: 'utf8' });
  }

  /** A team's workload beside Flux: a Kustomization `apps` (applying ./apps) and a ConfigMap, pushed into the bare repository. */
  commitWorkload(configMap: string): string {
    const work = path.join(this.workDir, `team-${Date.now()}`);
    execFileSync('git', ['clone', '-q', repoDir(this.services.gitSsh, this.repo), work]);
    fs.mkdirSync(path.join(work, 'apps'), { recursive: true });
    fs.writeFileSync(
      path.join(work, CLUSTER_PATH, `${WORKLOAD}.yaml`),
      [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata:',
        `  name: ${WORKLOAD}`,
        '  namespace: flux-system',
        'spec:',
        '  interval: 1m',
        '  path: ./apps',
        '  prune: true',
        '  sourceRef:',
        '    kind: GitRepository',
        '    name: flux-system',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(work, 'apps', 'workload.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${configMap}\n  namespace: default\ndata:\n  team: payments\n`,
    );
    const id = ['-c', 'user.name=team', '-c', 'user.email=team@example.com'];
    execFileSync('git', [...id, 'add', '.'], { cwd: work });
    execFileSync('git', [...id, 'commit', '-q', '-m', 'payments workload'], { cwd: work });
    execFileSync('git', ['push', '-q', 'origin', 'HEAD:main'], { cwd: work });
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: work, encoding: 'utf8' }).trim();
  }
}

interface Conditioned {
  metadata: { generation?: number };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[]; lastAppliedRevision?: string };
}

/**
 * Reads the Ready condition of a Flux object four times a second. `failed` records every sample
 * that is Ready=False, or the object missing; `progressing` the samples of Ready=Unknown, which
 * every Kustomization passes through while it applies a new revision (any commit to its source).
 */
export class ReadyWatch {
  readonly failed: string[] = [];
  readonly progressing: string[] = [];
  /** the revisions it was seen Ready at, in order */
  readonly revisions: string[] = [];
  samples = 0;
  private running = true;
  private readonly loop: Promise<void>;

  constructor(rest: KubeRest, apiPath: string) {
    this.loop = (async () => {
      while (this.running) {
        const o = (await rest.get(apiPath).catch(() => null)) as Conditioned | null;
        const ready = o?.status?.conditions?.find((c) => c.type === 'Ready');
        const at = `${new Date().toISOString()} ${ready?.status ?? 'no Ready'} ${ready?.reason ?? ''} ${ready?.message ?? ''}`;
        this.samples++;
        if (!o || !ready || ready.status === 'False') this.failed.push(o ? at : `${new Date().toISOString()} missing`);
        else if (ready.status !== 'True') this.progressing.push(at);
        const rev = o?.status?.lastAppliedRevision;
        if (ready?.status === 'True' && rev && this.revisions[this.revisions.length - 1] !== rev) this.revisions.push(rev);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/** Until `fn` returns something, or the timeout. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
