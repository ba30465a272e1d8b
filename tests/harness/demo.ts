// `npm run demo [-- --keep | --down]`: flux-bootstrap end to end on this machine.
//
// Provisions the harness (a real etcd + kube-apiserver + kube-controller-manager, a real sshd
// serving git, the real Flux source-controller and kustomize-controller, the real Pulumi CLI;
// built from the Go module proxy on the first run), then runs examples/pulumi-git-ssh:
// `pulumi up` with Flux v2.8.5, Flux reconciles itself from git, a workload committed by hand
// appears in the cluster, `pulumi up` with Flux v2.9.3 is reconciled again. It then prints a
// kubeconfig and a clone to look at and waits: Ctrl-C runs `pulumi destroy` (Flux goes, the
// workload stays) and stops everything. --keep leaves it all running and exits;
// `npm run demo -- --down` destroys and stops it later (not while the demo's own process still
// runs: Ctrl-C belongs to that one; --force overrides).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheRoot } from './cache';
import { controllerStatus, type FluxControllersInfo } from './flux-controllers';
import type { GitSshInfo } from './git-ssh';
import type { KubeInfo } from './kube';
import { KubeRest } from './kube-rest';
import { recordedPid, pidFilesUnder } from './processes';
import type { PulumiInfo } from './pulumi';
import { GitSshFlow, type UpResult } from './pulumi-git-ssh-flow';
import { programStack } from './pulumi-program';
import { newRun, startServices, stopServices, tearDownRunSync } from './registry';
import { readState, stateFile, writeState, type HarnessState } from './state';

const SERVICES = ['kube', 'git-ssh', 'flux-controllers', 'pulumi'];
const REPO = 'fleet/demo';
const STACK = 'demo';
const WORKLOAD = 'hello-from-git';

function demoDir(): string {
  return path.join(cacheRoot(), 'demo');
}
function programDir(): string {
  return path.join(demoDir(), 'flow', 'program');
}

let stepNo = 0;
function step(title: string): void {
  stepNo += 1;
  console.log(`\n==> ${stepNo}. ${title}`);
}
function info(line: string): void {
  console.log(`    ${line}`);
}
function seconds(ms: number | null): string {
  return ms === null ? '?' : `${(ms / 1000).toFixed(1)} s`;
}

/** Streams Pulumi's progress indented and trimmed: no spinner lines, no ambient-plugin
 *  warnings, no Diagnostics (a repeat of the progress) and no Outputs (the whole manifests). */
function pulumiPrinter(): (chunk: string) => void {
  let buffer = '';
  let skipping = false;
  return (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const raw of lines) {
      if (/^(Diagnostics|Outputs):/.test(raw)) {
        skipping = true;
        continue;
      }
      if (/^(Resources|Duration):/.test(raw)) skipping = false;
      if (skipping || /^@ /.test(raw) || /using pulumi-[a-z-]+ from \$PATH/.test(raw) || !raw.trim()) continue;
      const line = raw
        .replace(/^\s*[+~-]*\s*pulumi:pulumi:Stack \S+\s+(?:\S+ \((\d+s)\) )?/, (_m, t: string | undefined) => (t ? `(${t}) ` : '      '))
        .replace(/pulumi-nodejs:dynamic\/flux-bootstrap:/, '');
      if (line.replace(/\(\d+s\)/, '').trim()) console.log(`    │ ${line}`);
    }
  };
}

function loadState(): HarnessState | null {
  const file = stateFile(demoDir());
  return fs.existsSync(file) ? readState(file) : null;
}

function ownerAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('demo.js');
  } catch {
    return true;
  }
}

function anyAlive(state: HarnessState): boolean {
  return pidFilesUnder(state.runDir).some((f) => recordedPid(f) !== null);
}

function printUp(r: UpResult): void {
  info(`commit            ${r.commit}`);
  info(`deploy key        ${r.fingerprint} (${r.publicKey.split(' ')[0]}, read-only on the sshd)`);
  info(`files             ${r.files.join(', ')}`);
  info(`objects applied   ${r.objects} (gotk-components.yaml and gotk-sync.yaml, and the flux-system Secret)`);
  info(`GitRepository     Ready, artifact ${r.status.gitRepository.revision}`);
  info(`Kustomization     Ready, applied ${r.status.kustomization.revision}`);
  const t = r.timings;
  info(
    `timing            up ${seconds(t.upMs)} = provider work ${seconds(t.providerMs)} + controller reconciliation ${seconds(t.reconcileMs)} + ${seconds(t.tailMs)} until up returned`,
  );
}

/** pulumi destroy of the demo stack (if any), then stop every process and remove the directory. */
async function down(state: HarnessState): Promise<void> {
  const pulumi = state.services.pulumi?.info as PulumiInfo | undefined;
  if (pulumi && state.services.kube && fs.existsSync(path.join(programDir(), 'Pulumi.yaml'))) {
    step('pulumi destroy: Flux leaves the cluster; what it deployed stays');
    try {
      const { stack } = await programStack(pulumi, programDir(), STACK);
      await stack.destroy({ onOutput: pulumiPrinter(), color: 'never' });
      const kube = state.services.kube.info as KubeInfo;
      const rest = new KubeRest(kube);
      const cm = await rest.get(`/api/v1/namespaces/default/configmaps/${WORKLOAD}`);
      // the namespace controller finalizes the namespace shortly after
      const ns = await rest
        .waitFor('flux-system gone', async () => ((await rest.get('/api/v1/namespaces/flux-system')) ? undefined : null), 60_000, 500)
        .catch(() => 'terminating');
      info(`namespace flux-system: ${ns ? 'still terminating' : 'gone'}; ConfigMap default/${WORKLOAD}: ${cm ? 'still there' : 'gone'}`);
    } catch (e) {
      info(`destroy failed (stopping anyway): ${(e as Error).message.split('\n')[0]}`);
    }
  }
  step('stopping the harness');
  await stopServices(state).catch((e) => info((e as Error).message));
  fs.rmSync(state.runDir, { recursive: true, force: true });
  info(`stopped; removed ${state.runDir}`);
}

async function run(keep: boolean): Promise<number> {
  const existing = loadState();
  if (existing && anyAlive(existing)) {
    console.error(`a demo is already running (${existing.runDir}); \`npm run demo -- --down\` stops it`);
    return 1;
  }
  // whatever an earlier, dead demo left (its stack state too) goes: every run starts clean
  fs.rmSync(demoDir(), { recursive: true, force: true });
  const state = newRun('cli', demoDir());

  let stopping = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) {
      // a second Ctrl-C: stop the processes now, skip destroy
      tearDownRunSync(state.runDir);
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${sig}: cleaning up (Ctrl-C again to skip pulumi destroy)`);
    down(loadState() ?? state).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal); // the terminal closed

  step('Provisioning the harness: etcd + kube-apiserver + kube-controller-manager, sshd, Flux controllers, Pulumi CLI');
  info(
    'The first run builds them from the Go module proxy into ~/.cache/flux-bootstrap (long: tens of minutes); later runs start in seconds.',
  );
  const t0 = Date.now();
  await startServices(state, SERVICES);
  const kube = state.services.kube.info as KubeInfo;
  const gitSsh = state.services['git-ssh'].info as GitSshInfo;
  const flux = state.services['flux-controllers'].info as FluxControllersInfo;
  const pulumi = state.services.pulumi.info as PulumiInfo;
  info(`Kubernetes ${kube.version} at ${kube.server} (no nodes: Deployments are never scheduled)`);
  info(`git over SSH at ${gitSsh.baseUrl}`);
  info(
    `Flux controllers: source-controller ${flux.controllers['source-controller'].version}, kustomize-controller ${flux.controllers['kustomize-controller'].version}, as local processes; they start once the bootstrap installs their CRDs and Deployments`,
  );
  info(`Pulumi ${pulumi.cliVersion}; ready in ${seconds(Date.now() - t0)}`);

  step(`An empty repository ${REPO} on the sshd, and a key that may push to it`);
  const flow = await GitSshFlow.prepare(
    { kube, gitSsh, flux, pulumi },
    {
      workDir: path.join(demoDir(), 'flow'),
      repo: REPO,
      stackName: STACK,
      pulumiOutput: pulumiPrinter(),
    },
  );
  info(`repository        ${flow.url}`);
  info(`known_hosts       ${gitSsh.knownHosts}`);
  info(`program           examples/pulumi-git-ssh, copied to ${flow.program.dir}`);

  step('pulumi up with Flux v2.8.5: commit the manifests, register a deploy key, install, wait for Flux');
  const first = await flow.up('v2.8.5');
  printUp(first);

  step(`A workload committed with plain git under ${flow.clusterPath}/ is applied by Flux`);
  const cm = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${WORKLOAD}`,
    '  namespace: default',
    'data:',
    '  message: "hello from git"',
    '',
  ].join('\n');
  const w = await flow.commitToClusterPath('workload.yaml', cm, 'Add a workload');
  info(`commit            ${w.commit}`);
  info(`ConfigMap default/${WORKLOAD} in the cluster ${seconds(w.appliedMs)} after asking Flux to reconcile`);

  step('pulumi up with Flux v2.9.3: a new commit on top, the controllers upgraded, reconciled again');
  const second = await flow.up('v2.9.3');
  printUp(second);

  step('Look around');
  const status = controllerStatus(flux);
  info(`export KUBECONFIG=${kube.kubeconfig}`);
  info('  then e.g. kubectl get gitrepositories,kustomizations -A; kubectl get configmap ' + WORKLOAD);
  info(`clone             ${flow.clone}   (git log --stat there)`);
  info(`Pulumi program    ${flow.program.dir}  (PULUMI_HOME=${pulumi.home} PULUMI_BACKEND_URL=${pulumi.backendUrl})`);
  info(`controller logs   ${flux.controllers['source-controller'].log}, ${flux.controllers['kustomize-controller'].log}`);
  info(
    `controllers       ${Object.entries(status.controllers)
      .map(([n, c]) => `${n} ${c.state}${c.pid ? ` (pid ${c.pid})` : ''}`)
      .join(', ')}`,
  );
  writeState(state);

  if (keep) {
    info('');
    info('Left running (--keep). `npm run demo -- --down` destroys the stack and stops everything.');
    return 0;
  }
  info('');
  info('Press Ctrl-C to run pulumi destroy and stop everything (or run with --keep to leave it up).');
  // a pending promise alone does not keep Node running: a timer does, until a signal
  setInterval(() => undefined, 1 << 30);
  await new Promise<never>(() => undefined);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--down')) {
    const state = loadState();
    if (!state) {
      console.log('no demo is running');
      return 0;
    }
    if (ownerAlive(state.ownerPid) && !argv.includes('--force')) {
      // a demo still in its own process (running its flow, or waiting for Ctrl-C) is stopped there
      console.error(
        `the demo is still running in process ${state.ownerPid}: stop it with Ctrl-C there (or \`npm run demo -- --down --force\`)`,
      );
      return 1;
    }
    await down(state);
    return 0;
  }
  const unknown = argv.filter((a) => a !== '--keep');
  if (unknown.length) {
    console.error('usage: npm run demo [-- --keep | --down [--force]]');
    return 2;
  }
  return run(argv.includes('--keep'));
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || process.argv.includes('--keep') || process.argv.includes('--down')) process.exit(code);
  },
  (e) => {
    console.error(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}`);
    const state = loadState();
    if (state && !process.argv.includes('--keep')) {
      console.error('stopping the harness (logs are gone with it; run with --keep to keep them on failure)');
      tearDownRunSync(state.runDir);
    } else if (state) {
      console.error(`left running for inspection: ${state.runDir}; \`npm run demo -- --down\` stops it`);
    }
    process.exit(1);
  },
);
