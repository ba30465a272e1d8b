// Starts the harness services the selected test files declare (`// harness: kube` as their
// first line), in dependency order, in a per-run directory under os.tmpdir(). Test workers find
// it through FLUX_BOOTSTRAP_HARNESS (see state.ts harnessInfo). A unit-only run starts nothing.
//
// FLUX_BOOTSTRAP_HARNESS already set (e.g. to the state of `npm run harness -- up`): that
// harness is used as it is and left running; nothing is started or stopped.
import * as fs from 'node:fs';
import type { Config } from '@jest/types';
import { progress } from './cache';
import { newRun, reapStaleRuns, startOrder, startServices, tearDownRun, tearDownRunSync } from './registry';
import { needsOf, selectedTestFiles } from './selection';
import { readState, STATE_ENV, stateFile } from './state';

function installExitHandlers(runDir: string): void {
  // Harness processes run in their own process groups, so a Ctrl-C on jest would not reach
  // them: stop them (synchronously) on every way out of this process that still runs code.
  process.on('exit', () => tearDownRunSync(runDir));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      progress(`${sig}: stopping the harness`);
      tearDownRunSync(runDir);
      process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const)[sig]);
    });
  }
}

export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  const needs = needsOf(selectedTestFiles(globalConfig));
  if (needs.length === 0) return;
  const order = startOrder(needs).map((s) => s.name); // fails early on unknown names

  const external = process.env[STATE_ENV];
  if (external) {
    if (!fs.existsSync(external))
      throw new Error(`${STATE_ENV}=${external} does not exist; run \`npm run harness -- up ${order.join(' ')}\` or unset it`);
    const state = readState(external);
    const missing = order.filter((n) => !state.services[n]);
    if (missing.length)
      throw new Error(`the harness in ${external} lacks ${missing.join(', ')}: run \`npm run harness -- up ${missing.join(' ')}\``);
    progress(`using the running harness ${external} (${order.join(', ')})`);
    return;
  }

  if (needs.includes('kube-audit')) process.env.FLUX_BOOTSTRAP_KUBE_AUDIT = '1'; // see kube-audit.ts
  await reapStaleRuns();
  const state = newRun('jest');
  process.env[STATE_ENV] = stateFile(state.runDir);
  installExitHandlers(state.runDir);
  progress(`harness for this run: ${order.join(', ')} in ${state.runDir}`);
  try {
    await startServices(state, needs);
  } catch (e) {
    // jest does not run global teardown when global setup fails
    await tearDownRun(state).catch(() => undefined);
    throw e;
  }
}
