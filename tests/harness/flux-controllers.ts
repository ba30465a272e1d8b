// Service `flux-controllers`: the real Flux source-controller and kustomize-controller (the
// versions Flux v2.9.3 ships), built from the Go module proxy and run as local processes
// against the harness API server, in the role of the in-cluster controllers.
//
// The harness cluster has no nodes: the controller Deployments a bootstrap applies are never
// scheduled and never become available. So a bootstrap against this cluster must wait for
// reconciliation (GitRepository and Kustomization Ready at the pushed revision), not for
// Deployment availability; the controllers that reconcile are these processes.
//
// They are not started at once: a supervisor (flux-controllers-supervisor.ts) runs each
// controller while its CRDs are Established and a Deployment of its name exists (in any
// namespace), so a bootstrap's own install brings them up, an uninstall stops them, and a
// version bump (a new pod template) restarts them. Started before the CRDs, they would exit at
// once. They watch all namespaces, so bootstraps into several namespaces share them.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { progress } from './cache';
import {
  buildFluxControllers,
  CONTROLLERS,
  controllerVersions,
  fluxControllersRelease,
  type ControllerName,
} from './flux-controllers-build';
import type { SupervisedController, SupervisorConfig, SupervisorStatus } from './flux-controllers-supervisor';
import type { KubeInfo } from './kube';
import { logStart, startProcess, stopRecorded, tail } from './processes';
import type { Service } from './service';

export interface ControllerInfo {
  version: string;
  bin: string;
  log: string;
}

export interface FluxControllersInfo {
  /** the Flux release whose controller versions run, e.g. v2.9.3 */
  release: string;
  /** RUNTIME_NAMESPACE of both controllers */
  namespace: string;
  /** the kubeconfig the controllers use (the harness admin) */
  kubeconfig: string;
  controllers: Record<ControllerName, ControllerInfo>;
  /** source-controller's artifact server, --storage-addr = --storage-adv-addr: fixed for the
   *  service's life, like the in-cluster Service address (artifact URLs in GitRepository
   *  status carry it; kustomize-controller fetches from there) */
  storageUrl: string;
  storagePath: string;
  /** CRD files from the controllers' modules (config/crd/bases) */
  crds: string[];
  /** the supervisor's status file (see controllerStatus) */
  statusFile: string;
  supervisorLog: string;
}

/** CRD name (`plural.group`) of a CRD file. */
function crdName(file: string): string {
  const m = /^metadata:\s*\n(?:\s+.*\n)*?\s+name:\s*(\S+)/m.exec(fs.readFileSync(file, 'utf8'));
  if (!m) throw new Error(`no metadata.name in ${file}`);
  return m[1];
}

const SUPERVISOR_PID = 'supervisor.pid';

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port below the kernel's ephemeral range: the controller's stable ports stay unbound
 *  while it is stopped, and ports from the ephemeral range (outgoing connections, other
 *  services' freePort()) would be taken by then sooner or later. */
async function stablePort(): Promise<number> {
  let low = 32768;
  try {
    low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || low;
  } catch {
    /* default */
  }
  const from = Math.min(20000, low - 1000);
  for (let i = 0; i < 200; i++) {
    const port = from + Math.floor(Math.random() * (low - from));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${from}..${low - 1}`);
}

export const fluxControllersService: Service<FluxControllersInfo> = {
  name: 'flux-controllers',
  needs: ['kube'],
  build() {
    buildFluxControllers(fluxControllersRelease());
  },

  async start(workDir: string, deps: Record<string, unknown>): Promise<FluxControllersInfo> {
    const kube = deps.kube as KubeInfo;
    const release = fluxControllersRelease();
    const t = Date.now();
    const built = buildFluxControllers(release);
    progress(
      `flux-controllers: source-controller ${built['source-controller'].version}, kustomize-controller ${built['kustomize-controller'].version} (Flux ${release}) ready in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );

    const namespace = 'flux-system';
    const logs = path.join(workDir, 'logs');
    const storagePath = path.join(workDir, 'storage');
    const tmp = path.join(workDir, 'tmp');
    for (const d of [logs, storagePath, tmp]) fs.mkdirSync(d, { recursive: true });
    const storageAddr = `127.0.0.1:${await stablePort()}`;
    const env = (name: ControllerName): Record<string, string> => ({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: path.join(workDir, 'home', name),
      TMPDIR: tmp,
      // controller-runtime reads the kubeconfig from here only (no --kubeconfig flag)
      KUBECONFIG: kube.kubeconfig,
      RUNTIME_NAMESPACE: namespace,
      TUF_ROOT: path.join(tmp, `${name}-sigstore`),
    });
    const controllers = {} as Record<ControllerName, ControllerInfo>;
    const supervised: SupervisedController[] = [];
    const sourceCrds = built['source-controller'].crds.map(crdName);
    for (const name of CONTROLLERS) {
      const b = built[name];
      const info: ControllerInfo = { version: b.version, bin: b.bin, log: path.join(logs, `${name}.log`) };
      controllers[name] = info;
      fs.mkdirSync(path.join(workDir, 'home', name), { recursive: true });
      const args = [
        '--watch-all-namespaces',
        '--log-level=info',
        '--log-encoding=console',
        // fresh ports at every start (flux-controllers-supervisor.ts)
        '--metrics-addr=127.0.0.1:{port:metrics}',
        '--health-addr=127.0.0.1:{port:health}',
        // no --enable-leader-election: one replica each, and no Lease churn in the logs
      ];
      if (name === 'source-controller') {
        // One address for the service's life: a restarted kustomize-controller fetches from the
        // URL in the GitRepository status before a restarted source-controller rewrites it
        // (with a new port it retried for 3.5 minutes, then waited the 10m interval).
        args.push(`--storage-path=${storagePath}`, `--storage-addr=${storageAddr}`, `--storage-adv-addr=${storageAddr}`);
      }
      // Each waits for the CRDs it watches: source-controller its own, kustomize-controller
      // Kustomization and the sources it reads (GitRepository, OCIRepository, Bucket).
      const crds =
        name === 'source-controller'
          ? sourceCrds.filter((n) => n !== 'externalartifacts.source.toolkit.fluxcd.io')
          : [...b.crds.map(crdName), ...sourceCrds.filter((n) => /^(gitrepositories|ocirepositories|buckets)\./.test(n))];
      supervised.push({ name, bin: b.bin, args, env: env(name), logFile: info.log, crds, deployment: name });
    }

    const statusFile = path.join(workDir, 'status.json');
    const config: SupervisorConfig = {
      server: kube.server,
      ca: kube.ca,
      token: kube.token,
      namespace: null,
      statusFile,
      pollMs: 500,
      controllers: supervised,
    };
    const configFile = path.join(workDir, 'supervisor.json');
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
    const supervisorLog = path.join(logs, 'supervisor.log');
    const proc = startProcess({
      name: 'flux-controllers supervisor',
      command: process.execPath,
      args: [path.join(__dirname, 'flux-controllers-supervisor.js'), configFile],
      logFile: supervisorLog,
      pidFile: path.join(workDir, 'pids', SUPERVISOR_PID),
    });
    logStart(proc);
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(statusFile)) {
      if (proc.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the flux-controllers supervisor did not come up; ${supervisorLog}:\n${tail(supervisorLog)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      release,
      namespace,
      kubeconfig: kube.kubeconfig,
      controllers,
      storageUrl: `http://${storageAddr}`,
      storagePath,
      crds: CONTROLLERS.flatMap((n) => built[n].crds),
      statusFile,
      supervisorLog,
    };
  },

  async stop(workDir: string): Promise<void> {
    // the controllers run in the supervisor's process group: both stop together
    await stopRecorded(path.join(workDir, 'pids', SUPERVISOR_PID));
  },
};

/** The controllers' versions for `release` without building anything. */
export function fluxControllerVersions(release = fluxControllersRelease()): Record<ControllerName, string> {
  return controllerVersions(release);
}

/** What the supervisor last wrote: per controller waiting / running (pid) / backoff. */
export function controllerStatus(info: FluxControllersInfo): SupervisorStatus {
  return JSON.parse(fs.readFileSync(info.statusFile, 'utf8')) as SupervisorStatus;
}

function healthy(port: number | undefined): Promise<boolean> {
  if (!port) return Promise.resolve(false);
  return new Promise((resolve) => {
    const req = http.get(`http://127.0.0.1:${port}/readyz`, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Resolves when both controllers run and answer /readyz; fails with their log tails. */
export async function waitForControllersReady(info: FluxControllersInfo, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = controllerStatus(info);
    const ready = await Promise.all(
      CONTROLLERS.map(async (n) => status.controllers[n]?.state === 'running' && healthy(status.controllers[n].ports?.health)),
    );
    if (ready.every(Boolean)) return;
    if (Date.now() > deadline) {
      const detail = CONTROLLERS.map((n) => `${n}: ${JSON.stringify(status.controllers[n])}\n${tail(info.controllers[n].log, 15)}`).join(
        '\n',
      );
      throw new Error(`Flux controllers not ready after ${timeoutMs / 1000} s:\n${detail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Resolves when neither controller process runs (after an uninstall). */
export async function waitForControllersStopped(info: FluxControllersInfo, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = controllerStatus(info);
    if (CONTROLLERS.every((n) => status.controllers[n]?.state !== 'running' && status.controllers[n]?.state !== 'stopping')) return;
    if (Date.now() > deadline)
      throw new Error(`Flux controllers still run after ${timeoutMs / 1000} s: ${JSON.stringify(status.controllers)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export default fluxControllersService;
