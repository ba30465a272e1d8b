// harness: kube
// A ControllerInstall create that fails midway keeps partial state (PartialStateError). Its
// properties must hold no undefined value: Pulumi's dynamic provider host turns them into a
// protobuf Struct, which refuses undefined ("Unexpected struct type"), and then never answers
// the engine, so `up` hung instead of failing (seen with a wait that ended early: the day-2
// e2e's unregistered deploy key ran into its 600 s test limit).
import * as fs from 'node:fs';
import * as controllerInstall from '../../../provider/resources/controller-install';
import { distributionDir } from '../../harness/flux-reference';
import type { KubeInfo } from '../../harness/kube';
import { uniqueName } from '../../harness/kube-client';
import { KubeRest } from '../../harness/kube-rest';
import { harnessInfo } from '../../harness/state';

const NS = uniqueName('flux-partial');
const kube = harnessInfo<KubeInfo>('kube');

afterAll(async () => {
  await controllerInstall
    .delete('', { namespace: NS, cluster: { kubeconfig: fs.readFileSync(kube.kubeconfig, 'utf8') } })
    .catch(() => undefined);
  await new KubeRest(kube).delete(`/api/v1/namespaces/${NS}`).catch(() => undefined);
});

test('a create whose wait fails keeps partial state without undefined values', async () => {
  const inputs = (
    await controllerInstall.check(
      {},
      {
        version: 'v2.9.3',
        distribution: distributionDir('v2.9.3'),
        namespace: NS,
        path: 'clusters/partial',
        url: 'https://git.example.com/fleet.git',
        credentials: { username: 'git', password: 'not-a-real-token' },
        cluster: { kubeconfig: fs.readFileSync(kube.kubeconfig, 'utf8') },
        commit: '0123456789abcdef0123456789abcdef01234567',
        // no controller runs here: the wait times out
        wait: { reconciliation: true, deployments: false, timeoutSeconds: 1 },
      },
    )
  ).inputs;
  const failure = await controllerInstall.create(inputs).then(
    () => undefined,
    (e: unknown) => e,
  );
  // scrubbed of secrets, it keeps the partial state's properties (resources/common.ts)
  const properties = (failure as { properties?: Record<string, unknown> }).properties ?? {};
  expect(Object.entries(properties).filter(([, v]) => v === undefined)).toEqual([]);
  expect(properties.drift).toEqual([expect.stringMatching(/^incomplete: could not wait for Flux to reconcile/)]);
});
