// A FluxInstance's range is resolved at check against the releases the operator carries, so an
// operator that carries a newer release inside the range (its next version, or a module copy
// an air-gapped site refreshed) previews as an update of `resolvedVersion` with the plan line
// naming both releases, though the program did not change; the same operator does not. The
// newer operator here is a copy of the v0.59.0 module with one more release directory (v2.9.6,
// a copy of v2.9.5's files): only v0.59.0 is served by the module proxy, so no real newer
// module can be read here.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fluxInstance from '../../provider/resources/flux-instance';
import { FLUX_OPERATOR_VERSION, operatorModuleDir } from '../harness/flux-operator-data';

const today = operatorModuleDir();
let tomorrow: string;

beforeAll(() => {
  tomorrow = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-next-'));
  for (const d of ['default', 'crd', 'manager', 'rbac'])
    fs.cpSync(path.join(today, 'config', d), path.join(tomorrow, 'config', d), { recursive: true });
  fs.cpSync(path.join(today, 'config', 'data', 'flux'), path.join(tomorrow, 'config', 'data', 'flux'), { recursive: true });
  fs.cpSync(path.join(today, 'config', 'data', 'flux', 'v2.9.5'), path.join(tomorrow, 'config', 'data', 'flux', 'v2.9.6'), {
    recursive: true,
  });
});

afterAll(() => fs.rmSync(tomorrow, { recursive: true, force: true }));

const inputs = (source: string) => ({
  instance: { distribution: { version: '2.9.x' }, components: ['source-controller', 'kustomize-controller'] },
  operator: { version: FLUX_OPERATOR_VERSION, source },
  cluster: { kubeconfigPath: '/nonexistent' },
});

test('the same range previews the newer release as an update once the operator carries it', async () => {
  const first = await fluxInstance.check({}, inputs(today));
  expect(first.failures).toEqual([]);
  expect(first.inputs!.resolvedVersion).toBe('v2.9.5');
  const stored = { ...first.inputs!, objectsHash: first.inputs!.desiredHash, drift: [] };
  const same = await fluxInstance.check(stored, inputs(today));
  expect(same.inputs!.resolvedVersion).toBe('v2.9.5');
  expect((await fluxInstance.diff('id', stored, same.inputs)).changes).toBe(false);
  const next = await fluxInstance.check(stored, inputs(tomorrow));
  expect(next.failures).toEqual([]);
  expect(next.inputs!.resolvedVersion).toBe('v2.9.6');
  expect(next.inputs!.plan).toBe('Flux v2.9.5 -> v2.9.6 (2.9.x)');
  expect((await fluxInstance.diff('id', stored, next.inputs)).changes).toBe(true);
});
