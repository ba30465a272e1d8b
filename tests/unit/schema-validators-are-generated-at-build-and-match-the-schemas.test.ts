// The build writes ajv's standalone validators (schema/generate-validators.ts). They must check
// exactly as validators compiled from the schemas do, be ignored once the schema modules beside
// them change, and keep typebox and ajv out of a Bootstrap's construction.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkSchema, GENERATED_FILE, loadGenerated, SCHEMA_NAMES, type SchemaName } from '../../schema/compiled-validators';
import { newAjv, SCHEMAS } from '../../schema/live-schemas';
import { checkBootstrap } from '../../schema/validate';

const SCHEMA_DIR = path.join(__dirname, '..', '..', 'schema'); // dist/schema, beside this test's build

/** Inputs of every kind: valid ones (defaults get written), and each kind of schema error. */
const CASES: Record<SchemaName, unknown[]> = {
  Bootstrap: [
    { url: 'ssh://git@h/fleet', path: 'clusters/a', version: 'v2.9.3' },
    {
      url: 'ssh://git@h/fleet',
      path: 'clusters/a',
      version: 'v2.9.3',
      interval: 5,
      components: ['source-controller', 'source-controller'],
      namspace: 'x',
    },
    { url: 'https://h/fleet', path: '/abs', version: 'latest', kustomization: { patches: [{ patch: 'p' }] }, authorName: '' },
    {},
  ],
  Render: [{ url: 'ssh://git@h/fleet', path: 'p', version: 'v2.8.5', logLevel: 'loud' }, { url: 1 }],
  Install: [{ version: 'v2.9.3' }, { version: 'v2.9.3', componentsExtra: ['nope'], clusterDomain: 'UPPER' }],
  Sync: [
    { url: 'ssh://git@h/fleet', path: 'a' },
    { url: 'oci://r/x:tag', path: 'a', oci: { insecure: 'yes' } },
  ],
  Commit: [{ authorName: 'Flux' }, { authorEmail: 7, gpg: true }],
  GitHubApp: [{ appId: '1', installationId: '2', privateKey: 'k' }, { appId: 1 }],
  Operator: [{ version: 'v0.59.0' }, { version: '0.59', digest: 'sha256:x', extra: 1 }],
  FluxInstance: [
    { distribution: { version: '2.x' }, sync: { kind: 'GitRepository', url: 'ssh://git@h/fleet', ref: 'refs/heads/main', path: 'a' } },
    { distribution: {}, components: ['nope'], cluster: { type: 'k3s' }, sharding: { shards: [] }, sync: { kind: 'Git' } },
  ],
};

const errorsOf = (validate: { errors?: unknown[] | null }) =>
  (validate.errors ?? []).map((e) => {
    const { instancePath, keyword, params, message, parentSchema } = e as Record<string, unknown>;
    return { instancePath, keyword, params, message, parentSchema: JSON.parse(JSON.stringify(parentSchema ?? null)) };
  });

test('the build generated the validators from the schema modules beside them', () => {
  const generated = loadGenerated(SCHEMA_DIR);
  expect(generated).not.toBeNull();
  // and the checks of this process use them
  expect(checkSchema('Bootstrap').validate).toBe(generated!.Bootstrap);
  expect(checkSchema('Sync').schema).toEqual(JSON.parse(JSON.stringify(SCHEMAS.Sync)));
});

test('generated and compiled validators give the same data (defaults) and the same errors', () => {
  const generated = loadGenerated(SCHEMA_DIR)!;
  const ajv = newAjv();
  for (const name of SCHEMA_NAMES) {
    const compiled = ajv.compile(SCHEMAS[name]);
    for (const input of CASES[name]) {
      const a = structuredClone(input) as object;
      const b = structuredClone(input) as object;
      expect([name, generated[name](a)]).toEqual([name, compiled(b)]);
      expect(a).toEqual(b);
      expect(errorsOf(generated[name])).toEqual(errorsOf(compiled));
    }
  }
  // the input errors built on them still name field, value and fix
  const { errors } = checkBootstrap(CASES.Bootstrap[1]);
  expect(errors.map((e) => e.field)).toEqual(expect.arrayContaining(['interval', 'components', 'namspace']));
  expect(errors.find((e) => e.field === 'namspace')?.message).toMatch(/rename it to "namespace"/);
});

test('validators generated from other schema modules are not used', () => {
  // inside the checkout, so that the copy resolves ajv's runtime helpers as the original does
  const copy = fs.mkdtempSync(path.join(SCHEMA_DIR, '..', 'schema-copy-'));
  try {
    for (const f of fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.js')))
      fs.copyFileSync(path.join(SCHEMA_DIR, f), path.join(copy, f));
    expect(fs.existsSync(path.join(copy, GENERATED_FILE))).toBe(true);
    expect(loadGenerated(copy)).not.toBeNull();
    fs.appendFileSync(path.join(copy, 'sync.js'), '\n// a schema edited after the validators were generated\n');
    expect(loadGenerated(copy)).toBeNull();
    // so the checks there compile from the schemas, and say the same
    const copied = require(path.join(copy, 'validate.js')) as typeof import('../../schema/validate');
    const fresh = require(path.join(copy, 'compiled-validators.js')) as typeof import('../../schema/compiled-validators');
    expect(copied.checkBootstrap(CASES.Bootstrap[1]).errors.map(String)).toEqual(checkBootstrap(CASES.Bootstrap[1]).errors.map(String));
    expect(fresh.checkSchema('Bootstrap').validate).not.toBe(checkSchema('Bootstrap').validate);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

test("constructing a Bootstrap loads neither typebox nor ajv's compiler", () => {
  const script = `
    const pulumi = require('@pulumi/pulumi');
    pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + '-id', state: a.inputs }), call: () => ({}) }, 'p', 's', true);
    const flux = require(${JSON.stringify(path.join(__dirname, '..', '..', 'provider', 'pulumi'))});
    new flux.Bootstrap('flux', {
      repository: { host: 'github', owner: 'acme', name: 'fleet', token: 'ghp_secret' },
      path: 'clusters/a', version: 'v2.9.3', cluster: { kubeconfig: 'apiVersion: v1' },
    });
    let bad;
    try { new flux.Bootstrap('bad', { repository: { host: 'github', owner: 'acme', name: 'fleet', token: 't' }, path: 'a', version: '2.9', cluster: {} }); } catch (e) { bad = e.message; }
    if (!/invalid version "2.9"/.test(bad)) throw new Error('bad input was not reported: ' + bad);
    const loaded = Object.keys(require.cache).filter((f) => /node_modules\\/(@sinclair\\/typebox|ajv)\\//.test(f) && !/ajv\\/dist\\/runtime\\//.test(f));
    console.log(JSON.stringify(loaded));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..', '..') });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual([]);
});
