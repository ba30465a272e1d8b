// Running the real git CLI as a client in tests: isolated from the machine's and the user's
// git configuration, never prompting, with a fixed identity.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment for git as a client: HOME in `home` (created), no system or global config, no
 *  prompts, fixed identity. Add GIT_SSH_COMMAND (git-ssh.ts gitSshCommand) or GIT_SSL_CAINFO. */
export function gitEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  fs.mkdirSync(home, { recursive: true });
  return {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '/bin/true',
    SSH_ASKPASS: '/bin/true',
    GIT_AUTHOR_NAME: 'Flux Bootstrap Test',
    GIT_AUTHOR_EMAIL: 'test@flux-bootstrap.invalid',
    GIT_COMMITTER_NAME: 'Flux Bootstrap Test',
    GIT_COMMITTER_EMAIL: 'test@flux-bootstrap.invalid',
    LANG: 'C',
    LC_ALL: 'C',
    ...extra,
  };
}

/** Runs git; resolves with the exit code and output instead of throwing. */
export function git(args: string[], opts: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 32 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Runs git and throws with its output when it fails. */
export async function gitOk(args: string[], opts: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<string> {
  const r = await git(args, opts);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}
