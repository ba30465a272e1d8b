// Watches the argv (/proc/*/cmdline) of every process this test process started while an
// operation runs, to prove secrets never reach a command line, and scans captured text for
// secret material. Only descendants count: other test files running alongside use the same
// harness credentials in plain git client URLs on purpose.
import * as fs from 'node:fs';
import { parentOf } from '../../harness/descendants';

export interface ArgvWatch {
  stop(): Promise<string[]>;
}

function descendsFromUs(pid: number): boolean {
  for (let p = pid, depth = 0; p > 1 && depth < 64; p = parentOf(p), depth++) if (p === process.pid) return true;
  return false;
}

/** Polls the command lines of our descendants until stop(); returns the ones that contained any needle. */
export function watchArgv(needles: string[]): ArgvWatch {
  const hits = new Set<string>();
  let seen = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const pid of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        let cmd: string;
        if (!descendsFromUs(Number(pid))) continue;
        try {
          cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        } catch {
          continue;
        }
        seen++;
        for (const n of needles) if (n && cmd.includes(n)) hits.add(cmd);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      if (seen === 0) throw new Error('argv watch saw no processes');
      return [...hits];
    },
  };
}

/** Distinctive pieces of a secret: the value itself and, for PEM keys, each base64 line. */
export function secretPieces(...secrets: string[]): string[] {
  const out: string[] = [];
  for (const s of secrets) {
    if (!s) continue;
    if (s.includes('-----BEGIN')) out.push(...s.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')));
    else out.push(s);
  }
  return out;
}

export function leaks(text: string, pieces: string[]): string[] {
  return pieces.filter((p) => text.includes(p));
}
