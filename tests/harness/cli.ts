// `npm run harness -- up [services...] | down | status`
//
// up:     starts the services (all known ones when none are named) and leaves them running,
//         with their state in ~/.cache/flux-bootstrap/run/harness.json. Running `up` again
//         adds services that are not up yet. Tests reuse it with
//         FLUX_BOOTSTRAP_HARNESS=~/.cache/flux-bootstrap/run/harness.json npm test ...
// down:   stops every service of that state by recorded pid and removes the directory.
// status: what runs, with pids and the info tests get.
// build:  builds the named services' tools into the cache, starting nothing (the services'
//         `build`; one at a time, each under its cache lock, so a test run that needs one
//         meanwhile waits for it instead of building it twice).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheRoot } from './cache';
import { recordedPid, pidFilesUnder } from './processes';
import { newRun, registry, startServices, stopServices } from './registry';
import { readState, stateFile, writeState, type HarnessState } from './state';

/** FLUX_BOOTSTRAP_RUN_DIR, default ~/.cache/flux-bootstrap/run: one CLI harness per directory. */
function runDir(): string {
  return process.env.FLUX_BOOTSTRAP_RUN_DIR ?? path.join(cacheRoot(), 'run');
}

function load(): HarnessState | null {
  const file = stateFile(runDir());
  return fs.existsSync(file) ? readState(file) : null;
}

function print(state: HarnessState): void {
  const file = stateFile(state.runDir);
  for (const [name, svc] of Object.entries(state.services)) {
    const pids = pidFilesUnder(svc.workDir).map((f) => {
      const pid = recordedPid(f);
      return `${path.basename(f, '.pid')}=${pid ?? 'dead'}`;
    });
    console.log(`${name}: ${pids.join(' ') || 'no processes'} (started ${svc.startedAt}, ${svc.startSeconds} s)`);
    console.log(JSON.stringify(svc.info, null, 2).replace(/^/gm, '  '));
  }
  const kube = state.services.kube?.info as { kubeconfig?: string } | undefined;
  console.log(`\nexport FLUX_BOOTSTRAP_HARNESS=${file}`);
  if (kube?.kubeconfig) console.log(`export KUBECONFIG=${kube.kubeconfig}`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...names] = argv;
  switch (command) {
    case 'up': {
      const wanted = names.length ? names : [...registry().keys()];
      if (wanted.includes('kube-audit')) process.env.FLUX_BOOTSTRAP_KUBE_AUDIT = '1'; // see kube-audit.ts
      let state = load();
      if (state && state.owner !== 'cli') throw new Error(`${stateFile(runDir())} is not a CLI harness`);
      if (!state) state = newRun('cli', runDir());
      try {
        await startServices(state, wanted);
      } catch (e) {
        console.error(`\n${(e as Error).message}\n\nservices that did start stay up: \`npm run harness -- down\` stops them`);
        writeState(state);
        return 1;
      }
      print(state);
      return 0;
    }
    case 'down': {
      const state = load();
      if (!state) {
        console.log('no harness is up');
        return 0;
      }
      await stopServices(state);
      fs.rmSync(state.runDir, { recursive: true, force: true });
      console.log(`stopped; removed ${state.runDir}`);
      return 0;
    }
    case 'build': {
      const all = registry();
      for (const name of names) {
        const svc = all.get(name);
        if (!svc) throw new Error(`unknown harness service "${name}"; known: ${[...all.keys()].join(', ')}`);
        const t = Date.now();
        svc.build?.();
        console.log(`${name}: ${svc.build ? `built in ${Math.round((Date.now() - t) / 1000)} s` : 'nothing to build'}`);
      }
      return 0;
    }
    case 'status': {
      const state = load();
      if (!state || Object.keys(state.services).length === 0) {
        console.log('no harness is up');
        return 0;
      }
      print(state);
      return 0;
    }
    default:
      console.error(`usage: npm run harness -- up [${[...registry().keys()].join('|')}...] | down | status | build SERVICE...`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
