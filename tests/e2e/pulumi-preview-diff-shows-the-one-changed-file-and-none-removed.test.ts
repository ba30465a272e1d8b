// harness: kube, git-ssh, pulumi
// What a user reads in `pulumi preview --diff` after changing logLevel, which changes one of the
// three files (gotk-components.yaml): that file marked as changed, the other two not marked (they
// may be listed as they are), and no file, file map or object hash shown as removed.
// examples/pulumi-git-ssh with logLevel read from its config, once with the dynamic resources and
// once served by the provider plugin (whose per-file diff Python, YAML and Go programs read too).
// The CLI shows a provider's per-property diff against the new inputs, so an entry naming an
// output the inputs lack (`files[...]`, `objectsHash`) printed as `- files: {every file}` and
// `- objectsHash`; the dynamic resources' inputs diff showed the last run's plan as removed lines.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import { GitSshFlow } from '../harness/pulumi-git-ssh-flow';
import { harnessInfo } from '../harness/state';

const FILES = ['gotk-components.yaml', 'gotk-sync.yaml', 'kustomization.yaml'];

let services: { kube: KubeInfo; gitSsh: GitSshInfo; pulumi: PulumiInfo };
let tmp: string;

beforeAll(() => {
  services = { kube: harnessInfo<KubeInfo>('kube'), gitSsh: harnessInfo<GitSshInfo>('git-ssh'), pulumi: harnessInfo<PulumiInfo>('pulumi') };
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-diff-'));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The example reads logLevel from its config, as a user's program would pass it. */
function readLogLevel(programDir: string): void {
  const file = path.join(programDir, 'index.ts');
  const text = fs.readFileSync(file, 'utf8');
  const at = /^(\s*)version: config\.get\('version'\)/m;
  if (!at.test(text)) throw new Error(`${file} no longer sets version from config`);
  fs.writeFileSync(file, text.replace(at, "$1logLevel: config.get('logLevel'),\n$&"));
}

/** The lines of a resource's block in `preview --diff` output: up to the next resource, the
 *  stack's outputs (the example exports SyncManifests' plan, last run's against this one's) or
 *  the summary. */
function block(stdout: string, type: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.includes(`${type}: (`));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && /^\s*([~+-]\s*(pulumi|flux-bootstrap)[:-].*: \(|--outputs:--|Resources:)/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe.each([
  ['dynamic resources', false, 'pulumi-nodejs:dynamic/flux-bootstrap:'],
  ['served by the provider plugin', true, 'flux-bootstrap:index:'],
] as const)('examples/pulumi-git-ssh, %s', (label, servedByPlugin, prefix) => {
  let flow: GitSshFlow;

  beforeAll(async () => {
    const workDir = path.join(tmp, servedByPlugin ? 'plugin' : 'dynamic');
    flow = await GitSshFlow.prepare(services, {
      workDir,
      repo: `preview-diff/${servedByPlugin ? 'plugin' : 'dynamic'}-${process.pid}`,
      stackName: servedByPlugin ? 'preview-diff-plugin' : 'preview-diff-dynamic',
      awaitReconciliation: false,
      servedByPlugin,
    });
    readLogLevel(flow.program.dir);
    await flow.up('v2.9.3');
  }, 1_200_000); // the first run compiles the program: minutes on a loaded machine

  afterAll(async () => {
    await flow?.destroy().catch(() => undefined);
    await flow?.removeStack();
  }, 600_000);

  test('after a logLevel change, one file reads as changed and none as removed', async () => {
    await flow.program.stack.setConfig('logLevel', { value: 'debug' });
    const p = await flow.program.stack.preview({ diff: true, color: 'never' });
    process.stderr.write(`${label}: pulumi preview --diff printed\n${p.stdout}\n`);
    const sync = block(p.stdout, `${prefix}SyncManifests`);
    const install = block(p.stdout, `${prefix}ControllerInstall`);
    expect(sync.length).toBeGreaterThan(0);
    // a line with a change mark (~ + -) that names the file; unchanged ones may be listed unmarked
    const marked = (name: string) => sync.filter((l) => l.includes(name) && /^\s*[~+-] /.test(l));
    expect(marked('gotk-components.yaml').length).toBeGreaterThan(0);
    expect(marked('gotk-components.yaml').every((l) => /^\s*~ /.test(l))).toBe(true);
    expect(marked('gotk-sync.yaml')).toEqual([]);
    expect(marked('kustomization.yaml')).toEqual([]);
    // nothing goes away: no property of either resource reads as removed
    expect([...sync, ...install].filter((l) => /^\s*- /.test(l))).toEqual([]);
    expect(install.length).toBeGreaterThan(0);
    for (const f of FILES) expect(install.filter((l) => l.includes(f))).toEqual([]);
  }, 600_000);
});
