// Resource options every flux-bootstrap dynamic resource gets.
import * as pulumi from '@pulumi/pulumi';

/** The Pulumi module of the dynamic resources: types read `pulumi-nodejs:dynamic/flux-bootstrap:<Kind>`. */
export const MODULE = 'flux-bootstrap';

/** opts plus the outputs that hold secrets (values the provider returns, e.g. a generated key,
 *  which Pulumi would otherwise store in plaintext). */
export function withSecretOutputs(opts: pulumi.CustomResourceOptions | undefined, names: string[]): pulumi.CustomResourceOptions {
  return pulumi.mergeOptions(opts, { additionalSecretOutputs: names });
}

/** args with the named inputs marked secret when given: Pulumi then encrypts them wherever they
 *  land in the state (inputs and outputs), even when the program passed a plain string. */
export function withSecretInputs<T extends object>(args: T, names: string[]): T {
  const out = { ...args } as Record<string, unknown>;
  for (const n of names) if (out[n] !== undefined) out[n] = pulumi.secret(out[n]);
  return out as T;
}

/** opts plus inputs whose diff `pulumi preview --diff` shows as "(hidden)": ones check derives
 *  whose stored value is the last run's (SyncManifests' `plan` lists the files the last change
 *  created, which a line diff shows as removed), or that say nothing to a reader (the stamp). */
export function withHiddenDiffs(opts: pulumi.CustomResourceOptions | undefined, names: string[]): pulumi.CustomResourceOptions {
  return pulumi.mergeOptions(opts, { hideDiffs: names });
}
