// Landing-zone processes as CI runners run them: `node main.ts` with no terminal, stdout and
// stderr collected (stderr echoed with a tag), killable the way a lost runner dies.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { descendants } from '../../harness/descendants';
import { projectRoot } from '../../harness/flux-reference';

export const MAIN = path.join(projectRoot(), 'examples', 'landing-zone', 'main.ts');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface Running {
  pid: number;
  /** what it printed on stderr so far */
  stderr(): string;
  done: Promise<Run>;
}

export function startLandingZone(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; tag: string }): Running {
  const t = Date.now();
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    process.stderr.write(
      d
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((l) => `[${opts.tag}] ${l}\n`)
        .join(''),
    );
  });
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - t }));
  });
  return { pid: child.pid as number, stderr: () => stderr, done };
}

/** Kills a process and everything under it at once, as a lost machine would: the tree is
 *  stopped (SIGSTOP) until no new process appears in it, then all of it gets SIGKILL. */
export function killTree(root: number): string[] {
  const stopped = new Set<number>();
  for (let round = 0; round < 20; round++) {
    const tree = [root, ...descendants(root)].filter((p) => !stopped.has(p));
    if (!tree.length) break;
    for (const pid of tree) {
      try {
        process.kill(pid, 'SIGSTOP');
        stopped.add(pid);
      } catch {
        /* gone */
      }
    }
  }
  const commands = [...stopped].map((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 2).join(' ');
    } catch {
      return '';
    }
  });
  for (const pid of stopped) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  return commands;
}

/** Waits until `ready()` holds, checking every 100 ms, for at most `ms`. */
export async function until(ready: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
