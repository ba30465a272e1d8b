// Operations a killed run left in flight. Pulumi records a create before it calls the provider
// and, when the process dies before the answer, keeps that record in the state ("pending
// operations") through every later update until someone removes it, because it cannot know
// whether the resource was made. The next `up` warns and creates the resource again; this
// package's creates take over what they find (the committed files, the deploy key registered
// under its title, the applied objects), so once that `up` succeeded, a pending create whose
// resource is now in the state was finished by it and the record is removed. Other pending
// operations are dropped by Pulumi itself at the next update.
import type * as pulumi from '@pulumi/pulumi';
type Stack = pulumi.automation.Stack;

/** The engine's warning at the start of an update that inherits pending operations. */
export const PENDING_WARNING = /pending operations from previous deployment/;

interface DeploymentState {
  resources?: { urn: string }[];
  pending_operations?: { type: string; resource: { urn: string } }[];
}

/** Removes the pending creates whose resource the last update made; returns their URNs. */
export async function clearFinishedPendingCreates(stack: Stack): Promise<string[]> {
  const exported = await stack.exportStack();
  const d = exported.deployment as DeploymentState;
  const made = new Set((d.resources ?? []).map((r) => r.urn));
  const finished = (d.pending_operations ?? []).filter((op) => op.type === 'creating' && made.has(op.resource.urn));
  if (!finished.length) return [];
  d.pending_operations = (d.pending_operations ?? []).filter((op) => !finished.includes(op));
  await stack.importStack(exported);
  return finished.map((op) => op.resource.urn);
}
