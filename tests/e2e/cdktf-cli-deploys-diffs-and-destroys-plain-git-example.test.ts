// harness: kube, git-ssh, opentofu, cdktf-cli, cdktn
// examples/cdktf-git driven by the real command-line tools, as a user runs them: `cdktf synth`,
// `cdktf diff`, `cdktf deploy --auto-approve` (twice: the second finds no changes), a Flux
// version bump, and `cdktf destroy --auto-approve`, with the harness's OpenTofu as the Terraform
// binary (TERRAFORM_BINARY_NAME) and providers from its offline mirror; then the same with
// `cdktn` (cdktn-cli, the maintained fork) running the same cdktf program. The `cdktn` service's
// preload redirects CommonJS requires of 'cdktf' (the example's @cdktf/provider-tls) to cdktn;
// the example's own ES module import stays cdktf 0.21, whose App flux-bootstrap builds on. A
// project on the cdktn library itself: tests/install/cdktn-project-deploys-redeploys-and-destroys.
//
// The app of each copy is `node main.ts` and then pin-to-mirror-command.js, which moves the
// bindings' exact provider pins to the versions the offline mirror holds (opentofu.ts). No
// controllers run here: the example's FLUX_WAIT=false turns waiting off.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CdktfCliInfo } from '../harness/cdktf-cli';
import type { CdktnInfo } from '../harness/cdktn';
import { distributionDir, projectRoot } from '../harness/flux-reference';
import { urlFor, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import type { OpenTofuInfo } from '../harness/opentofu';
import { harnessInfo } from '../harness/state';

let kube: KubeInfo;
let gitSsh: GitSshInfo;
let tofu: OpenTofuInfo;
let clis: CdktfCliInfo;
let cdktn: CdktnInfo;
let rest: KubeRest;
const ROOT = projectRoot();
const PIN = path.join(ROOT, 'dist', 'tests', 'harness', 'pin-to-mirror-command.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cli-e2e-'));

beforeAll(() => {
  kube = harnessInfo<KubeInfo>('kube');
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  tofu = harnessInfo<OpenTofuInfo>('opentofu');
  clis = harnessInfo<CdktfCliInfo>('cdktf-cli');
  cdktn = harnessInfo<CdktnInfo>('cdktn');
  rest = new KubeRest(kube);
});

afterAll(() => {
  // the states hold the generated private keys
  if (process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
});

/** A copy of the example in its own directory, its node_modules linked to the checkout's. */
function install(dir: string, node: string): void {
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  for (const f of ['main.ts', 'package.json', 'tsconfig.json'])
    fs.copyFileSync(path.join(ROOT, 'examples', 'cdktf-git', f), path.join(dir, f));
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'cdktf-git', 'cdktf.json'), 'utf8')) as { app: string };
  config.app = `${node} main.ts && node ${PIN} cdktf.out/stacks/cluster/cdk.tf.json`;
  fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify(config, null, 2));
  for (const e of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (!e.startsWith('.')) fs.symlinkSync(path.join(ROOT, 'node_modules', e), path.join(dir, 'node_modules', e));
  }
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'flux-bootstrap'));
}

interface Run {
  code: number | null;
  out: string;
}

function cli(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t = Date.now();
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      out = out.replace(/\x1b\[[0-9;]*m/g, ''); // the CLIs color OpenTofu's output
      process.stderr.write(
        `[cdktf-cli] ${path.basename(bin)} ${args.join(' ')}: exit ${code} in ${((Date.now() - t) / 1000).toFixed(1)} s\n`,
      );
      resolve({ code, out });
    });
  });
}

async function ok(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await cli(bin, args, cwd, env);
  if (r.code !== 0) throw new Error(`${path.basename(bin)} ${args.join(' ')} exited ${r.code}:\n${r.out.slice(-6000)}`);
  return r.out;
}

async function phase(namespace: string): Promise<string | undefined> {
  const ns = await rest.get(`/api/v1/namespaces/${namespace}`).catch(() => undefined);
  return (ns as { status?: { phase?: string } } | undefined)?.status?.phase;
}

// After `init`, both CLIs run `tofu providers lock -platform=linux_amd64`, which asks the
// providers' origin registry whatever the CLI config's mirror says: offline, skip it (the lock
// file init wrote from the mirror stays).
const OFFLINE = ['--skip-provider-lock'];

const cases: [string, () => { bin: string; node: string }][] = [
  ['cdktf-cli', () => ({ bin: clis.cdktf, node: 'node' })],
  ['cdktn-cli', () => ({ bin: clis.cdktn, node: `node -r ${cdktn.preload}` })],
];

test.each(cases)(
  '%s: synth, diff, deploy, a no-change deploy, a version bump, destroy',
  async (name, which) => {
    const { bin, node } = which();
    const dir = path.join(tmp, name);
    install(dir, node);
    const namespace = uniqueName('flux-cli');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
      TERRAFORM_BINARY_NAME: tofu.tofu,
      TF_CLI_CONFIG_FILE: tofu.cliConfig,
      CHECKPOINT_DISABLE: '1',
      CI: '1',
      KUBECONFIG: kube.kubeconfig,
      GIT_URL: urlFor(gitSsh, `fleet/${namespace}`),
      GIT_KNOWN_HOSTS: gitSsh.knownHosts,
      FLUX_NAMESPACE: namespace,
      FLUX_PATH: 'clusters/cli',
      FLUX_VERSION: 'v2.8.5',
      FLUX_DISTRIBUTION: distributionDir('v2.8.5'),
      FLUX_WAIT: 'false',
    };

    await ok(bin, ['synth'], dir, env);
    const stackJson = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'cluster', 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, unknown>>;
    };
    // terraform_data: the guards that order destroy like flux uninstall (docs/cdktf.md)
    expect(Object.keys(stackJson.resource).sort()).toEqual(['kubectl_manifest', 'terraform_data', 'tls_private_key']);
    const components = path.join(dir, 'cdktf.out', 'repository', 'clusters', 'cli', namespace, 'gotk-components.yaml');
    expect(fs.readFileSync(components, 'utf8')).toContain('# Flux Version: v2.8.5');

    const diff = await ok(bin, ['diff', ...OFFLINE], dir, env);
    expect(diff).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);

    const deploy = await ok(bin, ['deploy', '--auto-approve', ...OFFLINE], dir, env);
    expect(deploy).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
    expect(await phase(namespace)).toBe('Active');
    expect(await rest.get(`/api/v1/namespaces/${namespace}/secrets/flux-system`)).not.toBeNull(); // secretName default

    const again = await ok(bin, ['deploy', '--auto-approve', ...OFFLINE], dir, env);
    expect(again).toMatch(/No changes/);
    expect(again).not.toMatch(/Apply complete! Resources: [1-9]/);

    const bumped = { ...env, FLUX_VERSION: 'v2.9.3', FLUX_DISTRIBUTION: distributionDir('v2.9.3') };
    const bump = await ok(bin, ['deploy', '--auto-approve', ...OFFLINE], dir, bumped);
    expect(bump).toMatch(/Apply complete! Resources: \d+ added, [1-9]\d* changed, \d+ destroyed/);
    // what the pipeline then commits: one file changed, for one commit
    expect(fs.readFileSync(components, 'utf8')).toContain('# Flux Version: v2.9.3');
    const deployment = (await rest.get(`/apis/apps/v1/namespaces/${namespace}/deployments/source-controller`)) as {
      metadata?: { labels?: Record<string, string> };
    };
    expect(deployment.metadata?.labels?.['app.kubernetes.io/version']).toBe('v2.9.3');

    const destroy = await ok(bin, ['destroy', '--auto-approve', ...OFFLINE], dir, bumped);
    expect(destroy).toMatch(/Destroy complete! Resources: \d+ destroyed/);
    expect(await phase(namespace)).not.toBe('Active');
  },
  1_800_000,
);
