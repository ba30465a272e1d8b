// The inventory: one entry per cluster, with defaults every entry inherits. Values that must not
// live in the file (kubeconfigs, tokens, push keys) are references, `{env: NAME}` or
// `{file: path}` (relative to the inventory), read when the pipeline runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { InputError, InputErrors, checkBootstrapArgs, type BootstrapArgs } from 'flux-bootstrap/pulumi';

export interface Cluster {
  /** the cluster's name; also its stack's name */
  name: string;
  /** its index in the inventory's clusters list */
  position: number;
  /** the kubeconfig's content, read from its reference */
  kubeconfig: string;
  /** the Bootstrap repository (host, owner/name or url, push credentials), references read */
  repository: Record<string, unknown>;
  path: string;
  version: string;
  /** further Bootstrap arguments (namespace, distribution, wait, deployKey, ...) */
  options: Record<string, unknown>;
  /** names of the values read from references whose key says they are secret */
  secretKeys: string[];
}

/** A cluster whose entry cannot be used: the pipeline reports it as failed and goes on. */
export interface BrokenEntry {
  name: string;
  position: number;
  errors: string[];
}

export interface Inventory {
  file: string;
  clusters: Cluster[];
  broken: BrokenEntry[];
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$/;
const SECRET_KEY = /token|password|privatekey|passphrase|kubeconfig/i;
const FIELDS = ['name', 'kubeconfig', 'repository', 'path', 'version', 'options'];

type Ref = { env: string } | { file: string };
const isRef = (v: unknown): v is Ref =>
  !!v &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  Object.keys(v).length === 1 &&
  (typeof (v as { env?: unknown }).env === 'string' || typeof (v as { file?: unknown }).file === 'string');

function readRef(ref: Ref, field: string, dir: string): string {
  if ('env' in ref) {
    const v = process.env[ref.env];
    if (v === undefined || v === '')
      throw new InputError({
        field,
        value: `env:${ref.env}`,
        reason: 'the environment variable is not set',
        remedy: `set ${ref.env} in the pipeline's environment (a CI secret)`,
      });
    return v;
  }
  const file = path.resolve(dir, ref.file);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError({
      field,
      value: `file:${ref.file}`,
      reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      remedy: `write the file at ${file}, or point ${field} at another file`,
    });
  }
}

/** Replaces every `{env}`/`{file}` reference below `value` by what it names. */
function resolveRefs(value: unknown, field: string, dir: string, secretKeys: string[]): unknown {
  if (isRef(value)) {
    if (SECRET_KEY.test(field)) secretKeys.push(field);
    return readRef(value, field, dir);
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveRefs(v, `${field}[${i}]`, dir, secretKeys));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, `${field}.${k}`, dir, secretKeys)]));
  }
  return value;
}

function merge(base: unknown, over: unknown): unknown {
  if (isRef(over) || isRef(base)) return over ?? base;
  if (base && over && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
    return out;
  }
  return over === undefined ? base : over;
}

function entry(raw: Record<string, unknown>, at: string, dir: string, position: number): Cluster {
  const errors: InputError[] = [];
  for (const k of Object.keys(raw)) {
    if (!FIELDS.includes(k))
      errors.push(
        new InputError({
          field: `${at}.${k}`,
          value: raw[k],
          reason: 'is not an inventory field',
          remedy: `use one of ${FIELDS.join(', ')}; Bootstrap arguments go under options`,
        }),
      );
  }
  const name = raw.name;
  if (typeof name !== 'string' || !NAME.test(name))
    errors.push(
      new InputError({
        field: `${at}.name`,
        value: name,
        reason: 'must be a stack name (letters, digits, ".", "_", "-")',
        remedy: 'name the cluster, e.g. prod-eu-1',
      }),
    );
  if (!isRef(raw.kubeconfig))
    errors.push(
      new InputError({
        field: `${at}.kubeconfig`,
        value: raw.kubeconfig === undefined ? undefined : '(inline)',
        reason: 'must be a reference',
        remedy: 'give {file: path/to/kubeconfig} or {env: VARIABLE}; never the kubeconfig itself',
      }),
    );
  for (const f of ['path', 'version']) {
    if (typeof raw[f] !== 'string' || raw[f] === '')
      errors.push(
        new InputError({
          field: `${at}.${f}`,
          value: raw[f],
          reason: 'a value is required',
          remedy: f === 'path' ? 'e.g. clusters/prod-eu-1' : 'a Flux release, e.g. v2.9.3',
        }),
      );
  }
  if (!raw.repository || typeof raw.repository !== 'object')
    errors.push(
      new InputError({
        field: `${at}.repository`,
        value: raw.repository,
        reason: 'a value is required',
        remedy: 'give the Bootstrap repository, e.g. {host: github, owner: acme, name: fleet, token: {env: GITHUB_TOKEN}}',
      }),
    );
  if (errors.length) throw new InputErrors(errors);
  const secretKeys: string[] = [];
  let kubeconfig = '';
  let repository: Record<string, unknown> = {};
  let options: Record<string, unknown> = {};
  for (const [field, read] of [
    [
      'kubeconfig',
      () => {
        kubeconfig = readRef(raw.kubeconfig as Ref, `${at}.kubeconfig`, dir);
      },
    ],
    [
      'repository',
      () => {
        repository = resolveRefs(raw.repository, 'repository', dir, secretKeys) as Record<string, unknown>;
      },
    ],
    [
      'options',
      () => {
        options = resolveRefs(raw.options ?? {}, 'options', dir, secretKeys) as Record<string, unknown>;
      },
    ],
  ] as const) {
    try {
      read();
    } catch (e) {
      if (e instanceof InputError) errors.push(prefixed(e, field === 'kubeconfig' ? '' : `${at}.`));
      else throw e;
    }
  }
  if (errors.length) throw new InputErrors(errors);
  const cluster: Cluster = {
    name: name as string,
    position,
    kubeconfig,
    repository,
    path: raw.path as string,
    version: raw.version as string,
    options,
    secretKeys,
  };
  const problems = checkBootstrapArgs(bootstrapArgsOf(cluster)).map((e) => prefixed(e, `${at}.`));
  if (problems.length) throw new InputErrors(problems);
  return cluster;
}

function prefixed(e: InputError, prefix: string): InputError {
  return prefix ? new InputError({ field: prefix + e.field, value: e.value, reason: e.reason, remedy: e.remedy, secret: e.secret }) : e;
}

/** The Bootstrap arguments of a cluster, with plain values (secrets are wrapped by the program). */
export function bootstrapArgsOf(c: Cluster): BootstrapArgs {
  return {
    ...(c.options as Partial<BootstrapArgs>),
    repository: c.repository as unknown as BootstrapArgs['repository'],
    path: c.path,
    version: c.version,
    cluster: { kubeconfig: c.kubeconfig },
  };
}

/**
 * Reads and checks the inventory. A malformed file throws (the pipeline stops before any stack);
 * a malformed entry becomes a BrokenEntry (that cluster fails, the others run).
 */
export function loadInventory(file: string): Inventory {
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError({
      field: 'inventory',
      value: file,
      reason: `cannot be read as YAML: ${(e as Error).message.split('\n')[0]}`,
      remedy: 'fix the file; see examples/landing-zone/inventory.example.yaml',
    });
  }
  const d = (doc ?? {}) as { defaults?: Record<string, unknown>; clusters?: unknown };
  if (!Array.isArray(d.clusters))
    throw new InputError({
      field: 'clusters',
      value: d.clusters,
      reason: 'must be a list',
      remedy: 'list the clusters under clusters:, one entry each',
    });
  const dir = path.dirname(path.resolve(file));
  const inv: Inventory = { file, clusters: [], broken: [] };
  const seen = new Set<string>();
  d.clusters.forEach((raw, i) => {
    const merged = merge(d.defaults ?? {}, raw) as Record<string, unknown>;
    const name = typeof merged.name === 'string' ? merged.name : `clusters[${i}]`;
    const at = `clusters[${i}]`;
    if (seen.has(name)) {
      inv.broken.push({ name, position: i, errors: [`${at}.name "${name}" appears twice; each cluster needs its own name`] });
      return;
    }
    seen.add(name);
    try {
      inv.clusters.push(entry(merged, at, dir, i));
    } catch (e) {
      if (!(e instanceof InputErrors)) throw e;
      inv.broken.push({ name, position: i, errors: e.errors.map((x) => x.message) });
    }
  });
  return inv;
}
