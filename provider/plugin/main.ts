// pulumi-resource-flux-bootstrap: the provider plugin's process. Pulumi starts it with the
// engine's address, reads the port it prints on stdout, then talks gRPC to it.
import { grpc, provrpc } from './deps';
import { ProviderServer } from './server';
import { packageVersion } from './version';

export async function main(args: string[]): Promise<void> {
  // the engine's address, after flags such as --logtostderr, -v=9 and `--tracing <endpoint>`
  const engineAddress = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '--tracing')[0];
  const version = packageVersion();
  // made when the engine asks (a YAML program, SDK generation): it loads typebox and the whole
  // schema, which the resources' own calls never need, and which would delay every start
  let schema: string | undefined;
  const schemaText = () => (schema ??= (require('./package-schema') as typeof import('./package-schema')).packageSchemaText(version));
  // @pulumi/pulumi's runtime (seconds to load) only for Construct: resource calls need none of it
  let construct: ReturnType<(typeof import('./construct-rpc'))['constructHandler']> | undefined;
  const provider = new ProviderServer(version, schemaText, (call, cb) => {
    construct ??= (require('./construct-rpc') as typeof import('./construct-rpc')).constructHandler(
      engineAddress,
      (require('./construct') as typeof import('./construct')).constructBootstrap,
    );
    construct(call, cb);
  });
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 400 << 20, 'grpc.max_send_message_length': 400 << 20 });
  server.addService(
    provrpc.ResourceProviderService,
    provider.handlers() as unknown as import('@grpc/grpc-js').UntypedServiceImplementation,
  );
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  // stdout carries only the port: anything else the engine would take for it
  process.stdout.write(`${port}\n`);
  console.log = (...a: unknown[]) => console.error(...a);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`pulumi-resource-flux-bootstrap: ${(e as Error).stack ?? e}`);
    process.exit(1);
  });
}
