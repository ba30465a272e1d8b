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

/** A JSON Schema node as the checks, the docs and the generators read it: the keywords and the
 *  x- annotations schema/*.ts writes (TypeBox's schemas are plain JSON Schema objects). */
export interface Schemaish {
  $id?: string;
  $ref?: string;
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  items?: Schemaish;
  properties?: Record<string, Schemaish>;
  patternProperties?: Record<string, Schemaish>;
  additionalProperties?: boolean | Schemaish;
  required?: string[];
  maxLength?: number;
  /** the `flux-bootstrap render` flag */
  'x-flag'?: string;
  /** what a value that fails the schema is told ("must be ...") */
  'x-reason'?: string;
  /** what to do about it */
  'x-remedy'?: string;
  /** the value is never shown */
  'x-secret'?: boolean;
  [keyword: string]: unknown;
}
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
    found = { schema: SCHEMAS[name], validate: liveAjv.compile(SCHEMAS[name]) };
    live.set(name, found);
  }
  return found;
}
