// A control plane of its own for the Flux lifecycle tests. Flux CRDs are cluster-wide: these
// tests install two Flux versions, prune CRDs and uninstall, which would pull the CRDs from
// under the e2e tests' real Flux controllers sharing the run's `kube`. Same harness service and
// binaries, started under the run directory so teardown (or the reaper after a crash) stops it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kube, type KubeInfo } from '../../harness/kube';
import { currentState } from '../../harness/state';

export interface PrivateKube {
  info: KubeInfo;
  stop(): Promise<void>;
}

export async function startPrivateKube(label: string): Promise<PrivateKube> {
  const parent = currentState()?.runDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'flux-bootstrap-private-kube-'));
  const workDir = path.join(parent, `private-kube-${label}-${process.pid}`);
  fs.mkdirSync(workDir, { recursive: true });
  try {
    const info = await kube.start(workDir, {});
    return { info, stop: () => kube.stop(workDir) };
  } catch (err) {
    await kube.stop(workDir).catch(() => undefined);
    throw err;
  }
}
