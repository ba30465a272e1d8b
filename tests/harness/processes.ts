// Long-running harness processes (etcd, kube-apiserver, sshd, controllers). Each is started
// in its own process group and recorded by pid in a state file, so teardown stops exactly
// what the harness started, even from another process (jest's global teardown), and never
// anything else.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { progress } from './cache';

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Output of the process goes here (appended), for post-mortems. */
  logFile: string;
  /** Where the pid is recorded; stopRecorded(pidFile) stops it. */
  pidFile: string;
}

export interface Started {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
}

export function startProcess(opts: StartOptions): Started {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const out = fs.openSync(opts.logFile, 'a');
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', out, out],
    detached: true, // own process group: stop() signals the group, not our own
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${opts.name} (${opts.command})`);
  child.unref();
  fs.mkdirSync(path.dirname(opts.pidFile), { recursive: true });
  // pid, then the command: stopRecorded checks /proc/<pid>/cmdline against it so a pid file
  // left over from a crashed run never signals an unrelated process that reused the pid.
  fs.writeFileSync(opts.pidFile, `${child.pid}\n${opts.command}\n`);
  return { name: opts.name, pid: child.pid, child, logFile: opts.logFile };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped: our own child while the event loop is blocked) is gone.
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** SIGTERM the process group, then SIGKILL after graceMs. Tolerates already-gone processes. */
export async function stopPid(pid: number, graceMs = 5_000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  if (!alive(pid)) return;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) signal('SIGKILL');
}

/** The pid recorded in pidFile if that process still runs the recorded command, else null. */
export function recordedPid(pidFile: string): number | null {
  let lines: string[];
  try {
    lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0].trim());
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return null;
  const command = lines[1]?.trim();
  if (command) {
    try {
      // Loose on purpose: programs like sshd rewrite their title ("sshd: /usr/sbin/sshd -D ...").
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!cmdline.includes(path.basename(command))) return null; // the pid belongs to something else
    } catch {
      /* no /proc: trust the pid */
    }
  }
  return pid;
}

/** Stops the process whose pid is recorded in pidFile and removes the file. */
export async function stopRecorded(pidFile: string): Promise<void> {
  const pid = recordedPid(pidFile);
  if (pid !== null) await stopPid(pid);
  fs.rmSync(pidFile, { force: true });
}

/** Synchronous stopRecorded for `process.on('exit')` and signal handlers, where nothing async
 *  runs any more: SIGTERM every recorded group, wait up to graceMs, SIGKILL what is left. */
export function stopRecordedSync(pidFiles: string[], graceMs = 3_000): void {
  const pids = pidFiles.map((f) => recordedPid(f)).filter((p): p is number => p !== null);
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  while (pids.some(alive) && Date.now() < deadline) Atomics.wait(sleeper, 0, 0, 50);
  for (const pid of pids.filter(alive)) signal(pid, 'SIGKILL');
  for (const f of pidFiles) fs.rmSync(f, { force: true });
}

/** Every *.pid file below dir. */
export function pidFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.pid')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The last lines of a log, for error messages when a process fails to come up. */
export function tail(logFile: string, lines = 30): string {
  try {
    return fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export function logStart(s: Started): void {
  progress(`${s.name} started (pid ${s.pid}, log ${s.logFile})`);
}
