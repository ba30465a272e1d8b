// Provider aliases the constructs give the providers they configure themselves.
import type { Construct } from 'constructs';
import type { CdkLibrary } from './library';

/** Unique in the stack and valid in Terraform: the construct path below the stack. */
export function aliasOf(cdk: CdkLibrary, c: Construct): string {
  const stack = cdk.TerraformStack.of(c);
  const parts = c.node.scopes.slice(c.node.scopes.indexOf(stack) + 1).map((s) => s.node.id);
  const alias = parts.join('-').replace(/[^A-Za-z0-9_-]+/g, '-');
  return /^[A-Za-z]/.test(alias) ? alias : `flux-${alias}`;
}
