// Renders all seven components N times and prints the median render time and the peak RSS.
// Usage: npm run bench [-- --runs=N --distribution=<dir|tarball|url> --version=vX.Y.Z]
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { distributionDir } from '../harness/flux-reference';
import { desiredState, loadDistribution } from '../../provider/engine';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '50' },
      version: { type: 'string', default: 'v2.9.3' },
      distribution: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const version = values.version!;
  const source = values.distribution ?? distributionDir(version);
  const options = {
    version,
    url: 'ssh://git@github.com/org/fleet',
    path: 'clusters/production',
    componentsExtra: ['image-reflector-controller', 'image-automation-controller', 'source-watcher'],
  };

  let t = process.hrtime.bigint();
  const dist = await loadDistribution({ version, source });
  const loadMs = Number(process.hrtime.bigint() - t) / 1e6;

  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i <= runs; i++) {
    t = process.hrtime.bigint();
    const state = desiredState(options, dist);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    bytes = Object.values(state.files).reduce((n, f) => n + Buffer.byteLength(f), 0);
  }
  const first = times.shift()!;
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`distribution: ${dist.source} (Flux ${dist.version})`);
  console.log(`load: ${loadMs.toFixed(1)} ms; output: ${(bytes / 1024).toFixed(0)} KiB in 3 files, 7 components`);
  console.log(`first render (cold): ${first.toFixed(1)} ms`);
  console.log(`median render over ${runs} runs: ${median.toFixed(1)} ms (min ${sorted[0].toFixed(1)}, max ${sorted[sorted.length - 1].toFixed(1)})`);
  console.log(`peak RSS: ${peakRssMiB.toFixed(1)} MiB`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
