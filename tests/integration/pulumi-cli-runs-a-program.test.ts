// harness: pulumi
// The real Pulumi CLI and engine of the harness, offline on a file backend: `pulumi version`,
// and a Node.js program (through the language host) with a dynamic resource (through
// pulumi-resource-pulumi-nodejs), driven by the Automation API the way the e2e tests will.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { LocalWorkspace, PulumiCommand } from '@pulumi/pulumi/automation';
import { pulumiEnv, pulumiNpmDir, type PulumiInfo } from '../harness/pulumi';
import { harnessInfo } from '../harness/state';

let info: PulumiInfo;
let tmp: string;

const PROGRAM = `
const pulumi = require('@pulumi/pulumi');

// A dynamic resource: the engine runs its provider through pulumi-resource-pulumi-nodejs.
const echoProvider = {
  async create(inputs) { return { id: 'echo-' + inputs.text, outs: { text: inputs.text, length: inputs.text.length } }; },
  async diff(_id, olds, news) { return { changes: olds.text !== news.text, replaces: ['text'] }; },
  async update(_id, _olds, news) { return { outs: { text: news.text, length: news.text.length } }; },
  async delete() {},
};
class Echo extends pulumi.dynamic.Resource {
  constructor(name, args, opts) { super(echoProvider, name, { text: args.text, length: undefined }, opts); }
}

const config = new pulumi.Config();
const echo = new Echo('echo', { text: config.require('text') });
exports.greeting = pulumi.interpolate\`hello \${echo.text}\`;
exports.length = echo.length;
exports.echoId = echo.id;
`;

beforeAll(() => {
  info = harnessInfo<PulumiInfo>('pulumi');
  tmp = mkdtempSync(join(tmpdir(), 'pulumi-cli-test-'));
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('pulumi version reports the CLI version the harness built', async () => {
  const out = await new Promise<string>((resolve, reject) => {
    execFile(join(info.binDir, 'pulumi'), ['version'], { env: pulumiEnv(info) }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
  expect(out.trim()).toBe(info.cliVersion);
});

test('pulumi up runs a Node.js program with a dynamic resource and records its outputs on the file backend', async () => {
  const program = join(tmp, 'program');
  mkdirSync(program);
  writeFileSync(join(program, 'Pulumi.yaml'), 'name: harness-smoke\nruntime: nodejs\nmain: index.js\n');
  writeFileSync(join(program, 'index.js'), PROGRAM);
  // The program resolves @pulumi/pulumi from its own directory, as a user's project would.
  symlinkSync(resolve(pulumiNpmDir(), '..', '..'), join(program, 'node_modules'));

  const env = pulumiEnv(info);
  const pulumiCommand = await PulumiCommand.get({ root: dirname(info.binDir) });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: 'smoke', workDir: program },
    { envVars: env, pulumiHome: info.home, pulumiCommand },
  );
  await stack.setConfig('text', { value: 'flux' });

  const up = await stack.up();
  expect(up.summary.result).toBe('succeeded');
  expect(up.outputs.greeting.value).toBe('hello flux');
  expect(up.outputs.length.value).toBe(4);
  expect(up.outputs.echoId.value).toBe('echo-flux');

  // a second run with no change changes nothing
  const again = await stack.up();
  expect(again.summary.resourceChanges).toEqual({ same: 2 });

  // the state lives on the file backend
  const backend = new URL(info.backendUrl).pathname;
  const stackFiles = readdirSync(join(backend, '.pulumi', 'stacks'), { recursive: true }).map(String);
  expect(stackFiles.some((f) => f.endsWith('smoke.json'))).toBe(true);

  const destroyed = await stack.destroy();
  expect(destroyed.summary.result).toBe('succeeded');
  expect(destroyed.summary.resourceChanges).toEqual({ delete: 2 });
  await stack.workspace.removeStack('smoke');
});
