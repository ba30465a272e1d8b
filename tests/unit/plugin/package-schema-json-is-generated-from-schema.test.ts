// provider/plugin/schema.json is what SDKs are generated from and what the plugin answers
// GetSchema with: it must be exactly what schema/ generates today, with every input described.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageSchema, packageSchemaText } from '../../../provider/plugin/package-schema';
import { packageVersion } from '../../../provider/plugin/version';
import { InstallProperties, SyncProperties } from '../../../schema';
import { projectRoot } from '../../harness/flux-reference';

const committed = path.join(projectRoot(), 'provider', 'plugin', 'schema.json');

test('the committed schema.json is current (regenerate: node dist/provider/plugin/package-schema.js > provider/plugin/schema.json)', () => {
  expect(fs.readFileSync(committed, 'utf8')).toBe(packageSchemaText(packageVersion()));
});

test('every resource is there, Bootstrap as a component, with described inputs and outputs', () => {
  const s = packageSchema('1.2.3');
  expect(Object.keys(s.resources).sort()).toEqual(
    [
      'Bootstrap',
      'ControllerInstall',
      'ControllerPreinstall',
      'DeployKey',
      'FluxInstance',
      'InstanceManifests',
      'OciSyncManifests',
      'OperatorInstall',
      'Repository',
      'SyncManifests',
    ].map((n) => `flux-bootstrap:index:${n}`),
  );
  expect(s.resources['flux-bootstrap:index:Bootstrap'].isComponent).toBe(true);
  for (const [token, r] of Object.entries<any>(s.resources)) {
    for (const [name, p] of Object.entries<any>({ ...r.inputProperties, ...r.properties })) {
      expect([token, name, typeof p.description]).toEqual([token, name, 'string']);
    }
  }
});

test('the option fields come from schema/, with their defaults in the description', () => {
  const sync = packageSchema('1').resources['flux-bootstrap:index:SyncManifests'];
  for (const k of [...Object.keys(InstallProperties).filter((k) => k !== 'registryCredentials'), ...Object.keys(SyncProperties)])
    expect(sync.inputProperties).toHaveProperty(k);
  expect(sync.inputProperties.branch.description).toBe(`${SyncProperties.branch.description} Default: "main".`);
  expect(sync.requiredInputs).toEqual(['url', 'version']);
  expect(sync.inputProperties.kustomization.$ref).toBe('#/types/flux-bootstrap:index:KustomizationOverride');
});

test('secret inputs and outputs are marked secret', () => {
  const r = packageSchema('1').resources;
  expect(r['flux-bootstrap:index:Repository'].inputProperties.token.secret).toBe(true);
  expect(r['flux-bootstrap:index:DeployKey'].properties.privateKey.secret).toBe(true);
  expect(r['flux-bootstrap:index:ControllerInstall'].inputProperties.cluster.secret).toBe(true);
  expect(r['flux-bootstrap:index:ControllerInstall'].inputProperties.registryCredentials.secret).toBe(true);
  expect(r['flux-bootstrap:index:SyncManifests'].inputProperties.auth.secret).toBe(true);
  expect(r['flux-bootstrap:index:Repository'].inputProperties.host.secret).toBeUndefined();
});
