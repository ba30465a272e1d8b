// A Git server without an API we know (`flux bootstrap git`): the repository must exist, and
// the deploy key is registered either by a command the user gives (gitolite, an internal
// tool, a test script) or by the user, outside of us.
import { exec } from '../git/exec';
import { remoteHead, type GitAuth } from '../git';
import { InputError } from '../errors';
import { HostError, scrub } from './host-error';
import { publicKeyId } from './deploy-keys';
import type {
  CloneKind,
  DeleteDeployKeyInput,
  DeleteRepositoryInput,
  DeployKeyInput,
  DeployKeyResult,
  EnsureRepositoryInput,
  GitHost,
  RepositoryInfo,
  RepositoryRef,
} from './types';

export interface PlainGitOptions {
  /** the repository URL, also the sync URL (ssh://, https:// or scp-like) */
  url: string;
  /** credentials to verify read access with one ls-remote (provider/git remoteHead) */
  auth?: GitAuth;
  /** or a custom check; without either, access is not verified and a warning says so */
  verifyAccess?: (url: string, branch: string) => Promise<{ empty: boolean; defaultBranch?: string }>;
  /** argv run to register a key: public key on stdin; env FLUX_BOOTSTRAP_KEY_TITLE,
   *  FLUX_BOOTSTRAP_KEY_ACCESS (ro|rw) and FLUX_BOOTSTRAP_REPO_URL. Its first line of stdout,
   *  if any, is the key id. Must be idempotent. */
  addKeyCommand?: string[];
  /** argv run to remove a key: env FLUX_BOOTSTRAP_KEY_TITLE, FLUX_BOOTSTRAP_KEY_ID and
   *  FLUX_BOOTSTRAP_REPO_URL. Must succeed when the key is already gone. */
  removeKeyCommand?: string[];
  /** extra environment for the commands (e.g. a gitolite admin key path) */
  env?: Record<string, string>;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export class PlainGitHost implements GitHost {
  readonly kind = 'git';
  readonly hostLabel: string;
  readonly syncTransport: CloneKind;
  private readonly opts: PlainGitOptions;

  constructor(opts: PlainGitOptions) {
    if (!opts.url || !/^(ssh|https?):\/\/|^[^/\s:]+@[^/\s:]+:/.test(opts.url)) {
      throw new InputError({
        field: 'url',
        value: opts.url,
        reason: 'must be an ssh://, https:// or user@host:path Git URL',
        remedy: 'use e.g. "ssh://git@git.example.com/fleet.git"',
      });
    }
    if (/^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(opts.url)) {
      // a password or token in the URL would end up in gotk-sync.yaml
      throw new InputError({
        field: 'url',
        value: opts.url.replace(/\/\/[^@/]*@/, '//[secret]@'),
        reason: 'must not carry a password or token',
        remedy: 'put credentials in auth (and the source secret), not in the URL',
      });
    }
    for (const [field, argv] of [
      ['addKeyCommand', opts.addKeyCommand],
      ['removeKeyCommand', opts.removeKeyCommand],
    ] as const) {
      if (argv !== undefined && (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string'))) {
        throw new InputError({
          field,
          value: argv,
          reason: 'must be a non-empty argv array (no shell)',
          remedy: 'give e.g. ["/usr/local/bin/register-key", "--repo", "fleet"]',
        });
      }
    }
    this.opts = opts;
    this.hostLabel = hostOf(opts.url);
    this.syncTransport = /^https?:/.test(opts.url) ? 'https' : 'ssh';
  }

  /** The given URL whatever the kind: a plain Git server has one URL. */
  cloneUrl(_ref: RepositoryRef, _kind: CloneKind): string {
    return this.opts.url;
  }

  /** `empty` here means the branch (default main) has no commits yet. */
  async getRepository(_ref: RepositoryRef, branch = 'main'): Promise<Omit<RepositoryInfo, 'created' | 'warnings'> | null> {
    const u = this.opts.url;
    const base = { httpsUrl: u, sshUrl: u, syncUrl: u };
    type Verify = NonNullable<PlainGitOptions['verifyAccess']>;
    const auth = this.opts.auth;
    const viaLsRemote: Verify | undefined = auth ? async (url, b) => ({ empty: (await remoteHead(url, auth, b)) === null }) : undefined;
    const verify = this.opts.verifyAccess ?? viaLsRemote;
    if (!verify) return { ...base, defaultBranch: branch, empty: false };
    const r = await verify(u, branch);
    return { ...base, defaultBranch: r.defaultBranch ?? branch, empty: r.empty };
  }

  async ensureRepository(input: EnsureRepositoryInput): Promise<RepositoryInfo> {
    const info = await this.getRepository(input, input.defaultBranch ?? 'main');
    const warnings: string[] = [];
    if (!this.opts.verifyAccess && !this.opts.auth)
      warnings.push(`access to ${this.opts.url} was not verified (give auth or verifyAccess)`);
    if (input.teams && Object.keys(input.teams).length) warnings.push('team access is not managed for plain Git servers');
    return { ...info!, created: false, warnings };
  }

  /** Never created by us, so never deleted. */
  deleteRepository(_input: DeleteRepositoryInput): Promise<void> {
    return Promise.resolve();
  }

  async upsertDeployKey(input: DeployKeyInput): Promise<DeployKeyResult> {
    const key = publicKeyId(input.publicKey);
    if (!this.opts.addKeyCommand) {
      this.opts.log?.(`${this.hostLabel}: no addKeyCommand; register the deploy key "${input.title}" yourself: ${key}`);
      return { id: input.title, changed: false, manual: true };
    }
    const out = await this.run('addKeyCommand', this.opts.addKeyCommand, `${key}\n`, {
      FLUX_BOOTSTRAP_KEY_TITLE: input.title,
      FLUX_BOOTSTRAP_KEY_ACCESS: input.readOnly === false ? 'rw' : 'ro',
    });
    return { id: out.split('\n')[0].trim() || input.title, changed: true };
  }

  async deleteDeployKey(input: DeleteDeployKeyInput): Promise<void> {
    if (!this.opts.removeKeyCommand) {
      this.opts.log?.(`${this.hostLabel}: no removeKeyCommand; remove the deploy key yourself`);
      return;
    }
    const title = 'title' in input ? input.title : '';
    const id = 'id' in input ? input.id : '';
    await this.run('removeKeyCommand', this.opts.removeKeyCommand, '', { FLUX_BOOTSTRAP_KEY_TITLE: title, FLUX_BOOTSTRAP_KEY_ID: id });
  }

  private async run(field: string, argv: string[], stdin: string, env: Record<string, string>): Promise<string> {
    const [cmd, ...args] = argv;
    let r;
    try {
      r = await exec(cmd, args, {
        env: { ...process.env, ...this.opts.env, ...env, FLUX_BOOTSTRAP_REPO_URL: this.opts.url },
        input: stdin,
        timeoutMs: this.opts.timeoutMs ?? 120_000,
      });
    } catch (e) {
      throw new InputError({
        field,
        value: argv,
        reason: `could not be started (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        remedy: 'give an absolute path to an executable, as an argv array',
      });
    }
    if (r.code !== 0) {
      const why = r.timedOut ? 'timed out' : `exited with ${r.code}`;
      throw new HostError({
        host: this.hostLabel,
        operation: `${field} ${cmd}`,
        reason: `${why}: ${scrub(r.stderr.trim(), Object.values(this.opts.env ?? {})).slice(-500)}`,
        remedy: `run the command by hand to see why; it must be idempotent`,
      });
    }
    return r.stdout.toString('utf8');
  }
}

function hostOf(url: string): string {
  const scp = /^[^@/\s]+@([^:/\s]+):/.exec(url);
  if (scp) return scp[1];
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
