// Bindings for the two parts of the alekc/kubectl provider the construct uses: the provider
// block and `kubectl_manifest`. There is no prebuilt @cdktf/provider-kubectl, so these are the
// few lines `cdktf get` would generate for them. Why kubectl at all: docs/cdktf.md ("The
// cluster side"); hashicorp/kubernetes' `kubernetes_manifest` needs the CRDs at plan time.
import { TerraformProvider, TerraformResource, type TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';

/** The provider release the bindings were written against (alekc/kubectl). */
export const KUBECTL_PROVIDER_VERSION = '2.2.0';
const METADATA = { providerName: 'kubectl', providerVersion: KUBECTL_PROVIDER_VERSION, providerVersionConstraint: '~> 2.0' };

export interface KubectlProviderConfig {
  readonly alias?: string;
  readonly host?: string;
  readonly token?: string;
  readonly clusterCaCertificate?: string;
  readonly clientCertificate?: string;
  readonly clientKey?: string;
  readonly configPath?: string;
  readonly configContext?: string;
  readonly insecure?: boolean;
  /** read ~/.kube/config (or KUBECONFIG) when nothing else says where the cluster is */
  readonly loadConfigFile?: boolean;
  readonly applyRetryCount?: number;
}

export class KubectlProvider extends TerraformProvider {
  static readonly tfResourceType = 'kubectl';
  private readonly config: KubectlProviderConfig;
  private aliasValue: string | undefined;

  constructor(scope: Construct, id: string, config: KubectlProviderConfig = {}) {
    super(scope, id, { terraformResourceType: 'kubectl', terraformGeneratorMetadata: METADATA, terraformProviderSource: 'alekc/kubectl' });
    this.config = config;
    this.aliasValue = config.alias;
  }

  override get alias(): string | undefined {
    return this.aliasValue;
  }

  override set alias(value: string | undefined) {
    this.aliasValue = value;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      alias: this.aliasValue,
      host: c.host,
      token: c.token,
      cluster_ca_certificate: c.clusterCaCertificate,
      client_certificate: c.clientCertificate,
      client_key: c.clientKey,
      config_path: c.configPath,
      config_context: c.configContext,
      insecure: c.insecure,
      load_config_file: c.loadConfigFile,
      apply_retry_count: c.applyRetryCount,
    };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return hcl(this.synthesizeAttributes());
  }
}

export interface KubectlManifestConfig extends TerraformMetaArguments {
  readonly yamlBody: string;
  readonly serverSideApply?: boolean;
  readonly fieldManager?: string;
  readonly forceConflicts?: boolean;
  readonly waitForRollout?: boolean;
  readonly sensitiveFields?: string[];
  readonly applyOnly?: boolean;
  /** wait after create/update until every condition holds (status.conditions[type].status) */
  readonly waitFor?: { condition: { type: string; status: string }[] };
  /** create/update timeout, Go duration; also bounds waitForRollout and waitFor (default 10m) */
  readonly timeouts?: { create?: string };
}

export class KubectlManifest extends TerraformResource {
  static readonly tfResourceType = 'kubectl_manifest';
  readonly config: KubectlManifestConfig;

  constructor(scope: Construct, id: string, config: KubectlManifestConfig) {
    super(scope, id, {
      terraformResourceType: 'kubectl_manifest',
      terraformGeneratorMetadata: METADATA,
      provider: config.provider,
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
    });
    this.config = config;
  }

  get uid(): string {
    return this.getStringAttribute('uid');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      yaml_body: c.yamlBody,
      server_side_apply: c.serverSideApply,
      field_manager: c.fieldManager,
      force_conflicts: c.forceConflicts,
      wait_for_rollout: c.waitForRollout,
      sensitive_fields: c.sensitiveFields,
      apply_only: c.applyOnly,
      wait_for: c.waitFor && [{ condition: c.waitFor.condition.map((x) => ({ type: x.type, status: x.status })) }],
      timeouts: c.timeouts,
    };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return hcl(this.synthesizeAttributes());
  }
}

/** The HCL synthesizer's per-attribute shape (what generated bindings return). */
function hcl(attrs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    const storageClassType = Array.isArray(value)
      ? 'stringList'
      : typeof value === 'boolean'
        ? 'boolean'
        : typeof value === 'number'
          ? 'number'
          : 'string';
    out[k] = { value, isBlock: false, type: Array.isArray(value) ? 'list' : 'simple', storageClassType };
  }
  return out;
}
