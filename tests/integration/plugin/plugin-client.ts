// A gRPC client of the provider plugin process, the way the Pulumi engine talks to it: start
// `provider/plugin/bin/pulumi-resource-flux-bootstrap`, read its port, call the service.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { grpc, provproto, provrpc, structproto } from '../../../provider/plugin/deps';
import { projectRoot } from '../../harness/flux-reference';

export interface PluginClient {
  call<T = any>(method: string, request: unknown): Promise<T>;
  stderr: () => string;
  stop(): void;
}

export const struct = (o: Record<string, unknown>) => structproto.Struct.fromJavaScript(o);
export { provproto };

export async function startPlugin(): Promise<PluginClient> {
  const bin = path.join(projectRoot(), 'provider', 'plugin', 'bin', 'pulumi-resource-flux-bootstrap');
  const child: ChildProcess = spawn(bin, ['127.0.0.1:1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` },
  });
  let err = '';
  child.stderr!.on('data', (d) => {
    err += String(d);
  });
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('exit', (code) => reject(new Error(`plugin exited ${code}: ${err}`)));
  });
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    call: (method, request) =>
      new Promise((resolve, reject) => client[method](request, (e: Error | null, r: unknown) => (e ? reject(e) : resolve(r as any)))),
    stderr: () => err,
    stop: () => {
      client.close();
      child.kill();
    },
  };
}
