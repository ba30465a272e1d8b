// The services the harness knows, and starting/stopping a set of them in dependency order.
// Used by jest global setup/teardown and by the `harness` CLI.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { progress } from './cache';
import { kube } from './kube';
import { pidFilesUnder, stopRecorded, stopRecordedSync } from './processes';
import type { Service } from './service';

type AnyService = Service<unknown>;
import { readState, stateFile, writeState, type HarnessState } from './state';

/**
 * Modules that export further services. Each is optional until its file lands; every exported
 * value shaped like a Service (name, start, stop) is registered under its `name`.
 */
const SERVICE_MODULES = [
  './git-ssh',
  './git-http',
  './pulumi',
  './gitea',
  './flux-controllers',
  './fake-github',
  './fake-gitlab',
  './opentofu',
  './cdktn',
  './flux-cli',
  './pulumi-languages',
  './pulumi-go',
  './cdktf-cli',
  './pulumi-kubernetes',
  './fake-github-app',
  './oci-registry',
  './oci-registry-token',
  './kube-audit',
  './release',
  './flux-operator',
  './s3-backend',
  './actionlint',
  './ci-schemas',
];

function isService(v: unknown): v is AnyService {
  const s = v as AnyService | null;
  return !!s && typeof s === 'object' && typeof s.name === 'string' && typeof s.start === 'function' && typeof s.stop === 'function';
}

let cached: Map<string, AnyService> | null = null;

/** Every known service by name. */
export function registry(): Map<string, AnyService> {
  if (cached) return cached;
  const found = new Map<string, AnyService>([[kube.name, kube]]);
  for (const mod of SERVICE_MODULES) {
    const file = path.join(__dirname, mod);
    let exported: Record<string, unknown>;
    try {
      exported = require(file) as Record<string, unknown>;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      // Only "this module does not exist (yet)" is fine; a broken module is an error.
      if (err.code === 'MODULE_NOT_FOUND' && err.message.includes(file)) continue;
      throw e;
    }
    for (const v of Object.values(exported)) {
      if (!isService(v)) continue;
      const other = found.get(v.name);
      if (other && other !== v) throw new Error(`two harness services are named "${v.name}" (one in ${mod})`);
      found.set(v.name, v);
    }
  }
  cached = found;
  return found;
}

/** Adds a service defined elsewhere (tests of the harness itself, ad hoc services). */
export function registerService(svc: AnyService): void {
  const all = registry();
  const other = all.get(svc.name);
  if (other && other !== svc) throw new Error(`a harness service named "${svc.name}" exists already`);
  all.set(svc.name, svc);
}

/** The services to start for `names`, their `needs` included, dependencies first. */
export function startOrder(names: string[]): AnyService[] {
  const all = registry();
  const order: AnyService[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, chain: string[]) => {
    const svc = all.get(name);
    if (!svc) {
      throw new Error(
        `unknown harness service "${name}"${chain.length ? ` (needed by ${chain.at(-1)})` : ''}; known: ${[...all.keys()].join(', ')}`,
      );
    }
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting')
      throw new Error(`harness services depend on each other in a cycle: ${[...chain, name].join(' -> ')}`);
    state.set(name, 'visiting');
    for (const dep of svc.needs ?? []) visit(dep, [...chain, name]);
    state.set(name, 'done');
    order.push(svc);
  };
  for (const n of names) visit(n, []);
  return order;
}

const RUN_PREFIX = 'flux-bootstrap-harness-';

/** A fresh per-run directory in the OS temp dir, with an empty state file. */
export function newRun(owner: HarnessState['owner'], runDir?: string): HarnessState {
  const dir = runDir ?? fs.mkdtempSync(path.join(os.tmpdir(), RUN_PREFIX));
  fs.mkdirSync(dir, { recursive: true });
  const state: HarnessState = { runDir: dir, ownerPid: process.pid, owner, services: {} };
  writeState(state);
  return state;
}

/**
 * Starts `names` (and what they need) that are not yet in `state`, in dependency order, each
 * in <runDir>/<name>. The state file is rewritten after every service, so a crash leaves an
 * accurate record. On failure, the failing service is stopped (start() may have left
 * processes) and the error rethrown; services started before it stay for the caller to stop.
 */
export async function startServices(state: HarnessState, names: string[]): Promise<HarnessState> {
  for (const svc of startOrder(names)) {
    if (state.services[svc.name]) continue;
    const workDir = path.join(state.runDir, svc.name);
    fs.mkdirSync(workDir, { recursive: true });
    const deps = Object.fromEntries((svc.needs ?? []).map((n) => [n, state.services[n].info]));
    const t = Date.now();
    progress(`starting ${svc.name}`);
    let info: unknown;
    try {
      info = await svc.start(workDir, deps);
    } catch (e) {
      progress(`${svc.name} failed to start; its logs are under ${workDir}`);
      await svc.stop(workDir).catch(() => undefined);
      for (const f of pidFilesUnder(workDir)) await stopRecorded(f);
      throw e;
    }
    const startSeconds = Math.round((Date.now() - t) / 100) / 10;
    state.services[svc.name] = { workDir, info, startedAt: new Date().toISOString(), startSeconds };
    writeState(state);
    progress(`${svc.name} up in ${startSeconds} s`);
  }
  return state;
}

/** Stops every service of the run, last started first, then anything else recorded below
 *  runDir by pid. Collects errors and throws them together at the end. */
export async function stopServices(state: HarnessState): Promise<void> {
  const errors: string[] = [];
  const all = registry();
  for (const name of Object.keys(state.services).reverse()) {
    const svc = all.get(name);
    try {
      if (svc) await svc.stop(state.services[name].workDir);
    } catch (e) {
      errors.push(`${name}: ${(e as Error).message}`);
    }
    delete state.services[name];
    if (fs.existsSync(state.runDir)) writeState(state);
  }
  for (const f of pidFilesUnder(state.runDir)) await stopRecorded(f);
  if (errors.length) throw new Error(`stopping the harness:\n${errors.join('\n')}`);
}

function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs of jest that died without their teardown (SIGKILL, OOM) leave processes behind. Stop
 * them (by recorded pid, checked against the recorded command) and remove their directories.
 * Runs whose owner still lives (a concurrent jest) and CLI runs are left alone.
 */
export async function reapStaleRuns(): Promise<void> {
  let entries: string[];
  try {
    entries = fs.readdirSync(os.tmpdir()).filter((e) => e.startsWith(RUN_PREFIX));
  } catch {
    return;
  }
  for (const e of entries) {
    const dir = path.join(os.tmpdir(), e);
    let state: HarnessState;
    try {
      state = readState(stateFile(dir));
    } catch {
      continue;
    }
    if (state.owner !== 'jest' || ownerAlive(state.ownerPid)) continue;
    const pids = pidFilesUnder(dir);
    if (pids.length === 0 && state.kept) continue;
    progress(`reaping a harness left by dead jest ${state.ownerPid}: ${dir}`);
    for (const f of pids) await stopRecorded(f);
    if (!state.kept) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** FLUX_BOOTSTRAP_KEEP_HARNESS=1 keeps the run directory (logs, data) after teardown. */
export function keepHarness(): boolean {
  return process.env.FLUX_BOOTSTRAP_KEEP_HARNESS === '1';
}

/** Stops the run's services and removes its directory (unless kept). */
export async function tearDownRun(state: HarnessState): Promise<void> {
  try {
    await stopServices(state);
  } finally {
    if (keepHarness()) {
      state.kept = true;
      writeState(state);
      progress(`harness stopped; kept ${state.runDir} (FLUX_BOOTSTRAP_KEEP_HARNESS=1)`);
    } else {
      fs.rmSync(state.runDir, { recursive: true, force: true });
    }
  }
}

/** tearDownRun for exit and signal handlers, where only synchronous code runs. */
export function tearDownRunSync(runDir: string): void {
  stopRecordedSync(pidFilesUnder(runDir));
  if (!keepHarness()) fs.rmSync(runDir, { recursive: true, force: true });
}
