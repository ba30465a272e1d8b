// harness: opentofu
// The same FluxBootstrap in a project on CDK Terrain (the `cdktn` 0.24 library, the maintained
// fork of the archived CDKTF; App and TerraformStack from 'cdktn', no alias to cdktf): the
// construct builds every element on cdktn's classes, the stack synthesizes to the same Terraform
// as with cdktf 0.21 (but for the library's metadata), and OpenTofu validates it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as cdktf from 'cdktf';
import * as cdktn from 'cdktn';
import { FluxBootstrap, type FluxBootstrapProps } from '../../provider/cdktf';
import { pinToMirror, tofuOk, type OpenTofuInfo } from '../harness/opentofu';
import { harnessInfo } from '../harness/state';
import { distributionDir } from '../unit/support/reference';

const tofu = harnessInfo<OpenTofuInfo>('opentofu');
type Library = typeof cdktf; // cdktn's API is cdktf's and more

const props = (registryCredentials: string): FluxBootstrapProps => ({
  version: 'v2.9.3',
  distribution: distributionDir('v2.9.3'),
  path: 'clusters/prod',
  repository: { host: 'github', owner: 'acme', name: 'fleet' },
  cluster: { configPath: '/home/me/.kube/config' },
  imagePullSecret: 'regcred',
  registryCredentials,
});

/** The stack file `lib`'s App writes under `outdir`. */
function synth(lib: Library, outdir: string): string {
  const app = new lib.App({ outdir });
  const stack = new lib.TerraformStack(app, 'fleet');
  const creds = new lib.TerraformVariable(stack, 'registry_creds', { type: 'string', sensitive: true });
  new FluxBootstrap(stack, 'flux', props(creds.stringValue));
  app.synth();
  return path.join(outdir, 'stacks', 'fleet', 'cdk.tf.json');
}

/** The stack without the library's own metadata ("//") and the local backend's absolute path. */
function comparable(file: string): unknown {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'), (k, v) => (k === '//' ? undefined : v)) as { terraform: { backend?: unknown } };
  delete doc.terraform.backend;
  return doc;
}

test('synthesizes on cdktn to the same Terraform as on cdktf, and tofu validates it', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktn-'));
  const onCdktn = synth(cdktn as unknown as Library, path.join(work, 'cdktn.out'));
  const onCdktf = synth(cdktf, path.join(work, 'cdktf.out'));
  expect(comparable(onCdktn)).toEqual(comparable(onCdktf));
  expect(JSON.parse(fs.readFileSync(onCdktn, 'utf8'))['//'].metadata.version).toBe('0.24.0');

  pinToMirror(tofu, onCdktn);
  const dir = path.dirname(onCdktn);
  tofuOk(tofu, ['init', '-no-color'], dir);
  expect(JSON.parse(tofuOk(tofu, ['validate', '-json', '-no-color'], dir).stdout).valid).toBe(true);
  fs.rmSync(work, { recursive: true, force: true });
});
