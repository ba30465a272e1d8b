// The attributes of a binding, described once and written both ways a stack synthesizes: the
// JSON attributes (`synthesizeAttributes`, snake_case names; unset values are dropped by the
// library's resolve) and the HCL synthesizer's per-attribute records (`synthesizeHclAttributes`:
// value, whether it is a block, and its Terraform type). This is the part `cdktf get` would
// generate for each attribute, for the few attributes the constructs set.

/** A nested block: one (written as an object), with `list` a list of them, with `listOfOne` one
 *  written as a list of one (JSON accepts both for a block of at most one). */
export interface Block {
  readonly block: Schema;
  readonly list?: boolean;
  readonly listOfOne?: boolean;
}

export type Kind = 'string' | 'number' | 'boolean' | 'stringList' | 'stringMap' | Block;

/** Attribute kinds by the config's camelCase name (the Terraform name is its snake_case). */
export type Schema = Readonly<Record<string, Kind>>;

/** camelCase to Terraform's snake_case, as the libraries' generated bindings name attributes. */
export function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const isBlock = (k: Kind): k is Block => typeof k === 'object';

/** The JSON attributes of `config`. */
export function jsonAttributes(schema: Schema, config: object): Record<string, unknown> {
  const bag = config as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(schema)) {
    const value = bag[name];
    if (value === undefined || !isBlock(kind)) out[snake(name)] = value;
    else if (kind.list) out[snake(name)] = (value as object[]).map((v) => jsonAttributes(kind.block, v));
    else if (kind.listOfOne) out[snake(name)] = [jsonAttributes(kind.block, value as object)];
    else out[snake(name)] = jsonAttributes(kind.block, value as object);
  }
  return out;
}

const HCL_TYPE: Record<Exclude<Kind, Block>, { type: string; storageClassType: string }> = {
  string: { type: 'simple', storageClassType: 'string' },
  number: { type: 'simple', storageClassType: 'number' },
  boolean: { type: 'simple', storageClassType: 'boolean' },
  stringList: { type: 'list', storageClassType: 'stringList' },
  stringMap: { type: 'map', storageClassType: 'stringMap' },
};

/** The HCL synthesizer's records of `config`; unset attributes left out. */
export function hclAttributes(schema: Schema, config: object): Record<string, unknown> {
  const bag = config as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(schema)) {
    const value = bag[name];
    if (value === undefined) continue;
    if (!isBlock(kind)) {
      out[snake(name)] = { value, isBlock: false, ...HCL_TYPE[kind] };
      continue;
    }
    // a block of at most one is written `name { ... }`, a list of blocks one `name { ... }` each
    out[snake(name)] = kind.list
      ? {
          value: (value as object[]).map((v) => hclAttributes(kind.block, v)),
          isBlock: true,
          type: 'list',
          storageClassType: `${name}List`,
        }
      : { value: hclAttributes(kind.block, value as object), isBlock: true, type: 'struct', storageClassType: name };
  }
  return out;
}
