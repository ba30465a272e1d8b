// A real Kubernetes control plane without nodes: etcd, kube-apiserver and
// kube-controller-manager, built from the Go module proxy (cached) and run on loopback ports.
// Enough for server-side apply, CRDs, RBAC, namespace finalization and garbage collection;
// there is no kubelet and no scheduler, so pods never run.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as http from 'node:http';
import * as path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { progress } from './cache';
import { goBuild, type GoBuildResult } from './go-build';
import { freePort } from './ports';
import { logStart, startProcess, stopRecorded, tail, type Started } from './processes';
import type { Service } from './service';

export interface KubeInfo {
  /** kubeconfig file (admin token, cluster CA), context `harness` */
  kubeconfig: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** bearer token of user `admin` in group system:masters */
  token: string;
  /** gitVersion the API server reports on /version, e.g. v1.34.4 */
  version: string;
  /** PEM of the CA that signed the API server's serving certificate */
  ca: string;
  /** etcd client URL (http, loopback) */
  etcd: string;
  /** directory with etcd.log, kube-apiserver.log, kube-controller-manager.log */
  logs: string;
  /** the API server's audit log: one JSON line per completed request of user `admin` (the
   *  kubeconfig's user), for counting what a client did; see auditedRequests(). Written only
   *  with FLUX_BOOTSTRAP_KUBE_AUDIT=1 (the benchmark sets it): tests need not pay for it. */
  audit: string;
}

/** Kubernetes release to build: `FLUX_BOOTSTRAP_KUBE_VERSION`, default v1.34.4. */
export function kubeVersion(): string {
  return process.env.FLUX_BOOTSTRAP_KUBE_VERSION ?? 'v1.34.4';
}

export function etcdVersion(): string {
  return process.env.FLUX_BOOTSTRAP_ETCD_VERSION ?? 'v3.6.16';
}

/** Controllers kube-controller-manager runs (`FLUX_BOOTSTRAP_KUBE_CONTROLLERS`, comma list). */
export function kubeControllers(): string {
  return (
    process.env.FLUX_BOOTSTRAP_KUBE_CONTROLLERS ??
    'namespace-controller,garbage-collector-controller,serviceaccount-controller,clusterrole-aggregation-controller'
  );
}

export function buildEtcd(version = etcdVersion()): GoBuildResult {
  return goBuild({
    optimize: true,
    name: 'etcd',
    version,
    module: 'go.etcd.io/etcd/server/v3',
    moduleVersion: version,
    programs: [{ pkg: 'go.etcd.io/etcd/server/v3', out: 'etcd' }],
    // server/v3 replaces its sibling modules (api, client, pkg) with ../<dir>: same release.
    // It also points go.etcd.io/etcd and tests/v3 at ./FORBIDDEN_DEPENDENCY: drop those.
    localReplace: (_from, local) => (local.startsWith('../') ? version : null),
  });
}

/** kube-apiserver and kube-controller-manager from k8s.io/kubernetes, in one wrapper module. */
export function buildKubernetes(version = kubeVersion()): GoBuildResult {
  const m = /^v1\.(\d+)\.(\d+)$/.exec(version);
  if (!m) throw new Error(`FLUX_BOOTSTRAP_KUBE_VERSION must look like v1.34.4, not ${version}`);
  // Staging modules (k8s.io/api, client-go, ...) are published as v0.<minor>.<patch>.
  const staging = `v0.${m[1]}.${m[2]}`;
  const pkgVersion = 'k8s.io/component-base/version';
  return goBuild({
    optimize: true,
    name: 'kubernetes',
    version,
    module: 'k8s.io/kubernetes',
    moduleVersion: version,
    programs: [
      { pkg: 'k8s.io/kubernetes/cmd/kube-apiserver', out: 'kube-apiserver' },
      { pkg: 'k8s.io/kubernetes/cmd/kube-controller-manager', out: 'kube-controller-manager' },
    ],
    localReplace: (from, local) => (local.startsWith('./staging/src/k8s.io/') ? staging : null),
    // -s -w: no symbol tables, about a third less disk; /version reports the real release.
    ldflags: [
      '-s',
      '-w',
      `-X ${pkgVersion}.gitVersion=${version}`,
      `-X ${pkgVersion}.gitMajor=1`,
      `-X ${pkgVersion}.gitMinor=${m[1]}`,
      `-X ${pkgVersion}.gitTreeState=clean`,
    ].join(' '),
  });
}

interface Response {
  status: number;
  body: string;
}

function get(url: string, opts: { ca?: string; token?: string; insecure?: boolean } = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
    const cb = (res: http.IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    };
    const req =
      u.protocol === 'https:'
        ? https.get(u, { headers, ca: opts.ca, rejectUnauthorized: !opts.insecure, timeout: 5_000 }, cb)
        : http.get(u, { headers, timeout: 5_000 }, cb);
    req.on('timeout', () => req.destroy(new Error(`timeout: GET ${url}`)));
    req.on('error', reject);
  });
}

/** Polls check() until it returns true; fails early, with the log tail, if `proc` exits. */
async function waitUntil(what: string, proc: Started, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(
        `${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) before ${what}; ${proc.logFile}:\n${tail(proc.logFile)}`,
      );
    }
    try {
      if (await check()) return;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not after ${timeoutMs / 1000} s${last ? ` (${last})` : ''}; ${proc.logFile}:\n${tail(proc.logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function kubeconfigYaml(server: string, ca: string, user: string, token: string): string {
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'harness', cluster: { server, 'certificate-authority-data': Buffer.from(ca).toString('base64') } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'harness', context: { cluster: 'harness', user } }],
    'current-context': 'harness',
  });
}

/**
 * The self-signed CA kube-apiserver wrote next to its serving certificate in --cert-dir, or
 * undefined while the file is not there or not yet whole (it is written, not renamed, into place:
 * a read right after it appeared once found no certificate in it).
 */
function servingCa(certFile: string): string | undefined {
  if (!fs.existsSync(certFile)) return undefined;
  const pems = fs.readFileSync(certFile, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const isCa = (pem: string) => {
    try {
      return new crypto.X509Certificate(pem).ca;
    } catch {
      return false; // half written
    }
  };
  const ca = pems.find(isCa);
  return ca ? `${ca}\n` : undefined;
}

function secret(): string {
  return crypto.randomBytes(24).toString('base64url');
}

const PROCESSES = ['kube-controller-manager', 'kube-apiserver', 'etcd'];

export const kube: Service<KubeInfo> = {
  name: 'kube',

  async start(workDir: string): Promise<KubeInfo> {
    let t = Date.now();
    const etcdBin = buildEtcd().bin.etcd;
    const k8s = buildKubernetes().bin;
    progress(`kube: binaries ready in ${((Date.now() - t) / 1000).toFixed(1)} s (etcd ${etcdVersion()}, kubernetes ${kubeVersion()})`);
    t = Date.now();

    // A fresh cluster every start: data of an earlier run in the same directory would clash
    // (etcd keeps its old member URLs; kube-apiserver would reuse an old certificate).
    for (const d of ['etcd-data', 'apiserver-certs', 'kcm-certs']) fs.rmSync(path.join(workDir, d), { recursive: true, force: true });
    const logs = path.join(workDir, 'logs');
    const pids = path.join(workDir, 'pids');
    fs.mkdirSync(logs, { recursive: true });
    const run = (name: string, command: string, args: string[]): Started => {
      const s = startProcess({
        name,
        command,
        args,
        cwd: workDir,
        logFile: path.join(logs, `${name}.log`),
        pidFile: path.join(pids, `${name}.pid`),
      });
      logStart(s);
      return s;
    };

    // etcd
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${clientPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const etcd = run('etcd', etcdBin, [
      '--name=harness',
      `--data-dir=${path.join(workDir, 'etcd-data')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=harness=${peerUrl}`,
      '--initial-cluster-state=new',
      '--unsafe-no-fsync=true', // throwaway data; fsync is most of etcd's latency on shared disks
      '--log-level=warn',
    ]);
    await waitUntil('etcd healthy', etcd, 60_000, async () => {
      const r = await get(`${etcdUrl}/health`);
      return r.status === 200 && JSON.parse(r.body).health === 'true';
    });

    // kube-apiserver
    const adminToken = secret();
    const kcmToken = secret();
    const tokens = path.join(workDir, 'tokens.csv');
    fs.writeFileSync(
      tokens,
      [
        `${adminToken},admin,admin,"system:masters"`,
        // kube-controller-manager runs every controller with its own identity
        // (--use-service-account-credentials=false), so it needs more than its bootstrap role.
        `${kcmToken},system:kube-controller-manager,system:kube-controller-manager,"system:masters"`,
      ].join('\n') + '\n',
      { mode: 0o600 },
    );
    const saKey = path.join(workDir, 'service-account.key');
    const saPub = path.join(workDir, 'service-account.pub');
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    fs.writeFileSync(saKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    fs.writeFileSync(saPub, publicKey.export({ type: 'spki', format: 'pem' }));
    const certDir = path.join(workDir, 'apiserver-certs');
    // audit only the kubeconfig's user, at Metadata level: enough to count requests
    const audit = path.join(workDir, 'audit.log');
    const auditFlags: string[] = [];
    if (process.env.FLUX_BOOTSTRAP_KUBE_AUDIT === '1') {
      const auditPolicy = path.join(workDir, 'audit-policy.yaml');
      fs.writeFileSync(
        auditPolicy,
        [
          'apiVersion: audit.k8s.io/v1',
          'kind: Policy',
          'omitStages: [RequestReceived, ResponseStarted]',
          'rules:',
          '- level: Metadata',
          '  users: [admin]',
          '- level: None',
          '',
        ].join('\n'),
      );
      auditFlags.push(`--audit-policy-file=${auditPolicy}`, `--audit-log-path=${audit}`, '--audit-log-maxsize=100');
    }
    const apiPort = await freePort();
    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = run('kube-apiserver', k8s['kube-apiserver'], [
      `--etcd-servers=${etcdUrl}`,
      `--cert-dir=${certDir}`,
      `--secure-port=${apiPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1', // needed where there is no default route
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=RBAC',
      '--disable-admission-plugins=ServiceAccount',
      `--token-auth-file=${tokens}`,
      '--allow-privileged=true',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      ...auditFlags,
    ]);
    const certFile = path.join(certDir, 'apiserver.crt');
    let ca: string | undefined;
    await waitUntil('kube-apiserver serving certificate', apiserver, 120_000, () =>
      Promise.resolve((ca = servingCa(certFile)) !== undefined),
    );
    if (!ca) throw new Error(`no CA certificate in ${certFile}`);
    await waitUntil(
      'kube-apiserver /readyz',
      apiserver,
      180_000,
      async () => (await get(`${server}/readyz`, { ca, token: adminToken })).status === 200,
    );
    const version = JSON.parse((await get(`${server}/version`, { ca, token: adminToken })).body).gitVersion as string;

    const kubeconfig = path.join(workDir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, kubeconfigYaml(server, ca, 'admin', adminToken), { mode: 0o600 });
    const kcmConfig = path.join(workDir, 'kube-controller-manager.kubeconfig');
    fs.writeFileSync(kcmConfig, kubeconfigYaml(server, ca, 'kube-controller-manager', kcmToken), { mode: 0o600 });

    // kube-controller-manager
    const kcmPort = await freePort();
    const kcm = run('kube-controller-manager', k8s['kube-controller-manager'], [
      `--kubeconfig=${kcmConfig}`,
      `--authentication-kubeconfig=${kcmConfig}`,
      `--authorization-kubeconfig=${kcmConfig}`,
      `--secure-port=${kcmPort}`,
      '--bind-address=127.0.0.1',
      `--cert-dir=${path.join(workDir, 'kcm-certs')}`,
      '--leader-elect=false',
      '--use-service-account-credentials=false',
      `--controllers=${kubeControllers()}`,
    ]);
    await waitUntil(
      'kube-controller-manager /healthz',
      kcm,
      120_000,
      async () => (await get(`https://127.0.0.1:${kcmPort}/healthz`, { insecure: true })).status === 200,
    );
    if (
      kubeControllers()
        .split(',')
        .some((c) => c === 'serviceaccount-controller' || c === 'serviceaccount' || c === '*')
    ) {
      // The service account controller creating `default/default` shows the controllers run.
      await waitUntil(
        'kube-controller-manager creating the default service account',
        kcm,
        120_000,
        async () => (await get(`${server}/api/v1/namespaces/default/serviceaccounts/default`, { ca, token: adminToken })).status === 200,
      );
    }
    progress(`kube: ${version} ready at ${server} in ${((Date.now() - t) / 1000).toFixed(1)} s (logs ${logs})`);
    return { kubeconfig, server, token: adminToken, version, ca, etcd: etcdUrl, logs, audit };
  },

  async stop(workDir: string): Promise<void> {
    // Reverse start order: controllers, then the API server, then its storage.
    for (const name of PROCESSES) await stopRecorded(path.join(workDir, 'pids', `${name}.pid`));
  },
};

export default kube;

export interface AuditedRequest {
  verb: string;
  uri: string;
  code: number;
  userAgent: string;
}

/** Requests of user `admin` completed after byte `from` of the audit log; `end` is the next
 *  `from`. The API server writes each line when the request completes. */
export function auditedRequests(info: Pick<KubeInfo, 'audit'>, from = 0): { requests: AuditedRequest[]; end: number } {
  if (!fs.existsSync(info.audit)) return { requests: [], end: from };
  const text = fs.readFileSync(info.audit).subarray(from);
  const whole = text.lastIndexOf(0x0a) + 1; // a line being written is left for the next call
  const requests = text
    .subarray(0, whole)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const e = JSON.parse(line) as { verb: string; requestURI: string; responseStatus?: { code?: number }; userAgent?: string };
      return { verb: e.verb, uri: e.requestURI, code: e.responseStatus?.code ?? 0, userAgent: e.userAgent ?? '' };
    });
  return { requests, end: from + whole };
}

/** Current size of the audit log: take it before an operation, pass it to auditedRequests after. */
export function auditMark(info: Pick<KubeInfo, 'audit'>): number {
  return fs.existsSync(info.audit) ? fs.statSync(info.audit).size : 0;
}
