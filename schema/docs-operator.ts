// The operator's options as Markdown tables, generated from schema/flux-instance.ts like the
// other options (docs/engine.md embeds them through optionsReference): the operator release,
// and the FluxInstance spec with its nested fields flattened (`sync.provider`).
import type { TSchema } from '@sinclair/typebox';
import type { Schemaish } from './compiled-validators';
import { FluxInstanceSchema, OperatorSchema } from './flux-instance';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function rule(s: Schemaish): string {
  if (s.type === 'array')
    return (s.items?.['x-reason'] ? `each ${String(s.items['x-reason'])}` : 'a list') + (s.uniqueItems ? ' (no duplicates)' : '');
  const limit = s.maxLength !== undefined ? `; at most ${s.maxLength} characters` : '';
  return (s['x-reason'] ?? (s.type === 'object' ? 'an object' : '')) + limit;
}

function rows(schema: Schemaish, prefix: string, out: string[]): void {
  const required = new Set(schema.required ?? []);
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    const field = `${prefix}${name}`;
    const def = required.has(name) ? 'required' : s.default !== undefined ? `\`${JSON.stringify(s.default)}\`` : 'optional';
    out.push(`| \`${field}\` | ${def} | ${cell(s.description ?? '')} | ${cell(rule(s))} |`);
    if (s.type === 'object' && s.properties) rows(s, `${field}.`, out);
  }
}

export function nestedTable(schema: TSchema): string {
  const out = ['| field | default | description | rule |', '| --- | --- | --- | --- |'];
  rows(schema, '', out);
  return out.join('\n');
}

/** The two tables, as docs/engine.md embeds them after the engine's options. */
export function operatorReference(): string {
  return [
    '### Flux Operator (`schema/flux-instance.ts`)',
    '',
    nestedTable(OperatorSchema),
    '',
    '### FluxInstance spec (`schema/flux-instance.ts`): the `instance` input',
    '',
    nestedTable(FluxInstanceSchema),
    '',
  ].join('\n');
}
