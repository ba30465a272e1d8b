// Import of a ControllerInstall by id: the namespace of a Flux already in the cluster (made by
// `flux bootstrap`, the Terraform provider, the plain-git recipe or this provider), with the
// options it was installed with in the id's query (`?version=v2.9.3&url=...&path=...`). The
// cluster comes from the provider setting, the source credentials from the Secret Flux pulls
// with. Whether the objects are as the options render them is asked of the API server with
// server-side dry-runs (nothing is written): if they are, the state records them as applied and
// the next preview is clean; if not, the next `up` applies the difference.
import type { KubeObject } from '../cluster';
import { InputError } from '../errors';
import { COMPONENTS_DEFAULT } from '../../schema/fields';
import { text } from '../text';
import * as controllerInstall from './controller-install';
import { INSTALL_FIELDS, pickOptions, renderDesired, SYNC_FIELDS } from './engine-options';
import type { Imported, ImportSecrets } from './import-types';
import { describe, objectsOf, watchedOf, type CredentialsInputs } from './install-state';

const cluster = () => require('../cluster') as typeof import('../cluster');

/** The source Secret's data as ControllerInstall's credentials input. */
function credentialsOf(data: Record<string, string>): CredentialsInputs {
  const text = (k: string) => (data[k] === undefined ? undefined : Buffer.from(data[k], 'base64').toString('utf8'));
  const out: Record<string, string | undefined> =
    data.identity !== undefined
      ? { privateKey: text('identity'), publicKey: text('identity.pub'), knownHosts: text('known_hosts'), passphrase: text('password') }
      : { username: text('username'), password: text('password'), bearerToken: text('bearerToken'), caPem: text('ca.crt') };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

export async function importControllerInstall(
  id: string,
  base: string,
  extra: Record<string, unknown>,
  s: ImportSecrets,
): Promise<Imported> {
  const namespace = base;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
    throw new InputError({
      field: 'id',
      value: id,
      reason: 'is not a ControllerInstall import id',
      remedy:
        'use "<namespace>?version=v2.9.3&url=<sync url>&path=<path>", e.g. "flux-system?version=v2.9.3&url=ssh://git@host/fleet&path=clusters/prod"',
    });
  }
  if (!s.cluster)
    throw new InputError({
      field: 'cluster',
      value: undefined,
      reason: 'is needed to import a ControllerInstall',
      remedy: 'set the provider setting flux-bootstrap:cluster (secret), e.g. {"kubeconfig": "..."}',
      secret: true,
    });
  const given: Record<string, unknown> = {
    ...extra,
    cluster: s.cluster,
    distribution: s.distribution,
    distributionDigest: s.distributionDigest,
  };
  if (namespace !== 'flux-system' || extra.namespace !== undefined) given.namespace = extra.namespace ?? namespace;
  const conn = await cluster().connect(s.cluster);
  try {
    if (given.credentials === undefined) {
      const secretName = text(given.secretName ?? 'flux-system');
      const secret = await conn.getOrUndefined<{ data?: Record<string, string> }>(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(secretName)}`,
      );
      if (!secret)
        throw new InputError({
          field: 'id',
          value: id,
          reason: `finds no Secret ${namespace}/${secretName} (no Flux bootstrapped there)`,
          remedy: 'check the namespace, and secretName in the id',
        });
      given.credentials = credentialsOf(secret.data ?? {});
    }
    const news = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
    const checked = await controllerInstall.check({}, news);
    if (checked.failures?.length)
      throw new Error(
        `the imported inputs are not valid: ${checked.failures.map((f) => f.reason).join('; ')} (add missing inputs to the id as ?<input>=<value>)`,
      );
    const inputs = checked.inputs as Record<string, unknown>;
    const d = await renderDesired(pickOptions(inputs, [...INSTALL_FIELDS, ...SYNC_FIELDS]), inputs);
    // dry-runs only: is everything as these options render it?
    const plan = await cluster().planApply(conn, objectsOf(d), { namespace });
    const live = new Map<string, KubeObject>();
    for (const r of plan.results) if (r.live) live.set(r.object, r.live);
    const same = cluster().isEmptyPlan(plan);
    const props: Record<string, unknown> = {
      ...inputs,
      version: d.version,
      objectsHash: same ? inputs.desiredHash : '',
      inventory: objectsOf(d).map((o) => describe({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name })),
      watched: watchedOf(d, live),
      revision: '',
      drift: same ? [] : [`not as rendered: ${[...plan.create, ...plan.update.map((u) => u.object), ...plan.delete].join(', ')}`],
    };
    const read = await controllerInstall.read(id, props);
    // the `components` output (all installed) is set after read, which renders from the inputs
    const components = [
      ...((inputs.components as string[] | undefined) ?? COMPONENTS_DEFAULT),
      ...((inputs.componentsExtra as string[] | undefined) ?? []),
    ];
    const readProps = read.props as Record<string, unknown> | undefined;
    return { id: `${conn.server}/${namespace}`, props: { ...(readProps ?? props), components }, inputs };
  } finally {
    conn.close();
  }
}
