// The harness plumbing itself, with throwaway services that run `sleep`: declared needs are
// read from compiled test files, dependencies start first and get their info, everything is
// stopped by recorded pid (on teardown, on a failed start, and on SIGINT of the jest process).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startProcess, stopRecorded } from '../harness/processes';
import { newRun, registerService, startOrder, startServices, stopServices } from '../harness/registry';
import { declaredNeeds } from '../harness/selection';
import type { Service } from '../harness/service';
import { harnessInfo, readState, stateFile, STATE_ENV } from '../harness/state';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const waitDead = async (pid: number) => {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
};

function sleeper(name: string, needs: string[] = [], fail = false): Service<{ pid: number; deps: string[] }> {
  return {
    name,
    needs,
    start(workDir, deps) {
      const s = startProcess({
        name,
        command: 'sleep',
        args: ['300'],
        logFile: path.join(workDir, 'logs', `${name}.log`),
        pidFile: path.join(workDir, 'pids', `${name}.pid`),
      });
      if (fail) return Promise.reject(new Error(`${name} cannot start`));
      return Promise.resolve({ pid: s.pid, deps: Object.keys(deps) });
    },
    async stop(workDir) {
      await stopRecorded(path.join(workDir, 'pids', `${name}.pid`));
    },
  };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-unit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('a test file declares its services in its first line, found again in the compiled file', () => {
  const compiled = path.join(tmp, 'a.test.js');
  fs.writeFileSync(
    compiled,
    '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\n// harness: kube, git-ssh\nconst x = 1;\n',
  );
  expect(declaredNeeds(compiled)).toEqual(['kube', 'git-ssh']);
  // tsc's import helpers can push the comment dozens of lines down
  const helpers = path.join(tmp, 'c.test.js');
  fs.writeFileSync(helpers, `"use strict";\n${'var __helper = 1;\n'.repeat(60)}// harness: kube\n`);
  expect(declaredNeeds(helpers)).toEqual(['kube']);
  // with a source map, the TypeScript source's leading comments decide
  const dist = path.join(tmp, 'dist');
  const src = path.join(tmp, 'src');
  fs.mkdirSync(dist);
  fs.mkdirSync(src);
  fs.writeFileSync(path.join(src, 'd.test.ts'), '// harness: pulumi\nimport * as fs from "node:fs";\n// harness: not-this-one\n');
  fs.writeFileSync(path.join(dist, 'd.test.js'), '"use strict";\n');
  fs.writeFileSync(path.join(dist, 'd.test.js.map'), JSON.stringify({ version: 3, sources: ['../src/d.test.ts'] }));
  expect(declaredNeeds(path.join(dist, 'd.test.js'))).toEqual(['pulumi']);
  const plain = path.join(tmp, 'b.test.js');
  fs.writeFileSync(plain, '"use strict";\n// a unit test\n');
  expect(declaredNeeds(plain)).toEqual([]);
});

test('dependencies start first; unknown names and cycles are refused', () => {
  registerService(sleeper('order-base'));
  registerService(sleeper('order-top', ['order-base']));
  expect(startOrder(['order-top']).map((s) => s.name)).toEqual(['order-base', 'order-top']);
  expect(() => startOrder(['no-such-service'])).toThrow(/unknown harness service "no-such-service".*known: .*kube/);
  registerService(sleeper('cycle-a', ['cycle-b']));
  registerService(sleeper('cycle-b', ['cycle-a']));
  expect(() => startOrder(['cycle-a'])).toThrow(/cycle: cycle-a -> cycle-b -> cycle-a/);
});

test("services run until stopped by recorded pid; dependents get their dependencies' info", async () => {
  registerService(sleeper('life-base'));
  registerService(sleeper('life-top', ['life-base']));
  const state = newRun('jest', path.join(tmp, 'run1'));
  await startServices(state, ['life-top']);
  const saved = readState(stateFile(state.runDir));
  expect(Object.keys(saved.services)).toEqual(['life-base', 'life-top']);
  const base = saved.services['life-base'].info as { pid: number };
  const top = saved.services['life-top'].info as { pid: number; deps: string[] };
  expect(top.deps).toEqual(['life-base']);
  expect(alive(base.pid) && alive(top.pid)).toBe(true);

  process.env[STATE_ENV] = stateFile(state.runDir);
  try {
    expect(harnessInfo<{ pid: number }>('life-base').pid).toBe(base.pid);
    expect(() => harnessInfo('kube')).toThrow(/harness service "kube" was not started.*\/\/ harness: kube/);
  } finally {
    delete process.env[STATE_ENV];
  }

  await stopServices(state);
  expect(await waitDead(base.pid)).toBe(true);
  expect(await waitDead(top.pid)).toBe(true);
  expect(fs.existsSync(path.join(state.runDir, 'life-base', 'pids', 'life-base.pid'))).toBe(false);
});

test('a service that fails to start is stopped at once, with what it had started', async () => {
  registerService(sleeper('broken', [], true));
  const state = newRun('jest', path.join(tmp, 'run2'));
  await expect(startServices(state, ['broken'])).rejects.toThrow('broken cannot start');
  expect(state.services.broken).toBeUndefined();
  const pidFile = path.join(state.runDir, 'broken', 'pids', 'broken.pid');
  expect(fs.existsSync(pidFile)).toBe(false);
});

test('SIGINT to the jest process stops the harness it started and removes the run directory', async () => {
  const dist = path.resolve(__dirname, '..', 'harness');
  const script = path.join(tmp, 'fake-jest.js');
  const declaring = path.join(tmp, 'needs-sleeper.test.js');
  fs.writeFileSync(declaring, '// harness: sigint-sleeper\n');
  fs.writeFileSync(
    script,
    `
    const path = require('node:path');
    const { registerService } = require(${JSON.stringify(path.join(dist, 'registry.js'))});
    const { startProcess, stopRecorded } = require(${JSON.stringify(path.join(dist, 'processes.js'))});
    const { recordSelectedTests } = require(${JSON.stringify(path.join(dist, 'selection.js'))});
    const setup = require(${JSON.stringify(path.join(dist, 'jest-global-setup.js'))}).default;
    registerService({
      name: 'sigint-sleeper',
      async start(dir) { return { pid: startProcess({ name: 's', command: 'sleep', args: ['300'], logFile: path.join(dir, 's.log'), pidFile: path.join(dir, 's.pid') }).pid }; },
      async stop(dir) { await stopRecorded(path.join(dir, 's.pid')); },
    });
    recordSelectedTests([${JSON.stringify(declaring)}]);
    setup({ rootDir: ${JSON.stringify(tmp)} }).then(() => {
      console.log(process.env.FLUX_BOOTSTRAP_HARNESS);
      setInterval(() => {}, 1000);
    }, (e) => { console.error(e); process.exit(3); });
  `,
  );
  const env = { ...process.env };
  delete env[STATE_ENV];
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const file = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('exit', (code) => reject(new Error(`fake jest exited ${code}: ${stderr}`)));
  });
  const state = readState(file);
  const pid = (state.services['sigint-sleeper'].info as { pid: number }).pid;
  expect(alive(pid)).toBe(true);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(await waitDead(pid)).toBe(true);
  expect(fs.existsSync(state.runDir)).toBe(false);
});
