// The runtime side of Construct, on @pulumi/pulumi's own runtime modules (the stock provider
// server does the same but exports no class to delegate to): point the runtime at the engine's
// monitor for this request, turn the inputs into Outputs, run the component, serialize its
// state, and wait until every resource it registered has been sent.
import * as pulumi from '@pulumi/pulumi';
import type { ConstructRequest } from '@pulumi/pulumi/proto/provider_pb';
import { grpc, provproto, structproto } from './deps';

const settings = require('@pulumi/pulumi/runtime/settings');
const localState = require('@pulumi/pulumi/runtime/state');
const config = require('@pulumi/pulumi/runtime/config');
const rpc = require('@pulumi/pulumi/runtime/rpc');
const { deserializeInputs } = require('@pulumi/pulumi/provider/server');

export type ConstructFn = (
  name: string,
  type: string,
  inputs: pulumi.Inputs,
  opts: pulumi.ComponentResourceOptions,
) => Promise<{ urn: pulumi.Output<string>; state: pulumi.Inputs }>;
type Callback = (err: unknown, value?: unknown) => void;

export function constructHandler(
  engineAddress: string | undefined,
  construct: ConstructFn,
): (call: { request: ConstructRequest }, cb: Callback) => void {
  return (call, cb) => {
    void localState.withLocalStorage(async () => {
      try {
        const req = call.request;
        settings.resetOptions(
          req.getProject(),
          req.getStack(),
          req.getParallel(),
          engineAddress,
          req.getMonitorendpoint(),
          req.getDryrun(),
          req.getOrganization(),
        );
        await settings.awaitFeatureSupport();
        const cfg: Record<string, string> = {};
        req.getConfigMap().forEach((v: string, k: string) => {
          cfg[k] = v;
        });
        config.setAllConfig(cfg, req.getConfigsecretkeysList());
        const inputs = await deserializeInputs(req.getInputs(), req.getInputdependenciesMap());
        const providers: Record<string, pulumi.ProviderResource> = {};
        req.getProvidersMap().forEach((ref: string, pkg: string) => {
          providers[pkg] = new pulumi.DependencyProviderResource(ref);
        });
        const opts: pulumi.ComponentResourceOptions = {
          parent: req.getParent() ? new pulumi.DependencyResource(req.getParent()) : undefined,
          dependsOn: req.getDependenciesList().map((urn: string) => new pulumi.DependencyResource(urn)),
          providers,
          protect: req.getProtect(),
          aliases: req
            .getAliasesList()
            .filter((a) => a.hasUrn())
            .map((a) => a.getUrn()),
        };
        const result = await construct(req.getName(), req.getType(), inputs, opts);
        const resp = new provproto.ConstructResponse();
        resp.setUrn(await (pulumi.output(result.urn) as unknown as { promise(): Promise<string> }).promise());
        const [state, deps] = await rpc.serializeResourceProperties(`construct(${req.getType()}, ${req.getName()})`, result.state);
        const map = resp.getStatedependenciesMap();
        for (const [key, resources] of deps as Map<string, Set<pulumi.Resource>>) {
          const d = new provproto.ConstructResponse.PropertyDependencies();
          d.setUrnsList(await Promise.all([...resources].map((r) => (r.urn as unknown as { promise(): Promise<string> }).promise())));
          map.set(key, d);
        }
        resp.setState(structproto.Struct.fromJavaScript(state));
        await settings.waitForRPCs();
        cb(null, resp);
      } catch (e) {
        cb({ code: grpc.status.UNKNOWN, message: (e as Error).message ?? String(e) });
      }
    });
  };
}
