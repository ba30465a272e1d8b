// FluxOperator: the operator flavor for CDK for Terraform and CDK Terrain. At synth the engine
// renders the Flux Operator's objects from its Go module (kustomize build of config/default),
// resolves the FluxInstance's version range against the releases that module carries, and
// writes the FluxInstance manifest for the repository (`files`, as FluxCluster's desired files);
// Terraform then applies the operator (`kubectl_manifest`, CRDs and Namespace first, the
// Deployment waited for), the sync's pull Secret (a `kubectl_manifest` too, whose body is
// sensitive and which adopts the Secret a lost state left: secret-manifest.ts; none with a
// cloud's workload identity) and the FluxInstance, waited for until Ready. The release
// the range resolves to is the output `<id>-resolved-version`, so a plan shows a new release as
// a change. Destroy deletes the FluxInstance first and waits while the operator's finalizer
// uninstalls Flux (what Flux applied stays), then the operator; its CRDs are left in place
// (apply-only), since deleting them would delete every FluxInstance and ResourceSet of others.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { InputError, InputErrors } from '../errors';
import { marshal, type YamlValue } from '../generate/goyaml/emitter';
import { credentialProblems, instanceObject, INSTANCE_FILE, isWorkloadIdentity, resolveInstanceVersion } from '../operator/instance';
import type { CredentialsInputs } from '../resources/install-state';
import { checkFluxInstance } from '../../schema/flux-instance-checks';
import type { FluxInstanceInput } from '../../schema/input-types';
import { kubernetesProvider } from './bindings/kubernetes';
import { kubectlManifest, kubectlProvider } from './bindings/kubectl';
import type { KubectlManifest } from './kubectl';
import { aliasOf } from './alias';
import { libraryOf } from './library';
import { literal } from './literal';
import type { ClusterProps } from './props';
import { secretManifest } from './secret-manifest';

export interface FluxOperatorProps {
  /** the operator release and where its Go module is read from (default the Go module proxy) */
  readonly operator: { readonly version: string; readonly source?: string; readonly digest?: string };
  /** the operator's namespace, the FluxInstance's too. @default "flux-system" */
  readonly namespace?: string;
  /** the FluxInstance spec (distribution, components, cluster, sharding, storage, kustomize, sync) */
  readonly instance: FluxInstanceInput;
  /** where the manifest goes in the repository: `<path>/<namespace>/flux-instance.yaml` in `files`. @default "" */
  readonly path?: string;
  /** the sync's pull Secret: an SSH key, HTTPS or GitHub App credentials, or registry credentials (pass sensitive variables) */
  readonly credentials?: CredentialsInputs;
  readonly cluster: ClusterProps;
  readonly apply?: {
    /** wait for the operator's Deployment to roll out. @default true */
    readonly waitForRollout?: boolean;
    /** wait until the FluxInstance is Ready. @default true */
    readonly waitForReady?: boolean;
    /** @default "5m" */
    readonly timeout?: string;
  };
}

interface Rendered {
  objects: Record<string, YamlValue>[];
  releases: string[];
}

/** The operator's objects and releases, loaded in a child process (the module loader is asynchronous). */
export function loadOperatorSync(opts: { version: string; source?: string; digest?: string; namespace?: string }): Rendered {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'operator-child.js')], {
    input: JSON.stringify(opts),
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const r = JSON.parse(out) as { ok?: Rendered; error?: string };
  if (!r.ok)
    throw new InputErrors([
      new InputError({
        field: 'operator',
        value: opts.version,
        reason: `cannot be read: ${r.error}`,
        remedy: 'check operator.version and operator.source',
      }),
    ]);
  return r.ok;
}

const nameOf = (o: Record<string, YamlValue>) => (o.metadata as { name: string }).name;
const id = (o: Record<string, YamlValue>) => `operator-${(o.kind as string).toLowerCase()}-${nameOf(o).replace(/[^a-z0-9-]/g, '-')}`;

export class FluxOperator extends Construct {
  /** the Flux release the version range resolves to among the operator's */
  readonly resolvedVersion: string;
  /** path -> content: the FluxInstance manifest to commit */
  readonly files: Record<string, string>;
  readonly operatorManifests: KubectlManifest[];
  readonly fluxInstance: KubectlManifest;

  constructor(scope: Construct, idOf: string, props: FluxOperatorProps) {
    const checked = checkFluxInstance(props.instance);
    const errors = checked.errors.map(
      (e) => new InputError({ field: `instance.${e.field}`, value: e.value, reason: e.reason, remedy: e.remedy, secret: e.secret }),
    );
    if (checked.value) errors.push(...credentialProblems(checked.value, props.credentials));
    InputErrors.throwIfAny(errors);
    const spec = checked.value!;
    const namespace = props.namespace ?? 'flux-system';
    const cdk = libraryOf(scope);
    const rendered = loadOperatorSync({ ...props.operator, namespace });
    super(scope, idOf);
    this.resolvedVersion = resolveInstanceVersion(spec, rendered.releases, props.operator.version);
    const dir = [...(props.path ?? '').split('/').filter((s) => s && s !== '.'), namespace].join('/');
    const instance = instanceObject(spec, namespace);
    this.files = { [`${dir}/${INSTANCE_FILE}`]: `---\n${marshal(instance)}` };

    const alias = aliasOf(cdk, this);
    const c = props.cluster;
    const conn = {
      host: c.host,
      token: c.token,
      clusterCaCertificate: c.clusterCaCertificate,
      clientCertificate: c.clientCertificate,
      clientKey: c.clientKey,
      configPath: c.configPath,
      configContext: c.configContext,
      insecure: c.insecure,
    };
    const kubectl =
      c.kubectlProvider ??
      new (kubectlProvider(cdk))(this, 'kubectl', { alias: `${alias}-kubectl`, ...conn, loadConfigFile: c.configPath !== undefined });
    // used by nothing now: kept for the Secret an earlier release made with it (removed-secret-v1.ts)
    if (!c.kubernetesProvider) new (kubernetesProvider(cdk))(this, 'kubernetes', { alias: `${alias}-kubernetes`, ...conn });
    const Manifest = kubectlManifest(cdk);
    const apply = props.apply ?? {};
    const timeouts = { create: apply.timeout ?? '5m' };
    const manifest = (o: Record<string, YamlValue>, dependsOn: KubectlManifest[], extra: Record<string, unknown> = {}) =>
      new Manifest(this, id(o), {
        provider: kubectl,
        yamlBody: literal(marshal(o)),
        serverSideApply: true,
        fieldManager: 'flux-bootstrap',
        forceConflicts: true,
        dependsOn: dependsOn.length ? dependsOn : undefined,
        ...extra,
      });
    // CRDs and the Namespace first, as kubectl apply of install.yaml would need them
    const first = rendered.objects.filter((o) => o.kind === 'CustomResourceDefinition' || o.kind === 'Namespace');
    const firstManifests = first.map((o) => manifest(o, [], o.kind === 'CustomResourceDefinition' ? { applyOnly: true } : {}));
    const rest = rendered.objects
      .filter((o) => !first.includes(o))
      .map((o) => manifest(o, firstManifests, o.kind === 'Deployment' ? { waitForRollout: apply.waitForRollout ?? true, timeouts } : {}));
    this.operatorManifests = [...firstManifests, ...rest];

    const sync = spec.sync;
    const secret =
      sync && !isWorkloadIdentity(sync.provider) && props.credentials
        ? secretManifest(cdk, this, 'sync-secret', {
            provider: kubectl,
            fieldManager: 'flux-bootstrap',
            secret: {
              name: sync.pullSecret ?? namespace,
              namespace,
              type: sync.kind === 'OCIRepository' ? 'kubernetes.io/dockerconfigjson' : undefined,
              data: secretData(cdk, sync, props.credentials),
            },
            dependsOn: firstManifests,
          })
        : undefined;
    this.fluxInstance = manifest(instance, this.operatorManifests, {
      // Ready alone would pass before the operator has seen a change: the release must be the resolved one
      // too (unless an artifact may bring a newer one)
      waitFor:
        apply.waitForReady === false
          ? undefined
          : {
              condition: [{ type: 'Ready', status: 'True' }],
              field: spec.distribution.artifact
                ? undefined
                : [{ key: 'status.lastAppliedRevision', value: `^${this.resolvedVersion.replace(/\./g, '\\.')}@`, valueType: 'regex' }],
            },
      // destroy: until the operator's finalizer has uninstalled Flux, before the operator goes
      wait: true,
      timeouts,
      ...(secret ? { dependsOn: [...this.operatorManifests, secret] } : {}),
    });
    new cdk.TerraformOutput(this, 'resolved-version', {
      value: this.resolvedVersion,
      description: `Flux release ${spec.distribution.version} resolves to`,
    });
  }
}

function secretData(
  cdk: ReturnType<typeof libraryOf>,
  sync: NonNullable<FluxInstanceInput['sync']>,
  c: CredentialsInputs,
): Record<string, string> {
  if (sync.kind === 'OCIRepository') {
    const registry = /^oci:\/\/([^/]+)/.exec(sync.url)?.[1] ?? '';
    const { Fn } = cdk;
    const user = c.username ?? '';
    const password = c.password ?? '';
    return {
      '.dockerconfigjson': Fn.jsonencode({
        auths: { [registry]: { username: user, password, auth: Fn.base64encode(Fn.join(':', [user, password])) } },
      }),
    };
  }
  const data: Record<string, string> = {};
  if (c.privateKey !== undefined)
    Object.assign(data, { identity: c.privateKey, 'identity.pub': c.publicKey ?? '', known_hosts: c.knownHosts ?? '' });
  if (c.username !== undefined) Object.assign(data, { username: c.username, password: c.password ?? '' });
  if (c.bearerToken !== undefined) data.bearerToken = c.bearerToken;
  if (c.githubAppId !== undefined)
    Object.assign(data, {
      githubAppID: c.githubAppId,
      githubAppInstallationID: c.githubAppInstallationId ?? '',
      githubAppPrivateKey: c.githubAppPrivateKey ?? '',
    });
  if (c.caPem !== undefined) data['ca.crt'] = c.caPem;
  return data;
}
