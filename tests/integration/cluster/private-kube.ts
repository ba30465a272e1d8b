// A control plane of its own for the Flux lifecycle tests. Flux CRDs are cluster-wide: these
// tests install two Flux versions, prune CRDs and uninstall, which would pull the CRDs from
// under the e2e tests' real Flux controllers sharing the run's `kube`. Same harness service and
// binaries. It lives under the run directory, or, when no harness runs, in a run directory of
// its own owned by this process, so teardown or the next run's reaper stops it after a crash.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kube, type KubeInfo } from '../../harness/kube';
import { currentState, writeState } from '../../harness/state';

export interface PrivateKube {
  info: KubeInfo;
  stop(): Promise<void>;
}

function ownRunDir(): { dir: string; remove: boolean } {
  const run = currentState()?.runDir;
  if (run) return { dir: run, remove: false };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-bootstrap-harness-'));
  writeState({ runDir: dir, ownerPid: process.pid, owner: 'jest', services: {} });
  return { dir, remove: true };
}

export async function startPrivateKube(label: string): Promise<PrivateKube> {
  const run = ownRunDir();
  const workDir = path.join(run.dir, `private-kube-${label}-${process.pid}`);
  fs.mkdirSync(workDir, { recursive: true });
  const stop = async () => {
    await kube.stop(workDir);
    fs.rmSync(run.remove ? run.dir : workDir, { recursive: true, force: true });
  };
  try {
    return { info: await kube.start(workDir, {}), stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
