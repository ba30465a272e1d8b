// Service `flux-operator`: the real Flux Operator, built from the Go module proxy
// (flux-operator-build.ts) and run as a local process against the harness API server, in the
// role of its in-cluster Deployment, beside the real source- and kustomize-controller of
// `flux-controllers`.
//
// Like the controllers, it is supervised (flux-controllers-supervisor.ts): it runs while its
// CRDs are Established and a Deployment `flux-operator` exists in flux-system, so an install
// brings it up and an uninstall stops it. What differs from a pod:
// - its data (/data in the image: the Flux releases under flux/<version>/) is the module's
//   config/data, given as --storage-path;
// - it reads the kubeconfig from KUBECONFIG and RUNTIME_NAMESPACE from the environment (the
//   Downward API sets it in a pod), so it serves the FluxInstance `flux` of flux-system only;
// - no leader election (one replica), its web UI off (the module ships no UI build);
// - the health checks it makes on what a FluxInstance applies need Deployments that report
//   Available: this supervisor plays the Deployment controller's part in flux-system for the
//   processes that do run (the operator here, source- and kustomize-controller in
//   flux-controllers' supervisor). Deployments of controllers the harness does not run
//   (helm-controller, notification-controller) never become available, so FluxInstances in
//   tests list source-controller and kustomize-controller only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { progress } from './cache';
import type { FluxControllersInfo } from './flux-controllers';
import { buildFluxOperator, fluxOperatorVersion } from './flux-operator-build';
import type { SupervisorConfig, SupervisorStatus } from './flux-controllers-supervisor';
import type { KubeInfo } from './kube';
import { logStart, startProcess, stopRecorded, tail } from './processes';
import type { Service } from './service';

export interface FluxOperatorInfo {
  /** the operator release, e.g. v0.59.0 */
  version: string;
  bin: string;
  /** the --storage-path: flux/<version>/ per Flux release the operator carries */
  dataDir: string;
  /** config/ of the operator module (crd, rbac, manager, default) */
  configDir: string;
  /** the namespace it serves (RUNTIME_NAMESPACE) */
  namespace: string;
  log: string;
  statusFile: string;
  supervisorLog: string;
}

const SUPERVISOR_PID = 'supervisor.pid';
export const OPERATOR_NAMESPACE = 'flux-system';
const CRDS = ['fluxinstances', 'fluxreports', 'resourcesets', 'resourcesetinputproviders'].map((n) => `${n}.fluxcd.controlplane.io`);

export const fluxOperatorService: Service<FluxOperatorInfo> = {
  name: 'flux-operator',
  needs: ['kube', 'flux-controllers'],
  build() {
    buildFluxOperator();
  },

  async start(workDir: string, deps: Record<string, unknown>): Promise<FluxOperatorInfo> {
    const kube = deps.kube as KubeInfo;
    const controllers = deps['flux-controllers'] as FluxControllersInfo;
    const t = Date.now();
    const built = buildFluxOperator(fluxOperatorVersion());
    progress(`flux-operator ${built.version} ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const logs = path.join(workDir, 'logs');
    const tmp = path.join(workDir, 'tmp');
    const home = path.join(workDir, 'home');
    for (const d of [logs, tmp, home]) fs.mkdirSync(d, { recursive: true });
    const log = path.join(logs, 'flux-operator.log');
    const statusFile = path.join(workDir, 'status.json');
    const config: SupervisorConfig = {
      server: kube.server,
      ca: kube.ca,
      token: kube.token,
      namespace: OPERATOR_NAMESPACE,
      statusFile,
      pollMs: 500,
      controllers: [
        {
          name: 'flux-operator',
          bin: built.bin,
          args: [
            `--storage-path=${built.dataDir}`,
            '--metrics-addr=127.0.0.1:{port:metrics}',
            '--health-addr=127.0.0.1:{port:health}',
            '--web-server-port=0',
            '--enable-leader-election=false',
            '--log-encoding=console',
            '--log-level=info',
          ],
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: home,
            TMPDIR: tmp,
            KUBECONFIG: kube.kubeconfig,
            RUNTIME_NAMESPACE: OPERATOR_NAMESPACE,
          },
          logFile: log,
          crds: CRDS,
          deployment: 'flux-operator',
        },
      ],
      availability: { namespace: OPERATOR_NAMESPACE, peerStatusFiles: [controllers.statusFile] },
    };
    const configFile = path.join(workDir, 'supervisor.json');
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
    const supervisorLog = path.join(logs, 'supervisor.log');
    const proc = startProcess({
      name: 'flux-operator supervisor',
      command: process.execPath,
      args: [path.join(__dirname, 'flux-controllers-supervisor.js'), configFile],
      logFile: supervisorLog,
      pidFile: path.join(workDir, 'pids', SUPERVISOR_PID),
    });
    logStart(proc);
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(statusFile)) {
      if (proc.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the flux-operator supervisor did not come up; ${supervisorLog}:\n${tail(supervisorLog)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      version: built.version,
      bin: built.bin,
      dataDir: built.dataDir,
      configDir: built.configDir,
      namespace: OPERATOR_NAMESPACE,
      log,
      statusFile,
      supervisorLog,
    };
  },

  async stop(workDir: string): Promise<void> {
    await stopRecorded(path.join(workDir, 'pids', SUPERVISOR_PID));
  },
};

/** What the operator's supervisor last wrote. */
export function operatorStatus(info: FluxOperatorInfo): SupervisorStatus {
  return JSON.parse(fs.readFileSync(info.statusFile, 'utf8')) as SupervisorStatus;
}

export default fluxOperatorService;
