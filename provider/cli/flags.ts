// `flux-bootstrap render` flags, derived from the schema's x-flag metadata so that flag names,
// help text and defaults come from the single source of truth (and match `flux bootstrap`).
import { parseArgs } from 'node:util';
import { InstallProperties } from '../../schema/install';
import { SyncProperties } from '../../schema/sync';
import type { Schemaish } from '../../schema/compiled-validators';
import { InputError } from '../errors';

export interface FlagSpec {
  flag: string;
  field: string;
  kind: 'string' | 'boolean' | 'list';
  description: string;
  default?: unknown;
}

/** Render takes every install and sync option that has a flag, except credentials. */
const RENDER_FIELDS = { ...InstallProperties, ...SyncProperties } as Record<string, Schemaish>;
const EXCLUDED = new Set(['registryCredentials', 'kustomization']);

export const OPTION_FLAGS: FlagSpec[] = Object.entries(RENDER_FIELDS)
  .filter(([field, s]) => s['x-flag'] && !EXCLUDED.has(field))
  .map(([field, s]) => ({
    flag: s['x-flag'] as string,
    field,
    kind: s.type === 'boolean' ? 'boolean' : s.type === 'array' ? 'list' : 'string',
    description: s.description as string,
    default: s.default,
  }));

export const TOOL_FLAGS: FlagSpec[] = [
  {
    flag: '--distribution',
    field: 'distribution',
    kind: 'string',
    description: 'Release manifests: a directory, a manifests.tar.gz, or a release URL.',
    default: 'https://github.com/fluxcd/flux2/releases',
  },
  {
    flag: '--out',
    field: 'out',
    kind: 'string',
    description: 'Directory to write <path>/<namespace>/{gotk-components,gotk-sync,kustomization}.yaml into (required).',
  },
  {
    flag: '--cache-dir',
    field: 'cacheDir',
    kind: 'string',
    description: 'Cache of downloaded releases.',
    default: '~/.cache/flux-bootstrap/manifests',
  },
];

const ALL = [...OPTION_FLAGS, ...TOOL_FLAGS];
export const flagFor = (field: string): string | undefined => ALL.find((f) => f.field === field)?.flag;

export interface ParsedFlags {
  options: Record<string, unknown>;
  tool: { distribution?: string; out?: string; cacheDir?: string };
  help: boolean;
  errors: InputError[];
  /** The command line could not be read at all; nothing else is worth checking. */
  fatal?: boolean;
}

/** pflag accepts a bare boolean flag (`--network-policy`) and `--network-policy=false`. */
function normalizeBooleans(argv: string[]): string[] {
  const booleans = new Set(OPTION_FLAGS.filter((f) => f.kind === 'boolean').map((f) => f.flag));
  return argv.map((a) => (booleans.has(a) ? `${a}=true` : a));
}

export function parseFlags(argv: string[]): ParsedFlags {
  const errors: InputError[] = [];
  const spec: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { help: { type: 'boolean' } };
  for (const f of ALL) spec[f.flag.slice(2)] = { type: 'string', multiple: f.kind === 'list' };
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: normalizeBooleans(argv), options: spec, strict: true, allowPositionals: true }));
  } catch (err) {
    const message = (err as Error).message;
    const flag = /'(--?[^' ]+)/.exec(message)?.[1] ?? argv.join(' ');
    const missing = /argument missing/.test(message);
    errors.push(
      new InputError({
        field: 'flag',
        value: flag,
        reason: missing ? 'needs a value' : 'is not a flag of flux-bootstrap render',
        remedy: missing ? `write ${flag}=<value>` : 'see flux-bootstrap render --help',
      }),
    );
    return { options: {}, tool: {}, help: false, errors, fatal: true };
  }
  for (const p of positionals) {
    errors.push(
      new InputError({
        field: 'argument',
        value: p,
        reason: 'is not expected: render takes flags only',
        remedy: 'write boolean flags as --flag=false, and see flux-bootstrap render --help',
      }),
    );
  }
  const options: Record<string, unknown> = {};
  for (const f of OPTION_FLAGS) {
    const raw = values[f.flag.slice(2)];
    if (raw === undefined) continue;
    if (f.kind === 'list') {
      options[f.field] = (raw as string[]).flatMap((v) => (v === '' ? [] : v.split(',')));
    } else if (f.kind === 'boolean') {
      if (raw === 'true' || raw === 'false') options[f.field] = raw === 'true';
      else
        errors.push(
          new InputError({ field: f.field, value: raw, reason: 'must be a boolean', remedy: `use ${f.flag}=true or ${f.flag}=false` }),
        );
    } else {
      options[f.field] = raw;
    }
  }
  const tool = {
    distribution: values.distribution as string | undefined,
    out: values.out as string | undefined,
    cacheDir: values['cache-dir'] as string | undefined,
  };
  return { options, tool, help: values.help === true, errors };
}
