// What an operation cost on the wire, counted on the servers: SSH git sessions (and bytes the
// git server sent) from the harness sshd's access log, Kubernetes API requests from the API
// server's audit log. Wall time from this process.
import { takeAccessLog, type GitSshInfo } from '../harness/git-ssh';
import { auditedRequests, auditMark, type KubeInfo } from '../harness/kube';
import type { UpResult } from '../harness/pulumi-git-ssh-flow';

export interface Cost {
  ms: number;
  /** SSH sessions: upload-pack (ls-remote, fetch) and receive-pack (push) */
  gitSessions: number;
  pushes: number;
  gitBytes: number;
  apiRequests: number;
  /** creates, updates, patches and deletes that were not dry-runs */
  apiWrites: number;
}

const WRITES = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
// the harness's Flux controllers and the Flux Operator, their supervisors, the bench's own
// watchers (KubeRest: the up timeline) and the Deployment-Available loop use the same user;
// their requests are not the tool's
const CONTROLLERS = /^((source|kustomize)-controller\/|flux-operator\/|flux-bootstrap-harness)/;

export async function measure<T>(
  services: { gitSsh: GitSshInfo; kube?: KubeInfo },
  fn: () => Promise<T>,
): Promise<{ cost: Cost; value: T }> {
  takeAccessLog(services.gitSsh);
  const mark = services.kube ? auditMark(services.kube) : 0;
  const t = process.hrtime.bigint();
  const value = await fn();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  await new Promise((r) => setTimeout(r, 300)); // the audit and access logs are written as requests end
  const git = takeAccessLog(services.gitSsh);
  const api = services.kube ? auditedRequests(services.kube, mark).requests.filter((r) => !CONTROLLERS.test(r.userAgent)) : [];
  return {
    value,
    cost: {
      ms,
      gitSessions: git.length,
      pushes: git.filter((s) => s.verb === 'receive-pack').length,
      gitBytes: git.reduce((n, s) => n + s.bytesSent, 0),
      apiRequests: api.length,
      // a server-side dry-run is a PATCH too, but writes nothing
      apiWrites: api.filter((r) => WRITES.has(r.verb) && !/[?&]dryRun=/.test(r.uri)).length,
    },
  };
}

export function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** The counts of a flow's `up`, with the wall of the `up` itself: not the harness's config
 *  writes before it and its checks after it (flux's and tofu's walls are of their one command). */
export function upWall(m: { cost: Cost; value: UpResult }): Cost {
  return { ...m.cost, ms: m.value.timings.upMs };
}
