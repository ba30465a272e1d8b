// The Pulumi package schema of flux-bootstrap, generated from schema/ (the options and the
// resource-level inputs and outputs): what GetSchema answers, what YAML programs are checked
// against and what the SDK generators read. `node dist/provider/plugin/package-schema.js`
// prints it; provider/plugin/schema.json is the committed copy, kept current by a unit test.
import { Type, type TSchema } from '@sinclair/typebox';
import { CommitProperties, InstallProperties, SyncProperties } from '../../schema';
import {
  BootstrapProperties,
  ControllerInstallProperties,
  ControllerPreinstallProperties,
  DeployKeyProperties,
  DistributionProperties,
  ObjectTypes,
  Outputs,
  OciSyncManifestsProperties,
  RepositoryProperties,
  SyncManifestsProperties,
} from '../../schema/resources';
import type { Schemaish } from '../../schema/compiled-validators';
import {
  BootstrapOperatorProperties,
  FluxInstanceResourceProperties,
  InstanceManifestsProperties,
  OperatorInstallProperties,
  OperatorObjectTypes,
  OperatorOutputs,
} from '../../schema/operator-resources';
import { CONFIG_KEYS, SECRET_CONFIG } from './config';
import {
  DOTNET_NAMESPACE,
  GO_IMPORT_BASE,
  HOMEPAGE,
  JAVA_PACKAGE,
  NODEJS_PACKAGE,
  PLUGIN_DOWNLOAD_URL,
  PUBLISHER,
  PYTHON_PACKAGE,
  REPOSITORY,
} from './package-home';
import { KINDS, PACKAGE, tokenOf } from './resources';

/** A property of Pulumi's package schema: an input, an output, a config key or a type's field. */
interface PropertySpec {
  type?: string;
  $ref?: string;
  items?: PropertySpec;
  additionalProperties?: PropertySpec;
  description?: string;
  secret?: boolean;
}

interface ObjectTypeSpec {
  type?: 'object';
  description?: string;
  properties?: Record<string, PropertySpec>;
  required?: string[];
}

interface ResourceSpec {
  description: string;
  isComponent?: boolean;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
  properties: Record<string, PropertySpec>;
  required: string[];
}

/** Pulumi's package schema, as much of it as this package writes. */
export interface PackageSchema {
  name: string;
  displayName: string;
  version: string;
  description: string;
  keywords: string[];
  license: string;
  homepage: string;
  repository: string;
  publisher: string;
  pluginDownloadURL: string;
  config: { variables: Record<string, PropertySpec> };
  provider: { description: string; inputProperties: Record<string, PropertySpec> };
  types: Record<string, ObjectTypeSpec>;
  resources: Record<string, ResourceSpec>;
  language: Record<string, unknown>;
}

/** The SDKs' README: what the package is and where its docs are. */
const README = `flux-bootstrap: \`flux bootstrap\` as declarative Pulumi resources. Docs: ${HOMEPAGE}#readme`;

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

/** Names of the nested object types the option schemas declare inline. */
const NESTED_NAMES: Record<string, string> = {
  kustomization: 'KustomizationOverride',
  patches: 'KustomizationPatch',
  target: 'KustomizationPatchTarget',
  oci: 'OciSettings',
  verify: 'OciVerify',
  matchOIDCIdentity: 'OciVerifyIdentity',
};

class SchemaBuilder {
  readonly types: Record<string, ObjectTypeSpec> = {};
  private readonly named = new WeakMap<object, string>();

  describe(s: Schemaish): string | undefined {
    const parts = [s.description];
    if (s.default !== undefined) parts.push(`Default: ${JSON.stringify(s.default)}.`);
    const text = parts.filter(Boolean).join(' ');
    return text || undefined;
  }

  property(s: Schemaish, typeName: string): PropertySpec {
    const out: PropertySpec = {};
    if (s.$ref) out.$ref = `#/types/${tokenOf(s.$ref)}`;
    else if (s.type === 'array') {
      out.type = 'array';
      out.items = this.property(s.items as Schemaish, typeName);
    } else if (s.type === 'object' && s.patternProperties) {
      out.type = 'object';
      out.additionalProperties = this.property(Object.values(s.patternProperties)[0], typeName);
    } else if (s.type === 'object' && s.properties) {
      this.objectType(s, typeName);
      out.$ref = `#/types/${tokenOf(typeName)}`;
    } else out.type = s.type === 'integer' ? 'integer' : s.type;
    const description = this.describe(s);
    if (description) out.description = description;
    if (s['x-secret']) out.secret = true;
    return out;
  }

  /** One type per schema object, however many resources use it. */
  private nameOf(s: Schemaish, key: string, owner: string): string {
    const inner = s.type === 'array' ? s.items : s;
    if (!inner || typeof inner !== 'object') return `${owner}${cap(key)}`;
    const known = this.named.get(inner);
    if (known) return known;
    const name = inner.$id ?? NESTED_NAMES[key] ?? `${owner}${cap(key)}`;
    this.named.set(inner, name);
    return name;
  }

  /** Properties of an object schema, nested objects registered as types named after the path. */
  properties(schema: Schemaish, owner: string): { properties: Record<string, PropertySpec>; required: string[] } {
    const properties: Record<string, PropertySpec> = {};
    for (const [k, s] of Object.entries(schema.properties as Record<string, Schemaish>))
      properties[k] = this.property(s, this.nameOf(s, k, owner));
    return { properties, required: [...(schema.required ?? [])].sort() };
  }

  objectType(schema: Schemaish, name: string): void {
    if (this.types[tokenOf(name)]) return;
    this.types[tokenOf(name)] = {}; // reserve first: recursion
    const { properties, required } = this.properties(schema, name);
    this.types[tokenOf(name)] = {
      type: 'object',
      description: this.describe(schema),
      properties,
      ...(required.length ? { required } : {}),
    };
  }
}

const { registryCredentials: _rc, ...InstallWithoutRegistry } = InstallProperties;
const { url: _url, ...SyncWithoutUrl } = SyncProperties;

const RESOURCES: Record<string, { description: string; inputs: Record<string, TSchema>; component?: boolean }> = {
  Repository: {
    description:
      'The Git repository Flux syncs from, got or created on its host. Import id: `github:<owner>/<name>`, `gitlab:<group>/<name>`, `gitea:<owner>/<name>` or `git:<url>`, optionally followed by `?<input>=<value>&...`.',
    inputs: RepositoryProperties,
  },
  DeployKey: {
    description:
      "An SSH key Flux pulls with, registered on the Git host, with the host's known_hosts. A new `rotation` replaces the key, the new one registered first.",
    inputs: DeployKeyProperties,
  },
  SyncManifests: {
    description:
      'gotk-components.yaml, gotk-sync.yaml and kustomization.yaml under <path>/<namespace>/ on the branch; every change is one commit. Import id: `<push url>#<branch>:<path>/<namespace>?version=<release>` (push credentials from the provider setting `gitAuth`).',
    inputs: { ...InstallWithoutRegistry, ...SyncProperties, ...CommitProperties, ...DistributionProperties, ...SyncManifestsProperties },
  },
  OciSyncManifests: {
    description:
      'Gitless bootstrap: the files SyncManifests would commit, pushed as one OCI artifact (the format `flux push artifact` writes) to the sync url oci://<registry>/<repository>:<tag>. Refresh is one manifest HEAD; a push happens only when the files change or the tag moved.',
    inputs: { ...InstallWithoutRegistry, ...SyncProperties, ...DistributionProperties, ...OciSyncManifestsProperties },
  },
  ControllerInstall: {
    description:
      'The Flux controllers, the source Secret and the sync objects in one cluster, applied like `flux bootstrap` (staged server-side apply), then a wait until Flux has reconciled the commit. Import id: `<namespace>?version=<release>&url=<sync url>&path=<path>` (the cluster from the provider setting `cluster`, the credentials from the source Secret).',
    inputs: { ...InstallProperties, ...SyncProperties, ...DistributionProperties, ...ControllerInstallProperties },
  },
  ControllerPreinstall: {
    description:
      'The controllers of a first install into a new namespace, applied while SyncManifests pushes the commit (Bootstrap wires it): pass its `preinstalled` to ControllerInstall. It does nothing when the namespace exists, never changes after creation and never deletes (ControllerInstall uninstalls).',
    inputs: { ...InstallProperties, ...SyncProperties, ...DistributionProperties, ...ControllerPreinstallProperties },
  },
  OperatorInstall: {
    description:
      "The Flux Operator's own manifests for a pinned release (its Go module's config/default, as `kustomize build` writes them), applied with server-side apply and waited for. Destroy removes only what it applied, and nothing while FluxInstances or ResourceSets rely on the operator.",
    inputs: OperatorInstallProperties,
  },
  FluxInstance: {
    description:
      "The Flux Operator's FluxInstance `flux` and its sync's pull Secret (none with a cloud's workload identity), applied and waited for until Ready at the release the version range resolves to (a preview names it) and, given a commit, until its sync has reconciled it. Destroy lets the operator uninstall Flux; what Flux applied stays.",
    inputs: FluxInstanceResourceProperties,
  },
  InstanceManifests: {
    description:
      "The FluxInstance manifest committed at <path>/<namespace>/flux-instance.yaml, so the cluster manages its own Flux from Git. With adopt, a classic bootstrap's files there are replaced in the same commit (the move).",
    inputs: InstanceManifestsProperties,
  },
  Bootstrap: {
    description:
      '`flux bootstrap` as one component: Repository, DeployKey, SyncManifests and ControllerInstall wired with Flux\'s defaults; with flavor "operator", OperatorInstall, InstanceManifests and FluxInstance instead.',
    inputs: {
      ...InstallProperties,
      ...SyncWithoutUrl,
      ...CommitProperties,
      ...DistributionProperties,
      ...BootstrapProperties,
      ...BootstrapOperatorProperties,
    },
    component: true,
  },
};

const CONFIG_DESCRIPTIONS: Record<string, string> = {
  token: 'API token for Repository and DeployKey on github, gitlab or gitea when the resource leaves `token` unset.',
  distribution: 'Where the Flux release manifests come from when a resource leaves `distribution` unset.',
  distributionDigest: '"sha256:<hex>" of a downloaded release archive, when a resource leaves `distributionDigest` unset.',
  gitAuth:
    "SyncManifests' push credentials when a resource leaves `auth` unset, and for import: {privateKey, knownHosts} or {username, password}.",
  cluster:
    "ControllerInstall's cluster when a resource leaves `cluster` unset, and for import: {kubeconfig}, {kubeconfigPath, context} or inline fields.",
};

export function packageSchema(version: string): PackageSchema {
  const b = new SchemaBuilder();
  for (const t of [...ObjectTypes, ...OperatorObjectTypes]) b.objectType(t, t.$id as string);
  const resources: Record<string, ResourceSpec> = {};
  for (const [name, r] of Object.entries(RESOURCES)) {
    const inputs = b.properties(Type.Object(r.inputs), name);
    const outs = b.properties(Type.Object(Outputs[name] ?? OperatorOutputs[name]), name);
    // write-only secret inputs (a token, push credentials, a kubeconfig) are not read back
    const writeOnly = KINDS.find((k) => k.name === name)?.writeOnly ?? [];
    const properties = r.component
      ? outs.properties
      : Object.fromEntries(Object.entries({ ...inputs.properties, ...outs.properties }).filter(([k]) => !writeOnly.includes(k)));
    resources[tokenOf(name)] = {
      description: r.description,
      ...(r.component ? { isComponent: true } : {}),
      inputProperties: inputs.properties,
      requiredInputs: inputs.required,
      properties,
      required: outs.required,
    };
  }
  const refs: Record<string, string> = { gitAuth: 'GitAuth', cluster: 'Cluster' };
  const configProperty = (k: string): PropertySpec => ({
    type: refs[k] ? undefined : 'string',
    ...(refs[k] ? { $ref: `#/types/${tokenOf(refs[k])}` } : {}),
    description: CONFIG_DESCRIPTIONS[k],
    ...((SECRET_CONFIG as string[]).includes(k) ? { secret: true } : {}),
  });
  // through JSON: a key set to undefined is left out
  const config = Object.fromEntries(CONFIG_KEYS.map((k) => [k, JSON.parse(JSON.stringify(configProperty(k))) as PropertySpec]));
  return {
    name: PACKAGE,
    displayName: 'Flux bootstrap',
    version,
    description:
      '`flux bootstrap` as declarative resources: the Git repository, the deploy key, the Flux manifests committed in one commit, and the controllers installed with server-side apply.',
    keywords: ['flux', 'gitops', 'kubernetes', 'kind/native', 'category/cloud'],
    license: 'Apache-2.0',
    homepage: HOMEPAGE,
    repository: REPOSITORY,
    publisher: PUBLISHER,
    pluginDownloadURL: PLUGIN_DOWNLOAD_URL,
    config: { variables: config },
    provider: {
      description: 'The flux-bootstrap provider: defaults for token, release manifests and push credentials.',
      inputProperties: config,
    },
    types: Object.fromEntries(Object.entries(b.types).sort(([x], [y]) => (x < y ? -1 : 1))),
    resources,
    language: {
      python: {
        packageName: PYTHON_PACKAGE,
        pyproject: { enabled: true },
        respectSchemaVersion: true,
        readme: README,
      },
      go: { importBasePath: GO_IMPORT_BASE, generateResourceContainerTypes: false, respectSchemaVersion: true },
      nodejs: { packageName: NODEJS_PACKAGE, respectSchemaVersion: true, readme: README },
      csharp: { rootNamespace: DOTNET_NAMESPACE, respectSchemaVersion: true },
      java: { basePackage: JAVA_PACKAGE },
    },
  };
}

export function packageSchemaText(version: string): string {
  return `${JSON.stringify(packageSchema(version), null, 2)}\n`;
}

if (require.main === module) {
  const { packageVersion } = require('./version') as typeof import('./version');
  process.stdout.write(packageSchemaText(packageVersion()));
}
