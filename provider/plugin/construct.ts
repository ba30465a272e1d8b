// Bootstrap as a multi-language component: the plugin's Construct builds the same Bootstrap
// component the Node library exports, made of this package's resources instead of dynamic
// ones. The runtime side of Construct (monitor connection, inputs as Outputs, state
// serialization) is @pulumi/pulumi's own provider server.
import * as pulumi from '@pulumi/pulumi';
import type { BootstrapArgs } from '../pulumi/bootstrap';
import { PackageBootstrap } from './package-resources';
import { tokenOf } from './resources';

/** Secret fields inside Bootstrap's object inputs: when the engine marks a whole object secret
 *  (secretness bubbles up to the top-level input), these are marked secret again, the rest is
 *  plain so the component can read it (the host, the owner...). */
const NESTED_SECRETS: Record<string, string[]> = {
  repository: ['token', 'push'],
  deployKey: ['privateKey', 'passphrase'],
  artifactRegistry: ['auth', 'pull'],
};

interface OutputInternals {
  promise(): Promise<unknown>;
  isKnown: Promise<boolean>;
  isSecret: Promise<boolean>;
}

/** Inputs as Bootstrap takes them: known values plain, secrets as secret Outputs, unknowns
 *  (a preview) left as the Outputs they are. */
export async function componentInputs(inputs: pulumi.Inputs): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (!pulumi.Output.isInstance(v)) {
      out[k] = v;
      continue;
    }
    const o = v as unknown as OutputInternals;
    if (!(await o.isKnown)) {
      out[k] = v;
      continue;
    }
    const value = await o.promise();
    const secret = await o.isSecret;
    if (!secret) out[k] = value;
    else if (NESTED_SECRETS[k] && value && typeof value === 'object') {
      const obj = { ...(value as Record<string, unknown>) };
      for (const f of NESTED_SECRETS[k]) if (obj[f] !== undefined) obj[f] = pulumi.secret(obj[f]);
      out[k] = obj;
    } else out[k] = pulumi.secret(value);
  }
  return out;
}

export async function constructBootstrap(
  name: string,
  type: string,
  inputs: pulumi.Inputs,
  opts: pulumi.ComponentResourceOptions,
): Promise<{ urn: pulumi.Output<string>; state: pulumi.Inputs }> {
  if (type !== tokenOf('Bootstrap'))
    throw new Error(`flux-bootstrap: unknown component type ${type}; this plugin constructs ${tokenOf('Bootstrap')}`);
  const args = (await componentInputs(inputs)) as unknown as BootstrapArgs;
  const b = new PackageBootstrap(name, args, opts);
  return {
    urn: b.urn,
    state: { repositoryUrl: b.repositoryUrl, commit: b.commit, publicKey: b.publicKey, version: b.version, components: b.components },
  };
}
