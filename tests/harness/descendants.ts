// The processes this process started, directly or not (from /proc), for tests that kill a
// running `pulumi up` the hard way, as an OOM killer or a cancelled CI job would.
import * as fs from 'node:fs';

export function parentOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

export function descendants(root = process.pid): number[] {
  const out: number[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    for (let p = parentOf(pid), depth = 0; p > 1 && depth < 64; p = parentOf(p), depth++) {
      if (p === root) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/** Our descendants whose command line matches, and all of theirs. (Under --runInBand the
 *  harness's servers are our descendants too: never kill them all.) */
export function descendantTrees(match: RegExp, root = process.pid): number[] {
  const tops = descendants(root).filter((pid) => match.test(cmdline(pid)));
  return [...new Set(tops.flatMap((pid) => [pid, ...descendants(pid)]))];
}

/** SIGKILLs the given processes at once; returns their command lines. */
export function killAll(pids: number[]): string[] {
  const cmds = pids.map(cmdline);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
  return cmds;
}
