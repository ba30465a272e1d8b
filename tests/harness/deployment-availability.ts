// The Deployment controller's part, for Deployments whose controller the harness runs as a local
// process. The harness cluster has no nodes: no Pod runs and no Deployment ever reports
// Available. The Flux Operator waits for the health (kstatus) of everything it applies, its own
// controllers' Deployments included, and the operator's own Deployment is waited for by whoever
// installs it. So while a supervisor runs the process that stands in for a Deployment's pod,
// this writes the status a healthy rollout has on that Deployment; a Deployment whose process
// does not run (helm-controller, say, which the harness never runs) is left unavailable.
import * as http from 'node:http';
import * as https from 'node:https';

export interface AvailabilityAccess {
  server: string;
  ca: string;
  token: string;
}

interface Deployment {
  metadata: { name: string; generation?: number; deletionTimestamp?: string };
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; availableReplicas?: number; updatedReplicas?: number };
}

function call(access: AvailabilityAccess, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = {
      authorization: `Bearer ${access.token}`,
      'user-agent': 'flux-bootstrap-harness-supervisor',
      ...(data ? { 'content-type': 'application/merge-patch+json', 'content-length': String(data.length) } : {}),
    };
    const url = `${access.server}${path}`;
    const req = (url.startsWith('http:') ? http : https).request(url, { method, ca: access.ca, headers, timeout: 5_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    req.end(data);
  });
}

function healthy(d: Deployment): boolean {
  const replicas = d.spec?.replicas ?? 1;
  return (
    d.status?.observedGeneration === d.metadata.generation &&
    (d.status?.availableReplicas ?? 0) >= replicas &&
    d.status?.updatedReplicas === replicas
  );
}

function availableStatus(d: Deployment): Record<string, unknown> {
  const replicas = d.spec?.replicas ?? 1;
  const now = new Date().toISOString();
  const condition = (type: string, reason: string) => ({ type, status: 'True', reason, lastUpdateTime: now, lastTransitionTime: now });
  return {
    observedGeneration: d.metadata.generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [condition('Available', 'MinimumReplicasAvailable'), condition('Progressing', 'NewReplicaSetAvailable')],
  };
}

/** Marks the Deployments of `namespace` named in `running` available (only those not yet so). */
export async function markRunningAvailable(access: AvailabilityAccess, namespace: string, running: Set<string>): Promise<string[]> {
  if (running.size === 0) return [];
  const list = await call(access, 'GET', `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`);
  if (list.status === 404) return [];
  if (list.status !== 200) throw new Error(`listing Deployments in ${namespace}: HTTP ${list.status}`);
  const marked: string[] = [];
  for (const d of (list.body as { items?: Deployment[] }).items ?? []) {
    if (!running.has(d.metadata.name) || d.metadata.deletionTimestamp || healthy(d)) continue;
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(d.metadata.name)}/status`;
    const r = await call(access, 'PATCH', path, { status: availableStatus(d) });
    if (r.status === 200) marked.push(d.metadata.name);
  }
  return marked;
}
