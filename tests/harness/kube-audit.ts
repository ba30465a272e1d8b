// `kube-audit`: the `kube` service with the API server's audit log on, for tests that assert
// how many requests a client made (`// harness: kube-audit`). Declaring it makes global setup
// start `kube` with FLUX_BOOTSTRAP_KUBE_AUDIT=1; this service only checks that it did.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KubeInfo } from './kube';
import type { Service } from './service';

export interface KubeAuditInfo {
  audit: string;
}

export const KUBE_AUDIT_ENV = 'FLUX_BOOTSTRAP_KUBE_AUDIT';

export const kubeAudit: Service<KubeAuditInfo> = {
  name: 'kube-audit',
  needs: ['kube'],
  start(_workDir: string, deps: Record<string, unknown>): Promise<KubeAuditInfo> {
    const kube = deps.kube as KubeInfo;
    // kube.ts writes the policy next to the log only when the audit log is on
    if (!fs.existsSync(path.join(path.dirname(kube.audit), 'audit-policy.yaml'))) {
      throw new Error(
        `the kube service runs without its audit log: start it with ${KUBE_AUDIT_ENV}=1 (jest does so when a test declares kube-audit)`,
      );
    }
    return Promise.resolve({ audit: kube.audit });
  },
  async stop(): Promise<void> {
    /* kube stops the API server */
  },
};
