// Run by `tofu destroy` (a destroy-time local-exec of destroy-guards.ts), with the cluster
// connection and the namespace as JSON in FLUX_BOOTSTRAP_DESTROY:
//   `record`     (at create, before the Namespace is applied) marks a namespace that is there
//                without Flux in it as the user's (cluster/namespace-record.ts);
//   `suspend`    before the GitRepository and Kustomization are deleted, while the controllers
//                still run: this instance's Flux custom resources are suspended, so the
//                Kustomization's finalizer (prune: true) garbage-collects nothing;
//   `finalizers` after the controller Deployments are deleted, before the CRDs: their
//                finalizers are stripped, so deleting the CRDs and the namespace does not hang;
//   `crds`       last: the CRDs (apply-only, so tofu leaves them) are deleted unless another
//                Flux instance or custom resources outside this one still use them; then the
//                namespace (apply-only too), unless it was there before or keepNamespace.
// The same steps, in the same order, as the engine's uninstall (`flux uninstall`'s order).
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectionSpec } from '../cluster/connection-spec';

interface StepInput {
  namespace: string;
  configPath?: string;
  configContext?: string;
  host?: string;
  clusterCaCertificate?: string;
  token?: string;
  clientCertificate?: string;
  clientKey?: string;
  insecure?: string | boolean;
  /** the `crds` step: this instance's CRD names, comma-separated */
  crds?: string;
  /** 'true': the namespace stays on destroy, with what is in it */
  keepNamespace?: string;
}

const STEPS = ['record', 'suspend', 'finalizers', 'crds'];

/** The providers' connection fields as the engine's ConnectionSpec; kubectl's default file when none. */
export function specOf(i: StepInput): ConnectionSpec {
  const given = (v: string | undefined) => (v ? v : undefined);
  if (given(i.host)) {
    return {
      host: i.host,
      caPem: given(i.clusterCaCertificate),
      token: given(i.token),
      clientCertPem: given(i.clientCertificate),
      clientKeyPem: given(i.clientKey),
      insecure: String(i.insecure) === 'true',
    };
  }
  const file = given(i.configPath) ?? process.env.KUBECONFIG?.split(path.delimiter)[0] ?? path.join(os.homedir(), '.kube', 'config');
  return { kubeconfigPath: file.replace(/^~(?=\/)/, os.homedir()), context: given(i.configContext) };
}

async function main(step: string): Promise<number> {
  const input = JSON.parse(process.env.FLUX_BOOTSTRAP_DESTROY ?? '{}') as StepInput;
  if (!input.namespace || !STEPS.includes(step)) {
    process.stderr.write(`usage: FLUX_BOOTSTRAP_DESTROY=<json> destroy-step ${STEPS.join('|')}\n`);
    return 2;
  }
  const { connect, isUnreachable } = await import('../cluster');
  const { readOwnership } = await import('../cluster/instance-ownership');
  const { stripFinalizers, suspendResources } = await import('../cluster/release-custom-resources');
  const { releaseCrds } = await import('../cluster/release-crds');
  const { namespaceExistedBefore, recordNamespace } = await import('../cluster/namespace-record');
  const { deleteObject } = await import('../cluster/prune');
  const say = (m: string) => process.stdout.write(`flux-bootstrap destroy (${input.namespace}): ${m}\n`);
  let conn;
  try {
    conn = await connect(specOf(input));
  } catch (e) {
    // the cluster is gone or down: the deletes that follow say so, or find nothing to delete
    if (isUnreachable(e, false)) {
      say(`skipped ${step}: ${(e as Error).message}`);
      return 0;
    }
    throw e;
  }
  try {
    const ns = input.namespace;
    if (step === 'record') {
      if (await recordNamespace(conn, ns)) say(`namespace ${ns} is there without Flux: recorded, destroy will keep it`);
      return 0;
    }
    const existed = await namespaceExistedBefore(conn, ns);
    const keep = existed || input.keepNamespace === 'true';
    // this instance's: its sync objects (named after the namespace), everything in the namespace
    // when the destroy deletes it, and what those applied
    const claim = {
      namespace: ns,
      recorded: ['GitRepository', 'OCIRepository', 'Kustomization'].map((k) => `${k}/${ns}/${ns}`),
      wholeNamespace: !keep,
    };
    if (step === 'crds') {
      const names = (input.crds ?? '').split(',').filter(Boolean);
      const crds = names.map((name) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name } }));
      const r = await releaseCrds(conn, claim, crds, { onProgress: say });
      if (keep) say(`namespace ${ns} kept: ${existed ? 'it existed before the install' : 'keepNamespace is set'}`);
      else if (await deleteObject(conn, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })) say(`Namespace/${ns} deleted`);
      for (const f of r.failures) process.stderr.write(`${f.object}: ${f.error.message}\n`);
      return r.failures.length ? 1 : 0;
    }
    const ours = (await readOwnership(conn, claim)).ours;
    const r =
      step === 'suspend' ? await suspendResources(conn, ours, { onProgress: say }) : await stripFinalizers(conn, ours, { onProgress: say });
    say(`${step}: ${r.done.length} of ${ours.length} custom resources${r.failures.length ? `, ${r.failures.length} failed` : ''}`);
    for (const f of r.failures) process.stderr.write(`${f.object}: ${f.error.message}\n`);
    return r.failures.length ? 1 : 0;
  } finally {
    conn.close();
  }
}

if (require.main === module) {
  main(process.argv[2] ?? '').then(
    (code) => {
      process.exitCode = code;
    },
    (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 1;
    },
  );
}
