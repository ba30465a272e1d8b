// Renders gotk-components.yaml, gotk-sync.yaml and kustomization.yaml N times in this process
// and reports the render times and the process's peak RSS. The benchmark runs it as a child
// process per component set, so each peak RSS is that render's alone.
// Usage: node dist/tests/bench/render.js [--runs=N] [--components=default|all] [--json]
//        [--distribution=<dir|tarball|url>] [--version=vX.Y.Z]
import { parseArgs } from 'node:util';
import { distributionDir } from '../harness/flux-reference';
import { desiredState, loadDistribution } from '../../provider/engine';
import { figure, show } from './stats';

export interface RenderFigures {
  version: string;
  components: number;
  outputKiB: number;
  loadMs: number;
  firstMs: number;
  times: number[];
  peakRssMiB: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '50' },
      version: { type: 'string', default: 'v2.9.3' },
      distribution: { type: 'string' },
      components: { type: 'string', default: 'all' },
      json: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  const version = values.version;
  const source = values.distribution ?? distributionDir(version);
  const extra = values.components === 'default' ? [] : ['image-reflector-controller', 'image-automation-controller', 'source-watcher'];
  const options = { version, url: 'ssh://git@github.com/org/fleet', path: 'clusters/production', componentsExtra: extra };

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
  const firstMs = times.shift()!;
  const out: RenderFigures = {
    version: dist.version,
    components: 4 + extra.length,
    outputKiB: bytes / 1024,
    loadMs,
    firstMs,
    times,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  if (values.json) {
    process.stdout.write(JSON.stringify(out));
    return;
  }
  console.log(`distribution: ${dist.source} (Flux ${dist.version})`);
  console.log(`load: ${loadMs.toFixed(1)} ms; output: ${out.outputKiB.toFixed(0)} KiB in 3 files, ${out.components} components`);
  console.log(`first render (cold): ${firstMs.toFixed(1)} ms`);
  console.log(`render over ${runs} runs: ${show(figure(times), 'ms')}`);
  console.log(`peak RSS: ${out.peakRssMiB.toFixed(1)} MiB`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
