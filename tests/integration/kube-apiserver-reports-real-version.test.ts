// harness: kube
// The API server is a real build of the pinned Kubernetes release, not a fake: /version reports
// the release it was built from, and the admin token of the kubeconfig is a cluster admin.
import * as https from 'node:https';
import { kubeVersion } from '../harness/kube';
import { kubeClient } from '../harness/kube-client';

describe('kube-apiserver built by the harness', () => {
  test('GET /version reports the pinned release, e.g. v1.34.4', async () => {
    const { k8s, kc, info } = kubeClient();
    const version = await kc.makeApiClient(k8s.VersionApi).getCode();
    const [, minor] = /^v1\.(\d+)\./.exec(kubeVersion())!;
    expect(version.gitVersion).toBe(kubeVersion());
    expect(version.major).toBe('1');
    expect(version.minor).toBe(minor);
    expect(version.gitTreeState).toBe('clean');
    expect(info.version).toBe(kubeVersion());
  });

  test('the kubeconfig authenticates as admin in system:masters', async () => {
    const { k8s, kc } = kubeClient();
    const review = await kc.makeApiClient(k8s.AuthenticationV1Api).createSelfSubjectReview({ body: {} });
    expect(review.status?.userInfo?.username).toBe('admin');
    expect(review.status?.userInfo?.groups).toContain('system:masters');
  });

  test('a request without the token is not authorized to list namespaces', async () => {
    const { info } = kubeClient();
    const res = await statusWithoutToken(`${info.server}/api/v1/namespaces`, info.ca);
    expect(res).toBe(403); // anonymous is authenticated as system:anonymous, which RBAC denies
  });
});

function statusWithoutToken(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}
