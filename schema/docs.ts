// Markdown reference of the options, generated from the schemas (docs/engine.md embeds it and
// a unit test keeps the two identical).
import type { TSchema } from '@sinclair/typebox';
import { text } from '../provider/text';
import { CommitSchema } from './commit';
import { operatorReference } from './docs-operator';
import type { Schemaish } from './compiled-validators';
import { InstallSchema } from './install';
import { SyncSchema } from './sync';

function defaultOf(s: Schemaish): string {
  if (s.default === undefined) return '';
  if (Array.isArray(s.default)) return s.default.length ? `\`${s.default.join(',')}\`` : '`[]`';
  return s.default === '' ? '`""`' : `\`${text(s.default)}\``;
}

function rule(s: Schemaish): string {
  if (s.type === 'array') return rule(s.items ?? {}).replace(/^must/, 'each must') + ' (no duplicates)';
  const limit = s.maxLength !== undefined ? `; at most ${s.maxLength} characters` : '';
  return (s['x-reason'] ?? '') + limit;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function optionsTable(schema: TSchema): string {
  const { required: requiredList, properties } = schema as Schemaish;
  const required = new Set<string>(requiredList ?? []);
  const rows = Object.entries(properties as Record<string, Schemaish>).map(([name, s]) => {
    const flag = s['x-flag'] ? `\`${s['x-flag']}\`` : '';
    const def = required.has(name) ? 'required' : defaultOf(s) || 'optional';
    return `| \`${name}\` | ${flag} | ${def} | ${cell(s.description ?? '')} | ${cell(rule(s))} |`;
  });
  return ['| option | flag | default | description | rule |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The three tables, as embedded in docs/engine.md. */
export function optionsReference(): string {
  return [
    '### Install options (`schema/install.ts`)',
    '',
    optionsTable(InstallSchema),
    '',
    '### Sync options (`schema/sync.ts`)',
    '',
    optionsTable(SyncSchema),
    '',
    '### Commit options (`schema/commit.ts`)',
    '',
    optionsTable(CommitSchema),
    '',
    operatorReference(),
  ].join('\n');
}
