// harness: cdktn, opentofu
// The same FluxBootstrap, unmodified, on CDK Terrain (cdktn 0.24, the community fork of the
// archived CDKTF): with 'cdktf' resolving to cdktn (a user's npm alias plus overrides), the
// construct and the prebuilt @cdktf/provider-* bindings build on cdktn's classes, the stack
// synthesizes to the same Terraform as with cdktf 0.21, and OpenTofu validates it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { FluxBootstrap, type FluxBootstrapProps } from '../../provider/cdktf';
import type { CdktnInfo } from '../harness/cdktn';
import { pinToMirror, tofuOk, type OpenTofuInfo } from '../harness/opentofu';
import { harnessInfo } from '../harness/state';
import { distributionDir } from '../unit/support/reference';

const cdktn = harnessInfo<CdktnInfo>('cdktn');
const tofu = harnessInfo<OpenTofuInfo>('opentofu');
const construct = path.resolve(__dirname, '..', '..', 'provider', 'cdktf');

const props = (registryCredentials: string): FluxBootstrapProps => ({
  version: 'v2.9.3',
  distribution: distributionDir('v2.9.3'),
  path: 'clusters/prod',
  repository: { host: 'github', owner: 'acme', name: 'fleet' },
  cluster: { configPath: '/home/me/.kube/config' },
  imagePullSecret: 'regcred',
  registryCredentials,
});

/** The stack without cdktf's own metadata ("//") and the local backend's absolute path. */
function comparable(file: string): unknown {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'), (k, v) => (k === '//' ? undefined : v)) as { terraform: { backend?: unknown } };
  delete doc.terraform.backend;
  return doc;
}

test('synthesizes on cdktn to the same Terraform as on cdktf, and tofu validates it', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktn-'));
  const script = path.join(work, 'main.js');
  fs.writeFileSync(
    script,
    `
    const cdktf = require('cdktf');
    if (require('cdktf/package.json').name !== 'cdktn') throw new Error('cdktf did not resolve to cdktn');
    const { FluxBootstrap } = require(${JSON.stringify(construct)});
    const app = new cdktf.App({ outdir: ${JSON.stringify(path.join(work, 'cdktn.out'))} });
    const stack = new cdktf.TerraformStack(app, 'fleet');
    const creds = new cdktf.TerraformVariable(stack, 'registry_creds', { type: 'string', sensitive: true });
    new FluxBootstrap(stack, 'flux', { ...${JSON.stringify(props('CREDS'))}, registryCredentials: creds.stringValue });
    app.synth();
    console.log(require('cdktf/package.json').version);
  `,
  );
  const run = spawnSync(process.execPath, ['-r', cdktn.preload, script], { encoding: 'utf8' });
  expect(run.stderr.replace(/.*(Deprecation|trace-deprecation).*\n?/g, '')).toBe('');
  expect(run.stdout.trim()).toBe(cdktn.version);

  const app = new App({ outdir: path.join(work, 'cdktf.out') });
  const stack = new TerraformStack(app, 'fleet');
  const creds = new TerraformVariable(stack, 'registry_creds', { type: 'string', sensitive: true });
  new FluxBootstrap(stack, 'flux', props(creds.stringValue));
  app.synth();

  const onCdktn = path.join(work, 'cdktn.out', 'stacks', 'fleet', 'cdk.tf.json');
  expect(comparable(onCdktn)).toEqual(comparable(path.join(work, 'cdktf.out', 'stacks', 'fleet', 'cdk.tf.json')));
  expect(JSON.parse(fs.readFileSync(onCdktn, 'utf8'))['//'].metadata.version).toBe(cdktn.version);

  pinToMirror(tofu, onCdktn);
  const dir = path.dirname(onCdktn);
  tofuOk(tofu, ['init', '-no-color'], dir);
  expect(JSON.parse(tofuOk(tofu, ['validate', '-json', '-no-color'], dir).stdout).valid).toBe(true);
  fs.rmSync(work, { recursive: true, force: true });
});
