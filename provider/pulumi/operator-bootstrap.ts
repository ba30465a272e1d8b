// Bootstrap's operator flavor: after the Repository and the DeployKey, the Flux Operator
// (OperatorInstall), the FluxInstance manifest committed at <path>/<namespace>/flux-instance.yaml
// (InstanceManifests), so the cluster manages its own Flux from Git afterwards, and the
// FluxInstance itself, applied and waited for until Ready at that commit.
//
// The move from a classic bootstrap is the same program with `flavor: "operator"` and
// `adopt: true`: OperatorInstall finds the classic Flux and guards it against its own
// Kustomization's prune (provider/resources/operator-handover.ts) before the commit replaces the
// classic files; the FluxInstance adopts the running controllers, and releases the guards once
// its sync reconciled that commit. The classic resources leave the stack after that, and their
// delete hands over instead of uninstalling.
import * as pulumi from '@pulumi/pulumi';
import { InputError } from '../errors';
import { isRange } from '../operator/semver-range';
import type { FluxInstanceInput } from '../../schema/input-types';
import type { ClusterArgs, CredentialsArgs, GitAuthArgs, WaitArgs } from './args';
import type { FluxInstance } from './flux-instance';
import type { InstanceManifests } from './instance-manifests';
import type { OperatorInstall, OperatorWaitArgs } from './operator-install';

export interface BootstrapOperatorArgs {
  /** the operator release, e.g. "v0.59.0" */
  version: pulumi.Input<string>;
  /** where its Go module comes from (default the Go module proxy) */
  source?: pulumi.Input<string>;
  digest?: pulumi.Input<string>;
  wait?: pulumi.Input<OperatorWaitArgs>;
}

export interface OperatorParts {
  OperatorInstall: typeof OperatorInstall;
  FluxInstance: typeof FluxInstance;
  InstanceManifests: typeof InstanceManifests;
}

/** Bootstrap's inputs the operator flavor reads. */
export interface OperatorFlavorArgs {
  /** the Flux release or range, unless instance.distribution gives one */
  version: pulumi.Input<string>;
  instance?: pulumi.Input<FluxInstanceInput>;
  operator?: BootstrapOperatorArgs;
  cluster: pulumi.Input<ClusterArgs>;
  namespace?: pulumi.Input<string | undefined>;
  branch?: pulumi.Input<string | undefined>;
  path?: pulumi.Input<string | undefined>;
  secretName?: pulumi.Input<string | undefined>;
  wait?: pulumi.Input<WaitArgs>;
  adopt?: pulumi.Input<boolean>;
  keepFilesOnDestroy?: pulumi.Input<boolean>;
  authorName?: pulumi.Input<string | undefined>;
  authorEmail?: pulumi.Input<string | undefined>;
  commitMessageAppendix?: pulumi.Input<string | undefined>;
}

/** What the repository side gives: where to push and pull, and with what. */
export interface RepositoryLinks {
  syncUrl: pulumi.Input<string>;
  pushUrl: pulumi.Input<string>;
  push?: pulumi.Input<GitAuthArgs>;
  credentials?: pulumi.Input<CredentialsArgs>;
  /** a GitHub App: the sync uses provider github */
  githubApp: boolean;
}

/** The spec with Bootstrap's defaults: the version, and a GitRepository sync of the repository at <branch> and ./<path>. */
export function instanceSpec(
  given: FluxInstanceInput | undefined,
  version: string,
  d: { url: string; branch?: string; path?: string; secretName?: string; githubApp: boolean; hasCredentials: boolean },
): FluxInstanceInput {
  const path = (d.path ?? '')
    .split('/')
    .filter((s) => s && s !== '.')
    .join('/');
  return {
    ...given,
    distribution: { ...given?.distribution, version: given?.distribution?.version ?? version.replace(/^v(?=\d+\.\d+\.\d+$)/, '') },
    sync: {
      kind: 'GitRepository',
      url: d.url,
      ref: `refs/heads/${d.branch ?? 'main'}`,
      // the path as `flux bootstrap` writes it: a move leaves the Kustomization's spec as it was
      path: `./${path}`,
      ...(d.hasCredentials ? { pullSecret: d.secretName ?? 'flux-system' } : {}),
      ...(d.githubApp ? { provider: 'github' as const } : {}),
      ...given?.sync,
    },
  };
}

/** Problems of the operator flavor's static inputs, known at construction. */
export function checkOperatorFlavor(view: Record<string, unknown>): InputError[] {
  const errors: InputError[] = [];
  const op = view.operator as Record<string, unknown> | undefined;
  if (!op || op.version === undefined)
    errors.push(
      new InputError({
        field: 'operator.version',
        value: undefined,
        reason: 'a value is required with flavor "operator"',
        remedy: 'use e.g. "v0.59.0"',
      }),
    );
  const v = view.version;
  if (typeof v === 'string' && !isRange(v))
    errors.push(
      new InputError({ field: 'version', value: v, reason: 'is not a Flux release or semver range', remedy: 'use e.g. "2.x" or "v2.9.3"' }),
    );
  if (typeof view.url === 'string' && view.url.startsWith('oci://'))
    errors.push(
      new InputError({
        field: 'url',
        value: view.url,
        reason: 'is gitless, which the operator flavor does not wire',
        remedy: 'give instance.sync an OCIRepository, or use the classic flavor',
      }),
    );
  return errors;
}

export function wireOperatorBootstrap(
  name: string,
  parent: pulumi.Resource,
  parts: OperatorParts,
  dependsOn: pulumi.Resource[],
  a: OperatorFlavorArgs,
  links: RepositoryLinks,
) {
  const child = { parent };
  // presence only: the credentials' values stay out of the spec (which would turn secret with them)
  const spec = pulumi
    .all([a.instance, a.version, links.syncUrl, a.branch, a.path, a.secretName])
    .apply(([given, version, url, branch, path, secretName]) =>
      instanceSpec(given, version, {
        url,
        branch: branch ?? undefined,
        path: path ?? undefined,
        secretName: secretName ?? undefined,
        githubApp: links.githubApp,
        hasCredentials: links.credentials !== undefined,
      }),
    );
  const waits = pulumi.output(a.wait ?? {}).apply((x) => x as { reconciliation?: boolean; deployments?: boolean; timeoutSeconds?: number });
  const op = a.operator!;
  const operator = new parts.OperatorInstall(
    `${name}-operator`,
    {
      version: op.version,
      source: op.source,
      digest: op.digest,
      namespace: a.namespace as pulumi.Input<string> | undefined,
      cluster: a.cluster,
      wait: op.wait ?? waits.apply((x) => ({ deployments: x.deployments, timeoutSeconds: x.timeoutSeconds })),
      adopt: a.adopt,
    },
    child,
  );
  // the move (adopt): the commit that replaces the classic files comes after the guards are in
  // place; a first install commits while the operator is applied
  const moving = a.adopt !== undefined && a.adopt !== false;
  const manifests = new parts.InstanceManifests(
    `${name}-instance-manifests`,
    {
      url: links.syncUrl,
      pushUrl: links.pushUrl,
      auth: links.push,
      branch: a.branch as pulumi.Input<string> | undefined,
      path: a.path as pulumi.Input<string> | undefined,
      namespace: a.namespace as pulumi.Input<string> | undefined,
      instance: spec,
      authorName: a.authorName as pulumi.Input<string> | undefined,
      authorEmail: a.authorEmail as pulumi.Input<string> | undefined,
      commitMessageAppendix: a.commitMessageAppendix as pulumi.Input<string> | undefined,
      adopt: a.adopt,
      keepFilesOnDestroy: a.keepFilesOnDestroy,
    },
    { ...child, dependsOn: [...dependsOn, ...(moving ? [operator] : [])] },
  );
  const instance = new parts.FluxInstance(
    `${name}-instance`,
    {
      namespace: a.namespace as pulumi.Input<string> | undefined,
      instance: spec,
      // the inputs themselves: known at every preview (dependsOn orders it after the operator)
      operator: {
        version: op.version,
        ...(op.source !== undefined ? { source: op.source } : {}),
        ...(op.digest !== undefined ? { digest: op.digest } : {}),
      },
      cluster: a.cluster,
      credentials: links.credentials,
      commit: manifests.commit,
      wait: waits.apply((x) => ({ reconciliation: x.reconciliation, timeoutSeconds: x.timeoutSeconds })),
      releaseGuards: operator.guarded,
    },
    { ...child, dependsOn: [...dependsOn, operator, manifests] },
  );
  const components = spec.apply(
    (x) => x.components ?? ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'],
  );
  return { operator, manifests, instance, spec, components, outputs: { commit: manifests.commit, version: instance.version, components } };
}
