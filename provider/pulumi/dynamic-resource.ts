// The base of the Node resources: what `pulumi.dynamic.Resource` registers (the same type token,
// `pulumi-nodejs:dynamic/flux-bootstrap:<Kind>`, so existing stacks see the same resources, and
// the same `__provider` input the dynamic provider host loads), with the stub's text written by
// stub.ts instead of serialized from a closure at every run.
import * as pulumi from '@pulumi/pulumi';
import { MODULE } from './options';
import { stubText, type ImplKind } from './stub';

/** The input the dynamic provider host (`pulumi-resource-pulumi-nodejs`) reads the provider from. */
export const PROVIDER_KEY = '__provider';

export abstract class DynamicStubResource extends pulumi.CustomResource {
  protected constructor(kind: ImplKind, type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(`pulumi-nodejs:dynamic/${MODULE}:${type}`, name, { ...props, [PROVIDER_KEY]: stubText(kind) }, opts);
  }
}
