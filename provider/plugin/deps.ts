// gRPC and protobuf as @pulumi/pulumi itself loads them: the plugin speaks through Pulumi's
// generated stubs (@pulumi/pulumi/proto), so it takes the runtime libraries those stubs were
// built against rather than adding its own copies.
import * as path from 'node:path';

const pulumiDir = path.dirname(require.resolve('@pulumi/pulumi/package.json'));
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));

export const grpc = fromPulumi('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
export const structproto = fromPulumi('google-protobuf/google/protobuf/struct_pb');
export const emptyproto = fromPulumi('google-protobuf/google/protobuf/empty_pb');
export const anyproto = fromPulumi('google-protobuf/google/protobuf/any_pb');
export const provproto = require('@pulumi/pulumi/proto/provider_pb');
export const provrpc = require('@pulumi/pulumi/proto/provider_grpc_pb');
export const plugproto = require('@pulumi/pulumi/proto/plugin_pb');
export const statusproto = require('@pulumi/pulumi/proto/status_pb');
