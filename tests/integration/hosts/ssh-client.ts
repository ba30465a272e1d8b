// Git over SSH as flux's source-controller would use it: one deploy key, the host's
// known_hosts, nothing else. For checking what a registered (or deleted) key can do.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { git, gitEnv, gitOk } from '../../harness/git-client';
import { generateKeyPair, gitSshCommand, type KeyPair } from '../../harness/git-ssh';

export class SshGitClient {
  private readonly knownHostsFile: string;
  private n = 0;

  constructor(
    private readonly dir: string,
    knownHosts: string,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.knownHostsFile = path.join(dir, 'known_hosts');
    fs.writeFileSync(this.knownHostsFile, knownHosts.trim() + '\n');
  }

  key(name: string): KeyPair {
    return generateKeyPair(path.join(this.dir, 'keys'), `${name}-${++this.n}`);
  }

  private env(key: KeyPair): NodeJS.ProcessEnv {
    return gitEnv(path.join(this.dir, 'home'), { GIT_SSH_COMMAND: gitSshCommand(key.privateKeyFile, this.knownHostsFile) });
  }

  /** Clones; resolves with the exit code and stderr, and the files of the checkout. */
  async clone(url: string, key: KeyPair): Promise<{ code: number; stderr: string; files: string[] }> {
    const dest = path.join(this.dir, `clone-${++this.n}`);
    const r = await git(['clone', '--quiet', url, dest], { env: this.env(key), timeoutMs: 60_000 });
    const files = r.code === 0 ? fs.readdirSync(dest).filter((f) => f !== '.git') : [];
    return { code: r.code, stderr: r.stderr, files };
  }

  /** A commit with one file, pushed to `branch`. */
  async push(url: string, key: KeyPair, file: string, branch = 'main'): Promise<{ code: number; stderr: string }> {
    const work = path.join(this.dir, `work-${++this.n}`);
    const env = this.env(key);
    await gitOk(['init', '--quiet', `--initial-branch=${branch}`, work], { env });
    fs.writeFileSync(path.join(work, file), `${file}\n`);
    await gitOk(['add', file], { cwd: work, env });
    await gitOk(['commit', '--quiet', '-m', `add ${file}`], { cwd: work, env });
    const r = await git(['push', url, `HEAD:refs/heads/${branch}`], { cwd: work, env, timeoutMs: 60_000 });
    return { code: r.code, stderr: r.stderr };
  }
}
