// Stops what global setup started (by recorded pid) and removes the run directory, unless
// FLUX_BOOTSTRAP_KEEP_HARNESS=1. A harness this process did not start (FLUX_BOOTSTRAP_HARNESS
// given from outside, e.g. `npm run harness -- up`) is left running.
import * as fs from 'node:fs';
import { tearDownRun } from './registry';
import { readState, STATE_ENV } from './state';

export default async function globalTeardown(): Promise<void> {
  const file = process.env[STATE_ENV];
  if (!file || !fs.existsSync(file)) return;
  const state = readState(file);
  if (state.owner !== 'jest' || state.ownerPid !== process.pid) return;
  await tearDownRun(state);
  delete process.env[STATE_ENV];
}
