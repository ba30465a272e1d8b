// The input schemas as typebox builds them, and the ajv that checks them. Loading this module
// loads typebox and ajv: validation needs it only where no generated validators are found
// (compiled-validators.ts), and generate-validators.ts turns it into those validators.
import Ajv, { type Options } from 'ajv';
import { Type, type TSchema } from '@sinclair/typebox';
import { CommitProperties, CommitSchema } from './commit';
import { META_KEYWORDS } from './fields';
import { FluxInstanceSchema, OperatorSchema } from './flux-instance';
import { GitHubAppSchema } from './github-app';
import { InstallProperties, InstallSchema } from './install';
import { SyncProperties, SyncSchema } from './sync';
import type { SchemaName } from './schema-names';

export const RenderSchema = Type.Object(
  { ...InstallProperties, ...SyncProperties },
  { $id: 'RenderOptions', description: 'Everything that decides the three committed files.', additionalProperties: false },
);
export const BootstrapSchema = Type.Object(
  { ...InstallProperties, ...SyncProperties, ...CommitProperties },
  { $id: 'BootstrapOptions', description: 'All engine inputs: install, sync and commit options.', additionalProperties: false },
);

/** Every schema a check runs, by the name validate.ts asks for. */
export const SCHEMAS: Record<SchemaName, TSchema> = {
  Install: InstallSchema,
  Sync: SyncSchema,
  Commit: CommitSchema,
  Render: RenderSchema,
  Bootstrap: BootstrapSchema,
  GitHubApp: GitHubAppSchema,
  Operator: OperatorSchema,
  FluxInstance: FluxInstanceSchema,
};

/** All errors at once, defaults written into the data, the failing schema in each error. */
export function newAjv(extra: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: true, ...extra });
  for (const keyword of META_KEYWORDS) ajv.addKeyword({ keyword, schemaType: keyword === 'x-secret' ? 'boolean' : 'string' });
  return ajv;
}
