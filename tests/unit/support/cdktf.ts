// Helpers for the CDKTF construct's unit tests: synthesize a FluxBootstrap in a fresh stack and
// look at the Terraform JSON it produced.
import { Testing, TerraformStack } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { FluxBootstrap, type FluxBootstrapProps } from '../../../provider/cdktf';
import type { Distribution } from '../../../provider/engine';

export type TfJson = {
  provider: Record<string, Record<string, unknown>[]>;
  resource: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  output: Record<string, { value: unknown; sensitive?: boolean }>;
  terraform: { required_providers: Record<string, { source: string; version: string }> };
};

Testing.setupJest();

export const GITHUB: FluxBootstrapProps['repository'] = { host: 'github', owner: 'acme', name: 'fleet' };
export const GITLAB_KNOWN_HOSTS = 'gitlab.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKeyForTests';
export const CLUSTER: FluxBootstrapProps['cluster'] = { configPath: '/home/me/.kube/config', configContext: 'prod' };

export function baseProps(dist: Distribution, extra: Partial<FluxBootstrapProps> = {}): FluxBootstrapProps {
  return { version: dist.version, distribution: dist, repository: GITHUB, cluster: CLUSTER, ...extra };
}

/** Synthesizes one FluxBootstrap named "flux" into a fresh stack. */
export function synthFlux(props: FluxBootstrapProps | ((stack: TerraformStack) => FluxBootstrapProps)): {
  json: TfJson;
  text: string;
  flux: FluxBootstrap;
  stack: TerraformStack;
} {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  const flux = new FluxBootstrap(stack, 'flux', typeof props === 'function' ? props(stack) : props);
  const text = Testing.synth(stack, true);
  return { json: JSON.parse(text) as TfJson, text, flux, stack };
}

/** The single resource of a type whose logical id contains `idPart`. */
export function resource(json: TfJson, type: string, idPart = ''): Record<string, any> {
  const all = Object.entries(json.resource[type] ?? {}).filter(([id]) => id.includes(idPart));
  if (all.length !== 1) throw new Error(`expected one ${type} matching "${idPart}", found ${all.map(([id]) => id).join(', ') || 'none'}`);
  return all[0][1];
}

/** "type.logical_id" of the resource whose id contains idPart, as depends_on spells it. */
export function ref(json: TfJson, type: string, idPart: string): string {
  const id = Object.keys(json.resource[type] ?? {}).find((k) => k.includes(idPart));
  if (!id) throw new Error(`no ${type} matching "${idPart}"`);
  return `${type}.${id}`;
}

/** Undoes Terraform's template escapes ($${ and %%{) to get the text Terraform will write. */
export function unescapeTemplate(s: string): string {
  return s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}
