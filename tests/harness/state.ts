// The harness state file: which services run, where, and what tests need to reach them.
// Written by jest global setup (or `npm run harness -- up`) to <runDir>/harness.json; its path
// travels to jest workers in FLUX_BOOTSTRAP_HARNESS, which they read with harnessInfo().
import * as fs from 'node:fs';
import * as path from 'node:path';

export const STATE_ENV = 'FLUX_BOOTSTRAP_HARNESS';

export interface ServiceState {
  /** the service's own directory: <runDir>/<name> (logs/, pids/, data) */
  workDir: string;
  /** what start() returned */
  info: unknown;
  startedAt: string;
  /** seconds start() took, builds included */
  startSeconds: number;
}

export interface HarnessState {
  runDir: string;
  /** pid of the process that started the run (jest, or the harness CLI) */
  ownerPid: number;
  /** 'jest': stopped by global teardown; 'cli': stays up until `harness down` */
  owner: 'jest' | 'cli';
  /** set by teardown when FLUX_BOOTSTRAP_KEEP_HARNESS=1 left the directory for inspection */
  kept?: boolean;
  /** services in start order */
  services: Record<string, ServiceState>;
}

export function stateFile(runDir: string): string {
  return path.join(runDir, 'harness.json');
}

export function readState(file: string): HarnessState {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as HarnessState;
}

export function writeState(state: HarnessState): void {
  const file = stateFile(state.runDir);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2) + '\n');
  fs.renameSync(`${file}.tmp`, file);
}

/** The state of the current run, or null when no harness was started for it. */
export function currentState(): HarnessState | null {
  const file = process.env[STATE_ENV];
  if (!file || !fs.existsSync(file)) return null;
  return readState(file);
}

/**
 * What service `name` returned from start(), for tests:
 * `const kube = harnessInfo<KubeInfo>('kube')`. Throws when the service is not running for
 * this run, which means the test file lacks its `// harness: <name>` line.
 */
export function harnessInfo<T>(name: string): T {
  const state = currentState();
  const svc = state?.services[name];
  if (!svc) {
    const why = !process.env[STATE_ENV]
      ? `${STATE_ENV} is not set: no harness service was started for this run`
      : state
        ? `${process.env[STATE_ENV]} has only [${Object.keys(state.services).join(', ')}]`
        : `${process.env[STATE_ENV]} does not exist (harness already torn down?)`;
    throw new Error(
      `harness service "${name}" was not started (${why}). ` +
        `Declare it in the test file's first line: // harness: ${name}  (see tests/harness/README.md)`,
    );
  }
  return svc.info as T;
}
