// harness: opentofu
// examples/cdktf-github as a user runs it: `node main.ts` (cdktf.json's app) synthesizes the
// stack, and real OpenTofu installs every provider offline from the local mirror and validates
// the configuration against the providers' real schemas.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pinToMirror, tofuOk, type OpenTofuInfo } from '../harness/opentofu';
import { harnessInfo } from '../harness/state';
import { distributionDir } from '../unit/support/reference';

const tofu = harnessInfo<OpenTofuInfo>('opentofu');
const root = path.resolve(__dirname, '..', '..', '..');
const example = path.join(root, 'examples', 'cdktf-github');

test('cdktf.json runs main.ts with node; tofu init (offline) and tofu validate pass on the synthesized stack', () => {
  const app = JSON.parse(fs.readFileSync(path.join(example, 'cdktf.json'), 'utf8')).app as string;
  expect(app).toBe('node main.ts');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-example-'));
  const t = Date.now();
  const synth = spawnSync(process.execPath, ['main.ts'], {
    cwd: example,
    env: {
      ...process.env,
      CDKTF_OUTDIR: out,
      FLUX_DISTRIBUTION: distributionDir('v2.9.3'),
      GITHUB_OWNER: 'acme',
      GITHUB_REPOSITORY: 'fleet',
    },
    encoding: 'utf8',
  });
  expect(synth.stderr.replace(/.*(Deprecation|ExperimentalWarning|trace-deprecation|trace-warnings).*\n?/g, '')).toBe('');
  expect(synth.status).toBe(0);
  process.stderr.write(`[cdktf] synth ${((Date.now() - t) / 1000).toFixed(1)} s\n`);

  const stackDir = path.join(out, 'stacks', 'fleet');
  const pins = pinToMirror(tofu, path.join(stackDir, 'cdk.tf.json'));
  expect(pins.sort()).toEqual(['github: 6.9.0 -> 6.11.1', 'kubernetes: 2.38.0 -> 3.2.1', 'tls: 4.1.0 -> 4.3.0']);

  const init = tofuOk(tofu, ['init', '-no-color'], stackDir);
  expect(init.stdout).toContain('OpenTofu has been successfully initialized');
  for (const p of ['integrations/github v6.11.1', 'hashicorp/kubernetes v3.2.1', 'hashicorp/tls v4.3.0', 'alekc/kubectl v2.2.0']) {
    expect(init.stdout).toContain(`Installed ${p}`);
  }
  const validate = tofuOk(tofu, ['validate', '-no-color', '-json'], stackDir);
  const result = JSON.parse(validate.stdout) as {
    valid: boolean;
    error_count: number;
    diagnostics: { severity: string; summary: string }[];
  };
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.valid).toBe(true);
  process.stderr.write(
    `[cdktf] tofu init ${init.seconds.toFixed(1)} s, validate ${validate.seconds.toFixed(1)} s; warnings: ${result.diagnostics.map((d) => d.summary).join('; ') || 'none'}\n`,
  );
  fs.rmSync(out, { recursive: true, force: true });
});

test("Testing.fullSynth of a FluxBootstrap stack passes CDKTF's toBeValidTerraform run with tofu", () => {
  // cdktf reads TERRAFORM_BINARY_NAME when it loads, so it is loaded here, after setting it
  process.env.TERRAFORM_BINARY_NAME = tofu.tofu;
  process.env.TF_CLI_CONFIG_FILE = tofu.cliConfig;
  process.env.CHECKPOINT_DISABLE = '1';
  const cdktf = require('cdktf') as typeof import('cdktf');
  require('cdktf/lib/testing/adapters/jest');
  const { FluxBootstrap } = require('../../provider/cdktf') as typeof import('../../provider/cdktf');
  cdktf.Testing.setupJest();
  const stack = new cdktf.TerraformStack(cdktf.Testing.app(), 'fleet');
  new FluxBootstrap(stack, 'flux', {
    version: 'v2.9.3',
    distribution: distributionDir('v2.9.3'),
    repository: { host: 'github', owner: 'acme', name: 'fleet', create: false },
    branch: 'fleet',
    componentsExtra: ['image-reflector-controller', 'image-automation-controller'],
    deployKey: { algorithm: 'ecdsa', readWrite: true },
    cluster: { host: 'https://127.0.0.1:6443', token: 'x', insecure: true },
  });
  // the versions the mirror holds (see pinToMirror)
  for (const [type, version] of Object.entries(tofu.providers)) stack.addOverride(`terraform.required_providers.${type}.version`, version);
  expect(cdktf.Testing.fullSynth(stack)).toBeValidTerraform();
});
