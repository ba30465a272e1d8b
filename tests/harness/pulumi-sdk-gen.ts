// flux-bootstrap-sdkgen: a small Go program (tests/harness/sdk-gen/main.go) that runs Pulumi's
// own SDK generators (pkg/v3/codegen/python and /go) on provider/plugin/schema.json, built on
// the same pkg/v3 release as the Pulumi CLI so the compiled packages are shared.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from './flux-reference';
import { goBuild, wrapperModule, type GoBuildSpec } from './go-build';
import { PULUMI_CLI_VERSION, pulumiCliSpec } from './pulumi';

const SOURCES = () => path.join(projectRoot(), 'tests', 'harness', 'sdk-gen');

export function sdkGenSpec(): GoBuildSpec {
  const cli = pulumiCliSpec();
  // a change of the generator's source is a new cache entry
  const hash = createHash('sha256')
    .update(fs.readFileSync(path.join(SOURCES(), 'main.go')))
    .digest('hex')
    .slice(0, 12);
  const spec: GoBuildSpec = {
    name: 'flux-bootstrap-sdkgen',
    version: `${PULUMI_CLI_VERSION}-${hash}`,
    module: cli.module,
    moduleVersion: cli.moduleVersion,
    localReplace: cli.localReplace,
    mainSources: SOURCES(),
    programs: [],
  };
  spec.programs.push({ pkg: wrapperModule(spec), out: 'flux-bootstrap-sdkgen' });
  return spec;
}

/** Builds (or reuses) the generator; the CLI first, whose packages it shares. */
export function buildSdkGen(): string {
  goBuild(pulumiCliSpec());
  return goBuild(sdkGenSpec()).bin['flux-bootstrap-sdkgen'];
}

/** Generates the SDK of `language` from the committed schema into `outDir`. */
export function generateSdk(
  language: 'python' | 'go',
  outDir: string,
  schema = path.join(projectRoot(), 'provider', 'plugin', 'schema.json'),
): string {
  fs.mkdirSync(outDir, { recursive: true });
  execFileSync(buildSdkGen(), [schema, language, outDir], { stdio: ['ignore', 'inherit', 'inherit'] });
  return outDir;
}

// `node dist/tests/harness/pulumi-sdk-gen.js <python|go> <dir>` writes an SDK (building the
// generator first if needed).
if (require.main === module) {
  const [language, dir] = process.argv.slice(2);
  if (language !== 'python' && language !== 'go') throw new Error('usage: pulumi-sdk-gen.js <python|go> <output dir>');
  generateSdk(language, path.resolve(dir));
}
