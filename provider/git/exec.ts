// Runs a program with an argv array (never a shell), a controlled environment, optional
// stdin and a timeout, capturing its output. Callers redact before showing any of it.
import { spawn } from 'node:child_process';

export interface ExecOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string | Buffer;
  timeoutMs?: number;
}

export interface ExecResult {
  code: number;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
}

export function exec(command: string, args: string[], opts: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
      });
    });
    // A child that exits before reading all stdin raises EPIPE; its exit code tells the story.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}
