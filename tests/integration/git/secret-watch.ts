// Watches every process's argv (/proc/*/cmdline) while an operation runs, to prove secrets
// never reach a command line, and scans captured text for secret material.
import * as fs from 'node:fs';

export interface ArgvWatch {
  stop(): Promise<string[]>;
}

/** Polls all command lines until stop(); returns the ones that contained any needle. */
export function watchArgv(needles: string[]): ArgvWatch {
  const hits = new Set<string>();
  let seen = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const pid of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        let cmd: string;
        try { cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { continue; }
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
