// Runs the real `flux bootstrap git` against the harness until a line of its output says what
// the caller waits for, then stops it. On this node-less cluster it can never finish by itself:
// its last step waits for the controller Deployments to become Available.
import { spawn } from 'node:child_process';

export interface FluxRunResult {
  /** every output line, with the milliseconds since the start */
  lines: Array<[string, number]>;
  ms: number;
}

export function runFluxUntil(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  until: RegExp,
  timeoutMs = 300_000,
): Promise<FluxRunResult> {
  return new Promise((resolve, reject) => {
    const t = Date.now();
    const lines: Array<[string, number]> = [];
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let done = false;
    const output = () =>
      lines
        .map(([l]) => l)
        .join('\n')
        .slice(-4000);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`flux ${args[0]} did not print ${until} within ${timeoutMs / 1000} s:\n${output()}`));
    }, timeoutMs);
    const onData = (b: Buffer) => {
      for (const line of b
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim())) {
        lines.push([line.trim(), Date.now() - t]);
        if (!done && until.test(line)) {
          done = true;
          clearTimeout(timer);
          child.kill('SIGTERM');
          resolve({ lines, ms: Date.now() - t });
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!done) reject(new Error(`flux ${args[0]} exited ${code} before printing ${until}:\n${output()}`));
    });
  });
}
