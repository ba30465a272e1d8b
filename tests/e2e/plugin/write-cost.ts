// What a Pulumi operation cost on the harness servers: git sessions on the repository (the
// sshd's access log) and cluster writes (the API server's audit log, controllers left out), and
// the resourceVersions of what lives in the Flux namespace before and after (unchanged means
// nothing was written there, whatever the audit policy).
import type { Connection, KubeObject } from '../../../provider/cluster';
import { accessLog, type GitSshInfo } from '../../harness/git-ssh';
import { auditedRequests, auditMark, type KubeInfo } from '../../harness/kube';

export interface WriteCost<T> {
  value: T;
  gitSessions: number;
  apiWrites: number;
  versionsBefore: string;
  versionsAfter: string;
}

/** resourceVersions of everything we can list in the namespace: unchanged means no write. */
export async function namespaceVersions(conn: Connection, ns: string): Promise<string> {
  const paths = [
    `/api/v1/namespaces/${ns}/secrets`,
    `/apis/apps/v1/namespaces/${ns}/deployments`,
    `/apis/source.toolkit.fluxcd.io/v1/namespaces/${ns}/gitrepositories`,
    `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${ns}/kustomizations`,
  ];
  const lists = await Promise.all(paths.map((p) => conn.getOrUndefined<{ items: KubeObject[] }>(p)));
  return JSON.stringify(lists.map((l) => (l?.items ?? []).map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)));
}

/** Git sessions on repo and cluster writes during fn. */
export async function writeCost<T>(
  servers: { gitSsh: GitSshInfo; kube: KubeInfo; conn: Connection },
  repo: string,
  ns: string,
  fn: () => Promise<T>,
): Promise<WriteCost<T>> {
  const { gitSsh, kube, conn } = servers;
  const sessions = accessLog(gitSsh, repo).length;
  const mark = auditMark(kube);
  const versionsBefore = await namespaceVersions(conn, ns);
  const value = await fn();
  await new Promise((r) => setTimeout(r, 300)); // the logs are written as requests end
  const writes = auditedRequests(kube, mark).requests.filter(
    (r) => ['create', 'update', 'patch', 'delete'].includes(r.verb) && !/dryRun=/.test(r.uri) && !/controller|supervisor/.test(r.userAgent),
  );
  return {
    value,
    gitSessions: accessLog(gitSsh, repo).length - sessions,
    apiWrites: writes.length,
    versionsBefore,
    versionsAfter: await namespaceVersions(conn, ns),
  };
}
