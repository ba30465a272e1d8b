// Upgrading a stack an earlier release made, whose state holds a Secret as `kubernetes_secret_v1`
// at the address the `kubectl_manifest` of secret-manifest.ts now has under the other type (the
// same construct path gives the same logical id). Without a word, the plan would delete that
// resource, and with it the live Secret, in no set order against the manifest's apply. A
// `removed` block with `destroy = false` forgets it instead; the manifest's server-side apply
// then takes the live Secret over, data unchanged. A state without it (a new stack) plans nothing.
//
// What this asks of the user's tools, measured on OpenTofu 1.12.6: the provider block the old
// resource was made with must still be in the configuration, even to forget it ("Provider
// configuration not present"), so the constructs keep their kubernetes provider. Terraform
// (>= 1.7) needs the lifecycle block, and without it would destroy; OpenTofu accepts it from
// 1.10 (opentofu#2628) and refuses it before ("Blocks of type lifecycle are not expected here").
// cdktf 0.21 and cdktn have no class for `removed`: this element's JSON fragment is the block,
// which the stack merges with the others (lists concatenated). cdktf's HCL output, which only
// knows its own block types, cannot carry it (docs/cdktf.md).
import type { Construct } from 'constructs';
import { perLibrary } from './bindings/define';
import type { CdkLibrary } from './library';

export const OLD_SECRET_TYPE = 'kubernetes_secret_v1';

/** An element whose logical id names the address; the manifest that replaced the old Secret. */
interface Addressed {
  readonly friendlyUniqueId: string;
}

const removedElement = perLibrary(
  (cdk: CdkLibrary) =>
    class extends cdk.TerraformElement {
      constructor(
        scope: Construct,
        id: string,
        private readonly successor: Addressed,
      ) {
        super(scope, id, 'removed');
      }
      override toTerraform(): Record<string, unknown> {
        // the logical id is allocated at synth, from the construct path
        return { removed: [{ from: `${OLD_SECRET_TYPE}.${this.successor.friendlyUniqueId}`, lifecycle: { destroy: false } }] };
      }
    },
);

/** A `removed` block for the `kubernetes_secret_v1` an earlier release made where `successor` is now. */
export function forgetOldSecret(cdk: CdkLibrary, scope: Construct, id: string, successor: Addressed): void {
  new (removedElement(cdk))(scope, id, successor);
}
