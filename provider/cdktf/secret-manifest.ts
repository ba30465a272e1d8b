// The Secrets the constructs write (Flux's Git or registry credentials, the image pull Secret,
// the operator's sync Secret) as `kubectl_manifest`s applied server-side, like every other
// object. Why not `kubernetes_secret_v1`, as up to this release: it creates with POST and never
// adopts, so after a lost state (the state file deleted, a new backend, `tofu state rm`) the
// next apply failed with `secrets "flux-system" already exists`. A server-side apply takes over
// the Secret that is there, with the new data (a `tls_private_key` made anew) and nothing deleted.
//
// The body is a Terraform expression (jsonencode), so a private key from a sensitive variable or
// a `tls_private_key` stays a reference in cdk.tf.json; `yaml_body` is sensitive in the
// provider's schema, and `yaml_body_parsed`, which plans show, has `data` as "(sensitive value)".
import type { Construct } from 'constructs';
import { kubectlManifest } from './bindings/kubectl';
import type { KubectlManifest } from './kubectl';
import type { CdkLibrary } from './library';
import { forgetOldSecret } from './removed-secret-v1';
import type { Dependable, TerraformProviderRef } from './terraform-types';

export interface SecretInput {
  name: string;
  namespace: string;
  /** absent: Opaque, left to the API server (flux writes no type for Git credentials) */
  type?: string;
  /** key -> the value as text (a Terraform reference or a literal); base64-encoded here */
  data: Record<string, string>;
}

/**
 * A data value as base64, the way Terraform reads it. The value was written as the attribute of
 * a `kubernetes_secret_v1` before, where Terraform's JSON syntax reads every string as a template,
 * so it keeps that meaning: a literal is encoded here (base64 needs no escaping inside the
 * expression, where a quote, a backslash or a newline would); one reference (a variable, a
 * `tls_private_key` attribute) goes into `base64encode`; any other template (a reference written
 * as "${var.x}", text around one, `$${`) is a local, which Terraform reads as a template again.
 */
function encoded(cdk: CdkLibrary, scope: Construct, id: string, key: string, value: string): string {
  const { Fn, Token, Tokenization } = cdk;
  if (!Token.isUnresolved(value) && !/[$%]\{/.test(value)) return Buffer.from(value, 'utf8').toString('base64');
  const parts = Tokenization.reverseString(value);
  if (parts.length === 1 && parts.firstToken) return Fn.base64encode(value);
  return Fn.base64encode(new cdk.TerraformLocal(scope, `${id}-${key.replace(/[^A-Za-z0-9-]/g, '-')}`, value).asString);
}

/** The Secret as JSON, computed by Terraform, so a sensitive value stays a reference. */
export function secretBody(cdk: CdkLibrary, scope: Construct, id: string, s: SecretInput): string {
  const data = Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, encoded(cdk, scope, id, k, v)]));
  return cdk.Fn.jsonencode({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: s.name, namespace: s.namespace },
    ...(s.type ? { type: s.type } : {}),
    data,
  });
}

export interface SecretManifestInput {
  provider: TerraformProviderRef;
  fieldManager: string;
  secret: SecretInput;
  dependsOn: Dependable[];
}

/** The Secret's manifest, and the `removed` block that lets a state of the old resource upgrade. */
export function secretManifest(cdk: CdkLibrary, scope: Construct, id: string, input: SecretManifestInput): KubectlManifest {
  const manifest = new (kubectlManifest(cdk))(scope, id, {
    provider: input.provider,
    yamlBody: secretBody(cdk, scope, id, input.secret),
    serverSideApply: true,
    fieldManager: input.fieldManager,
    // take over the fields the old resource's manager wrote, and a key made anew
    forceConflicts: true,
    dependsOn: input.dependsOn.length ? input.dependsOn : undefined,
  });
  forgetOldSecret(cdk, scope, `${id}-v1-removed`, manifest);
  return manifest;
}
