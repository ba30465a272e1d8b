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
    // While it registers a resource, the SDK keeps `new Error().stack` beside every output
    // property's promise (only ever shown in its leaked-promise report), formatted through the
    // program's source maps: about a third of a Bootstrap's construction. The preview cannot
    // start the dynamic provider before the program's synchronous part ends, so that time is
    // on its critical path. The SDK's own source positions set their limit themselves.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(`pulumi-nodejs:dynamic/${MODULE}:${type}`, name, { ...props, [PROVIDER_KEY]: stubText(kind) }, opts);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}
