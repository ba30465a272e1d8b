// The harness runs the Flux controllers as local processes only while the cluster says they
// should run: their CRDs Established and a Deployment of their name present. Here the
// supervisor runs against a fake API server (plain HTTP) with stand-in controllers (sh), so the
// rules are checked without building anything.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SupervisorConfig, SupervisorStatus } from '../harness/flux-controllers-supervisor';

const CRD = 'gitrepositories.source.toolkit.fluxcd.io';
let tmp: string;
let server: http.Server;
let port: number;
let supervisor: ChildProcess | undefined;
const cluster = {
  crds: [] as string[],
  deployments: [] as { name: string; namespace: string; image: string; deleting?: boolean }[],
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'supervisor-'));
  server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/apis/apiextensions.k8s.io/v1/customresourcedefinitions') {
      res.end(
        JSON.stringify({
          items: cluster.crds.map((name) => ({ metadata: { name }, status: { conditions: [{ type: 'Established', status: 'True' }] } })),
        }),
      );
    } else if (req.url === '/apis/apps/v1/deployments') {
      res.end(
        JSON.stringify({
          items: cluster.deployments.map((d) => ({
            metadata: { name: d.name, namespace: d.namespace, ...(d.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
            spec: { template: { spec: { containers: [{ image: d.image }] } } },
          })),
        }),
      );
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  if (supervisor?.pid) {
    try {
      process.kill(-supervisor.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  await new Promise((r) => server.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
});

function status(): SupervisorStatus | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(tmp, 'status.json'), 'utf8')) as SupervisorStatus;
  } catch {
    return null;
  }
}

async function until(what: string, pred: (s: SupervisorStatus) => boolean, timeoutMs = 15_000): Promise<SupervisorStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = status();
    if (s && pred(s)) return s;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last status ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('waits for CRDs and a Deployment, restarts on a new pod template and after a crash, stops when the Deployment goes', async () => {
  const cfg: SupervisorConfig = {
    server: `http://127.0.0.1:${port}`,
    ca: '',
    token: 't',
    namespace: null,
    statusFile: path.join(tmp, 'status.json'),
    pollMs: 100,
    controllers: [
      {
        name: 'source-controller',
        bin: '/bin/sh',
        args: ['-c', 'exec sleep 600', 'sh', '--health-addr=127.0.0.1:{port:health}'],
        env: { PATH: '/usr/bin:/bin' },
        logFile: path.join(tmp, 'sc.log'),
        crds: [CRD],
        deployment: 'source-controller',
      },
      {
        name: 'crasher',
        bin: '/bin/sh',
        args: ['-c', 'echo crashing; exit 3'],
        env: { PATH: '/usr/bin:/bin' },
        logFile: path.join(tmp, 'crasher.log'),
        crds: [],
        deployment: null,
      },
    ],
  };
  fs.writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(cfg));
  const script = path.join(__dirname, '..', 'harness', 'flux-controllers-supervisor.js');
  supervisor = spawn(process.execPath, [script, path.join(tmp, 'config.json')], { detached: true, stdio: 'ignore' });

  let s = await until('waiting for the CRD', (x) => x.controllers['source-controller']?.waitingFor === `CRDs ${CRD}`);
  expect(s.controllers['source-controller'].starts).toBe(0);

  cluster.crds.push(CRD);
  s = await until('waiting for the Deployment', (x) =>
    /Deployment <any namespace>\/source-controller/.test(x.controllers['source-controller']?.waitingFor ?? ''),
  );
  expect(s.controllers['source-controller'].starts).toBe(0);

  // a Deployment in any namespace will do: the controllers watch all namespaces
  cluster.deployments.push({ name: 'source-controller', namespace: 'team-a', image: 'fluxcd/source-controller:v1.8.2' });
  s = await until('running', (x) => x.controllers['source-controller'].state === 'running');
  const firstPid = s.controllers['source-controller'].pid;
  expect(alive(firstPid)).toBe(true);
  // placeholders become free ports, recorded with the process
  const health = s.controllers['source-controller'].ports?.health;
  expect(health).toBeGreaterThan(0);
  expect(fs.readFileSync(path.join(tmp, 'sc.log'), 'utf8')).toContain(`--health-addr=127.0.0.1:${health}`);

  // a version bump changes the pod template: a rollout restarts the process
  cluster.deployments[0].image = 'fluxcd/source-controller:v1.9.3';
  s = await until(
    'restarted',
    (x) => x.controllers['source-controller'].state === 'running' && x.controllers['source-controller'].starts === 2,
  );
  expect(s.controllers['source-controller'].pid).not.toBe(firstPid);
  expect(alive(firstPid)).toBe(false);
  expect(s.controllers['source-controller'].crashes).toBe(0);

  // a Deployment being deleted counts as gone, as its pods would be
  cluster.deployments[0].deleting = true;
  const pid = s.controllers['source-controller'].pid;
  s = await until('stopped', (x) => x.controllers['source-controller'].state === 'waiting');
  expect(alive(pid)).toBe(false);

  // a controller that exits is restarted with backoff (1 s, 2 s, ...), and counted as crashing
  s = await until('crash loop', (x) => x.controllers.crasher.crashes >= 2);
  expect(s.controllers.crasher.lastExit).toBe('exited (code 3)');
  expect(fs.readFileSync(path.join(tmp, 'crasher.log'), 'utf8')).toContain('crashing');

  // stopping the supervisor stops what it runs
  cluster.deployments[0].deleting = false;
  s = await until('running again', (x) => x.controllers['source-controller'].state === 'running');
  const last = s.controllers['source-controller'].pid;
  process.kill(supervisor.pid!, 'SIGTERM');
  await new Promise((r) => supervisor!.once('exit', r));
  await new Promise((r) => setTimeout(r, 200));
  expect(alive(last)).toBe(false);
}, 60_000);
