// tofu destroy goes in reverse dependency order. Three terraform_data guards with destroy-time
// steps put flux uninstall's order into that graph: the suspend guard depends on the
// GitRepository and Kustomization (so it goes first, while the controllers run), the finalizer
// guard sits between the first stage and the components (so it goes after the controllers and
// before the CRDs), and the CRD guard is what the apply-only CRDs and Namespace depend on (so it
// goes last and deletes the CRDs unless others use them, then the namespace unless it was there
// before or keepNamespace). A fourth runs at create, before the Namespace is applied, and
// records a namespace that was there before. Each runs destroy-step.js, reading the connection
// from its own input.
import * as fs from 'node:fs';
import type { Distribution } from '../../provider/engine';
import { DESTROY_STEP } from '../../provider/cdktf/destroy-guards';
import { specOf } from '../../provider/cdktf/destroy-step';
import { baseProps, ref, resource, synthFlux, type TfJson } from './support/cdktf';
import { distribution } from './support/reference';

let dist: Distribution;
let json: TfJson;
beforeAll(async () => {
  dist = await distribution('v2.9.3');
  ({ json } = synthFlux(baseProps(dist)));
});

const ids = (test: (id: string) => boolean) =>
  Object.keys(json.resource.kubectl_manifest)
    .filter(test)
    .map((id) => `kubectl_manifest.${id}`);
const isFirstStage = (id: string) => /^flux_(namespace|customresourcedefinition)-/.test(id);
const isSync = (id: string) => /^flux_(gitrepository|kustomization)-/.test(id);

test('the suspend guard depends on the GitRepository and Kustomization: destroyed before them', () => {
  const guard = resource(json, 'terraform_data', 'destroy-suspend');
  expect([...guard.depends_on].sort()).toEqual(ids(isSync).sort());
  expect(ids(isSync)).toHaveLength(2);
});

test('the finalizer guard comes after the Namespace and CRDs and before every component: destroyed between them', () => {
  const guard = resource(json, 'terraform_data', 'destroy-finalizers');
  expect([...guard.depends_on].sort()).toEqual(ids(isFirstStage).sort());
  const finalizers = ref(json, 'terraform_data', 'destroy-finalizers');
  // the components; the Secret only waits for its namespace (no finalizer, no controller of its own)
  for (const id of ids((x) => !isFirstStage(x) && !isSync(x) && !/^flux_source-secret_/.test(x))) {
    expect(json.resource.kubectl_manifest[id.split('.')[1]].depends_on).toContain(finalizers);
  }
});

test('the CRDs and the Namespace are apply-only and depend on the CRD guard, which names the CRDs: tofu never deletes them, the guard goes last', () => {
  const guard = resource(json, 'terraform_data', 'destroy-crds');
  const crds = ids((id) => /^flux_customresourcedefinition-/.test(id));
  expect(crds.length).toBeGreaterThan(5);
  const names = crds.map((id) => /^  name: (\S+)$/m.exec(json.resource.kubectl_manifest[id.split('.')[1]].yaml_body as string)![1]);
  expect((guard.input as { crds: string }).crds.split(',').sort()).toEqual(names.sort());
  const crdsGuard = ref(json, 'terraform_data', 'destroy-crds');
  for (const id of ids(isFirstStage)) {
    const m = json.resource.kubectl_manifest[id.split('.')[1]];
    expect(m.depends_on).toContain(crdsGuard);
    expect(m.apply_only).toBe(true);
  }
  expect(guard.depends_on).toBeUndefined();
  expect((guard.input as { keepNamespace: string }).keepNamespace).toBe('false');
  const { json: kept } = synthFlux({ ...baseProps(dist), apply: { keepNamespace: true } });
  expect((resource(kept, 'terraform_data', 'destroy-crds').input as { keepNamespace: string }).keepNamespace).toBe('true');
});

test('the namespace record runs at create, before the Namespace is applied', () => {
  const record = resource(json, 'terraform_data', 'namespace-record');
  expect(json.resource.kubectl_manifest[ids((id) => /^flux_namespace-flux-system_/.test(id))[0].split('.')[1]].depends_on).toContain(
    ref(json, 'terraform_data', 'namespace-record'),
  );
  expect(record.depends_on).toBeUndefined();
  expect(record.provisioner).toEqual([
    {
      'local-exec': {
        when: 'create',
        interpreter: [process.execPath, DESTROY_STEP],
        command: 'record',
        environment: { FLUX_BOOTSTRAP_DESTROY: '${jsonencode(merge(self.input, self.triggers_replace))}' },
      },
    },
  ]);
});

test('each guard runs its step of destroy-step.js at destroy, with the namespace and connection from its own input', () => {
  for (const [id, step] of [
    ['destroy-suspend', 'suspend'],
    ['destroy-finalizers', 'finalizers'],
    ['destroy-crds', 'crds'],
  ]) {
    const guard = resource(json, 'terraform_data', id);
    expect(guard.input).toMatchObject({ namespace: 'flux-system', configPath: '/home/me/.kube/config', configContext: 'prod', host: '' });
    // secrets never in input: terraform_data copies it to output, which the state holds unmarked
    expect(Object.keys(guard.input)).not.toContain('token');
    expect(Object.keys(guard.input)).not.toContain('clientKey');
    expect(guard.triggers_replace).toEqual({ token: '', clientKey: '' });
    expect(guard.lifecycle).toEqual({ ignore_changes: ['triggers_replace'] });
    expect(guard.provisioner).toEqual([
      {
        'local-exec': {
          when: 'destroy',
          interpreter: [process.execPath, DESTROY_STEP],
          command: step,
          environment: { FLUX_BOOTSTRAP_DESTROY: '${jsonencode(merge(self.input, self.triggers_replace))}' },
        },
      },
    ]);
  }
  expect(fs.existsSync(DESTROY_STEP)).toBe(true);
});

test("the step connects the way the providers were told to: inline fields, a kubeconfig file, or kubectl's default", () => {
  expect(specOf({ namespace: 'n', host: 'https://10.0.0.1:6443', clusterCaCertificate: 'CA', token: 't', insecure: 'false' })).toEqual({
    host: 'https://10.0.0.1:6443',
    caPem: 'CA',
    token: 't',
    clientCertPem: undefined,
    clientKeyPem: undefined,
    insecure: false,
  });
  expect(specOf({ namespace: 'n', configPath: '/k', configContext: 'prod', host: '' })).toEqual({ kubeconfigPath: '/k', context: 'prod' });
  const saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = '/from/env';
  try {
    expect(specOf({ namespace: 'n', configPath: '', host: '' })).toEqual({ kubeconfigPath: '/from/env', context: undefined });
  } finally {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  }
});
