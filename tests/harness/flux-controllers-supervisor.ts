// The harness's stand-in for a kubelet, for the Flux controllers only. The harness cluster has
// no nodes, so the controller Deployments a bootstrap applies are never scheduled; this process
// runs each controller as a local process instead, when the cluster says it should run:
//
// - its CRDs exist and are Established (a controller started before them exits at once:
//   "unable to create controller ... no matches for kind"), and
// - a Deployment of its name exists (in any namespace, or only in `namespace` when set; the
//   controllers watch all namespaces, so one pair serves bootstraps into several namespaces):
//   delete it, as an uninstall does, and the controller stops, as its pod would.
//
// A change of the Deployment's pod template (a Flux version bump) restarts the controller, like
// a rollout. A controller that exits is restarted with a capped backoff, like a crash loop.
// Every start takes fresh loopback ports for the `{port:NAME}` placeholders in the arguments
// (metrics, health): ports picked once would be free, and taken by anything, while the
// controller is stopped. Its state, ports included, goes to a status file tests and the demo
// read (flux-controllers.ts controllerStatus). Run: `node flux-controllers-supervisor.js <config.json>`.
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { markRunningAvailable } from './deployment-availability';
import { freePort } from './ports';

export interface SupervisedController {
  name: string;
  bin: string;
  /** `{port:NAME}` in an argument becomes a free 127.0.0.1 port, new at every start */
  args: string[];
  env: Record<string, string>;
  logFile: string;
  /** CRD names (`gitrepositories.source.toolkit.fluxcd.io`) that must be Established */
  crds: string[];
  /** Deployment name that must exist; null: do not follow a Deployment */
  deployment: string | null;
}

export interface SupervisorConfig {
  server: string;
  ca: string;
  token: string;
  /** where the Deployments must be; null: any namespace */
  namespace: string | null;
  statusFile: string;
  pollMs: number;
  controllers: SupervisedController[];
  /** play the Deployment controller's part in this namespace (deployment-availability.ts): the
   *  Deployments of the controllers running here, or in the peers' status files, are marked
   *  available. Off by default: the classic tests expect Deployments never to become so */
  availability?: { namespace: string; peerStatusFiles: string[] };
}

export interface ControllerState {
  state: 'waiting' | 'running' | 'stopping' | 'backoff';
  /** what it waits for, when waiting */
  waitingFor?: string;
  pid?: number;
  /** ISO time the current process started */
  startedAt?: string;
  /** the ports of the current process, by placeholder name */
  ports?: Record<string, number>;
  /** how many times a process was started */
  starts: number;
  /** exits not asked for */
  crashes: number;
  lastExit?: string;
}

export interface SupervisorStatus {
  pid: number;
  updatedAt: string;
  controllers: Record<string, ControllerState>;
}

function get(cfg: SupervisorConfig, path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const url = `${cfg.server}${path}`;
    const opts = {
      ca: cfg.ca,
      headers: { authorization: `Bearer ${cfg.token}`, 'user-agent': 'flux-bootstrap-harness-supervisor' },
      timeout: 5_000,
    };
    // http only for the fake API server of the supervisor's own unit test
    const req = (url.startsWith('http:') ? http : https).get(url, opts, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => {
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: GET ${path}`)));
    req.on('error', reject);
  });
}

type Obj = {
  metadata?: { name?: string; namespace?: string; deletionTimestamp?: string };
  spec?: { template?: unknown };
  status?: { conditions?: { type: string; status: string }[] };
};

/** What the cluster wants: per controller, null (run, with the template hash) or the reason to wait. */
async function observe(cfg: SupervisorConfig): Promise<Map<string, { waitFor: string | null; template: string }>> {
  const crdList = await get(cfg, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
  if (crdList.status !== 200) throw new Error(`listing CRDs: HTTP ${crdList.status}`);
  const established = new Set(
    ((crdList.body as { items: Obj[] }).items ?? [])
      .filter((c) => !c.metadata?.deletionTimestamp && c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True'))
      .map((c) => c.metadata?.name),
  );
  // name -> the live Deployments of that name, sorted by namespace
  const deployments = new Map<string, Obj[]>();
  if (cfg.controllers.some((c) => c.deployment)) {
    const where = cfg.namespace ? `/namespaces/${cfg.namespace}` : '';
    const list = await get(cfg, `/apis/apps/v1${where}/deployments`);
    if (list.status !== 200) throw new Error(`listing Deployments: HTTP ${list.status}`);
    const items = ((list.body as { items: Obj[] }).items ?? []).filter((d) => !d.metadata?.deletionTimestamp && d.metadata?.name);
    items.sort((a, b) => (a.metadata?.namespace ?? '').localeCompare(b.metadata?.namespace ?? ''));
    for (const d of items) deployments.set(d.metadata!.name!, [...(deployments.get(d.metadata!.name!) ?? []), d]);
  }
  const out = new Map<string, { waitFor: string | null; template: string }>();
  for (const c of cfg.controllers) {
    const missing = c.crds.filter((n) => !established.has(n));
    const deps = c.deployment ? (deployments.get(c.deployment) ?? []) : [];
    const template = deps.length
      ? crypto
          .createHash('sha256')
          .update(JSON.stringify(deps.map((d) => d.spec?.template ?? null)))
          .digest('hex')
      : '';
    let waitFor: string | null = null;
    if (missing.length) waitFor = `CRDs ${missing.join(', ')}`;
    else if (c.deployment && !deps.length) waitFor = `a Deployment ${cfg.namespace ?? '<any namespace>'}/${c.deployment}`;
    out.set(c.name, { waitFor, template });
  }
  return out;
}

class Runner {
  child: ChildProcess | null = null;
  template = '';
  state: ControllerState = { state: 'waiting', starts: 0, crashes: 0 };
  private stopping = false;
  private starting = false;
  private notBefore = 0;
  private backoffMs = 1_000;

  constructor(
    private readonly c: SupervisedController,
    private readonly changed: () => void,
  ) {}

  async start(template: string): Promise<void> {
    if (this.child || this.starting || Date.now() < this.notBefore) return;
    this.starting = true;
    const ports: Record<string, number> = {};
    let args: string[];
    try {
      for (const a of this.c.args) for (const m of a.matchAll(/\{port:(\w+)\}/g)) ports[m[1]] ??= await freePort();
      args = this.c.args.map((a) => a.replace(/\{port:(\w+)\}/g, (_m, n: string) => String(ports[n])));
    } finally {
      this.starting = false;
    }
    const out = fs.openSync(this.c.logFile, 'a');
    fs.writeSync(out, `\n--- ${new Date().toISOString()} flux-controllers-supervisor: starting ${this.c.name} ${args.join(' ')}\n`);
    const child = spawn(this.c.bin, args, { env: this.c.env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const started = Date.now();
    this.child = child;
    this.template = template;
    this.stopping = false;
    this.state = {
      ...this.state,
      state: 'running',
      pid: child.pid,
      startedAt: new Date().toISOString(),
      ports,
      starts: this.state.starts + 1,
      waitingFor: undefined,
    };
    child.on('exit', (code, signal) => {
      this.child = null;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (this.stopping) {
        this.state = { ...this.state, state: 'waiting', pid: undefined, ports: undefined, lastExit: `stopped (${how})` };
      } else {
        // a crash loop, like a pod's: 1 s, 2 s, 4 s ... 10 s; a run of a minute resets it
        if (Date.now() - started > 60_000) this.backoffMs = 1_000;
        this.notBefore = Date.now() + this.backoffMs;
        this.backoffMs = Math.min(this.backoffMs * 2, 10_000);
        this.state = {
          ...this.state,
          state: 'backoff',
          pid: undefined,
          ports: undefined,
          crashes: this.state.crashes + 1,
          lastExit: `exited (${how})`,
        };
      }
      this.changed();
    });
    this.changed();
  }

  stop(reason: string): void {
    if (!this.child || this.stopping) return;
    this.stopping = true;
    this.state = { ...this.state, state: 'stopping', waitingFor: reason };
    const child = this.child;
    child.kill('SIGTERM');
    // terminationGracePeriodSeconds of the Flux Deployments is 10
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, 10_000).unref();
    this.changed();
  }

  wait(reason: string): void {
    if (this.child) this.stop(reason);
    else if (this.state.state !== 'backoff' || Date.now() >= this.notBefore)
      this.state = { ...this.state, state: 'waiting', waitingFor: reason };
  }
}

export async function supervise(cfg: SupervisorConfig): Promise<void> {
  const writeStatus = () => {
    const status: SupervisorStatus = {
      pid: process.pid,
      updatedAt: new Date().toISOString(),
      controllers: Object.fromEntries(runners.map((r, i) => [cfg.controllers[i].name, r.state])),
    };
    fs.writeFileSync(`${cfg.statusFile}.tmp`, JSON.stringify(status, null, 2) + '\n');
    fs.renameSync(`${cfg.statusFile}.tmp`, cfg.statusFile);
  };
  const runners = cfg.controllers.map((c) => new Runner(c, writeStatus));
  let exiting = false;
  const shutdown = (sig: NodeJS.Signals) => {
    if (exiting) return;
    exiting = true;
    for (const r of runners) r.child?.kill(sig);
    const deadline = Date.now() + 10_000;
    const check = setInterval(() => {
      if (runners.every((r) => !r.child) || Date.now() > deadline) {
        for (const r of runners) r.child?.kill('SIGKILL');
        clearInterval(check);
        process.exit(0);
      }
    }, 50);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGTERM'));
  writeStatus();
  let lastError = '';
  while (!exiting) {
    try {
      const wanted = await observe(cfg);
      lastError = '';
      await Promise.all(
        runners.map(async (r, i) => {
          const w = wanted.get(cfg.controllers[i].name)!;
          if (w.waitFor) r.wait(w.waitFor);
          else if (r.child && r.template && w.template !== r.template) r.stop('Deployment pod template changed (rollout)');
          else await r.start(w.template);
        }),
      );
    } catch (e) {
      // the API server going away (harness teardown) is not the controllers' business
      const msg = (e as Error).message;
      if (msg !== lastError) process.stderr.write(`${new Date().toISOString()} observing the cluster: ${msg}\n`);
      lastError = msg;
    }
    writeStatus();
    if (cfg.availability) await markAvailability(cfg, runners).catch(() => undefined);
    await new Promise((r) => setTimeout(r, cfg.pollMs));
  }
}

/**
 * How long a process runs before its Deployment is marked available, as a pod is Ready only after
 * it started and its probe passed. Not at once: the kubectl provider's rollout wait watches from
 * after its apply and counts only Modified events, so a Deployment already marked available when
 * its watch begins is waited for until the timeout (cdktn operator e2e, CI: 5 minutes).
 */
const READY_AFTER_MS = 3_000;
const readyLongEnough = (st: ControllerState) =>
  st.state === 'running' && st.startedAt !== undefined && Date.now() - Date.parse(st.startedAt) >= READY_AFTER_MS;

/** The Deployments whose processes run (here and in the peers) get a healthy rollout's status. */
async function markAvailability(cfg: SupervisorConfig, runners: Runner[]): Promise<void> {
  const running = new Set(
    runners.flatMap((r, i) => (readyLongEnough(r.state) && cfg.controllers[i].deployment ? [cfg.controllers[i].deployment] : [])),
  );
  for (const file of cfg.availability!.peerStatusFiles) {
    try {
      const peer = JSON.parse(fs.readFileSync(file, 'utf8')) as SupervisorStatus;
      for (const [name, st] of Object.entries(peer.controllers)) if (readyLongEnough(st)) running.add(name);
    } catch {
      /* the peer has not written yet */
    }
  }
  await markRunningAvailable(cfg, cfg.availability!.namespace, running);
}

if (require.main === module) {
  const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as SupervisorConfig;
  supervise(cfg).catch((e) => {
    process.stderr.write(`flux-controllers-supervisor: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
