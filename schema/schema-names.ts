// The names of the input checks, shared by the generated validators (compiled-validators.ts) and
// the typebox schemas they are made from (live-schemas.ts), which must not import each other.
export type SchemaName = 'Install' | 'Sync' | 'Commit' | 'Render' | 'Bootstrap' | 'GitHubApp' | 'Operator' | 'FluxInstance';
export const SCHEMA_NAMES: readonly SchemaName[] = [
  'Install',
  'Sync',
  'Commit',
  'Render',
  'Bootstrap',
  'GitHubApp',
  'Operator',
  'FluxInstance',
];
