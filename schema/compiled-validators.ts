// The validator and the schema of each input check. The build writes ajv's standalone code for
// all of them into validators.generated.js beside this file (generate-validators.ts), so that
// constructing a Bootstrap loads neither typebox nor ajv (about 0.15 s, spent before a preview
// can start the dynamic provider). Without that file, or when it was generated from other
// schema modules than the ones beside it, the validators are compiled here from the schemas.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';

import { type SchemaName } from './schema-names';

export { SCHEMA_NAMES, type SchemaName } from './schema-names';
export const GENERATED_FILE = 'validators.generated.js';

export type Schemaish = Record<string, any>;
export interface CheckSchema {
  schema: Schemaish;
  validate: ValidateFunction;
}

export interface GeneratedValidators extends Record<SchemaName, ValidateFunction> {
  schemas: Record<SchemaName, Schemaish>;
  fingerprint: string;
}

/** What the generated validators derive from: the compiled schema modules in `dir`. */
export function schemaFingerprint(dir: string): string {
  const hash = createHash('sha256');
  const modules = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js') && f !== GENERATED_FILE)
    .sort();
  for (const f of modules)
    hash
      .update(f)
      .update('\0')
      .update(fs.readFileSync(path.join(dir, f)))
      .update('\0');
  return hash.digest('hex');
}

/** The generated validators in `dir`, or null when absent or made from other schema modules. */
export function loadGenerated(dir: string): GeneratedValidators | null {
  const file = path.join(dir, GENERATED_FILE);
  if (!fs.existsSync(file)) return null;
  const generated = require(file) as GeneratedValidators;
  return generated.fingerprint === schemaFingerprint(dir) ? generated : null;
}

let generated: GeneratedValidators | null | undefined;
const live = new Map<SchemaName, CheckSchema>();
let liveAjv: import('ajv').default | undefined;

/** The schema `name` and its validator: generated when fresh, else compiled once per process. */
export function checkSchema(name: SchemaName): CheckSchema {
  if (generated === undefined) generated = loadGenerated(__dirname);
  if (generated) return { schema: generated.schemas[name], validate: generated[name] };
  let found = live.get(name);
  if (!found) {
    const { SCHEMAS, newAjv } = require('./live-schemas') as typeof import('./live-schemas');
    liveAjv ??= newAjv();
    found = { schema: SCHEMAS[name] as Schemaish, validate: liveAjv.compile(SCHEMAS[name]) };
    live.set(name, found);
  }
  return found;
}
