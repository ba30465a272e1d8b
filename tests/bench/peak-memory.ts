// Peak memory of the Pulumi dynamic provider process (the Node process that runs our engine),
// read from the kernel while an operation runs: VmHWM, the resident set's high-water mark, of
// every process whose command line names the dynamic provider and whose working directory is
// the program's (other Pulumi runs on the machine are not ours), sampled until it exits.
import * as fs from 'node:fs';

const PROVIDER = /dynamic-provider|pulumi-resource-pulumi-nodejs/;

function providerPids(programDir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (PROVIDER.test(fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8')) && fs.readlinkSync(`/proc/${entry}/cwd`).startsWith(programDir))
        pids.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return pids;
}

function highWaterMiB(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs fn, sampling every 200 ms; returns its value and the largest provider peak RSS seen (MiB). */
export async function withPeakMemory<T>(programDir: string, fn: () => Promise<T>): Promise<{ value: T; peakMiB: number }> {
  let peak = 0;
  const timer = setInterval(() => {
    for (const pid of providerPids(programDir)) peak = Math.max(peak, highWaterMiB(pid));
  }, 200);
  try {
    const value = await fn();
    return { value, peakMiB: peak };
  } finally {
    clearInterval(timer);
  }
}
