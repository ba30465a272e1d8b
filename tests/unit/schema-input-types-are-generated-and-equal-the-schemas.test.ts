// schema/input-types.ts spells out the input types a program sees, so that its type-check does
// not parse typebox. It must be what the generator writes from the schemas now, and each type
// must be exactly typebox's Static of its schema: the assertions below are checked when `npm
// test` compiles the tests, so a difference fails the build.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Static } from '@sinclair/typebox';
import type { CommitSchema, InstallSchema, SyncSchema } from '../../schema';
import type { FluxInstanceSchema } from '../../schema/flux-instance';
import type { CommitInput, FluxInstanceInput, InstallInput, SyncInput } from '../../schema/input-types';
import { inputTypesSource } from '../../schema/input-types-generator';

/** true only when A and B are the same type (optional keys, literal unions and nesting included). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const sameAsSchemas: [
  Same<InstallInput, Static<typeof InstallSchema>>,
  Same<SyncInput, Static<typeof SyncSchema>>,
  Same<CommitInput, Static<typeof CommitSchema>>,
  Same<FluxInstanceInput, Static<typeof FluxInstanceSchema>>,
] = [true, true, true, true];

test('schema/input-types.ts is what the generator writes from the schemas', () => {
  const file = path.join(__dirname, '..', '..', '..', 'schema', 'input-types.ts');
  expect(sameAsSchemas).toEqual([true, true, true, true]);
  // when this fails: node dist/schema/input-types-generator.js > schema/input-types.ts
  expect(fs.readFileSync(file, 'utf8')).toBe(inputTypesSource());
});
