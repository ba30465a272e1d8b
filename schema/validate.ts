// Validation: ajv applies the schemas' defaults and checks syntax, checks.ts adds the rules a
// schema cannot express, and every problem becomes one InputError. All problems are reported
// together, never just the first.
import type { DefinedError } from 'ajv';
import { InputError, InputErrors } from '../provider/errors';
import { Secret } from '../provider/secret';
import { checkComponents, checkInterval, checkVersion, checkYamlSafe, isValidBranch, isValidGitUrl } from './checks';
import { checkSchema, type SchemaName, type Schemaish } from './compiled-validators';
import { normalizeGoDuration } from './duration';
import { checkOciUrl, isOciUrl } from './oci-url';
import type { GitHubAppInput } from './github-app';
import type { InstallOptions, SyncOptions, CommitOptions, BootstrapOptions, RenderOptions } from './types';

// github-app.ts builds its schema (typebox) when loaded: only a GitHub App's check loads it.
const githubApp = () => require('./github-app') as typeof import('./github-app');

function fieldName(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1);
  if (extra !== undefined) parts.push(extra);
  return parts
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The input as ajv leaves it: defaults applied, and each top-level field that is not in the
 *  check's `failed` set as its schema says (the checks below read those as the schema's types). */
type Data = Record<string, unknown>;

function metaOf(err: DefinedError, root: Schemaish): Schemaish {
  const own = (err.parentSchema ?? {}) as Schemaish;
  if (own['x-reason']) return own;
  const top = err.instancePath.split('/')[1];
  return (top && root.properties?.[top]) || own;
}

/** One ajv error as an InputError. ajv's own keywords' errors are its DefinedError union (params
 *  typed by keyword); the schemas use no keyword of their own. */
function toInputError(err: DefinedError, root: Schemaish): InputError {
  const m = metaOf(err, root);
  const secret = m['x-secret'] === true;
  const remedy = m['x-remedy'] ?? "see the option's description";
  const field = fieldName(err.instancePath);
  const parentSchema: Schemaish | undefined = err.parentSchema;
  switch (err.keyword) {
    case 'required': {
      const missing = err.params.missingProperty;
      const prop = root.properties?.[missing];
      const parent = parentSchema?.properties?.[missing] ?? prop ?? {};
      return new InputError({
        field: fieldName(err.instancePath, missing),
        value: undefined,
        reason: 'a value is required',
        remedy: parent['x-remedy'] ?? 'set it',
      });
    }
    case 'additionalProperties': {
      const name = err.params.additionalProperty;
      const known = Object.keys(parentSchema?.properties ?? {});
      const near = known.find((k) => levenshtein(k.toLowerCase(), name.toLowerCase()) <= 2);
      return new InputError({
        field: fieldName(err.instancePath, name),
        value: (err.data as Data | undefined)?.[name],
        reason: 'is not a known option',
        remedy: near ? `rename it to "${near}"` : `remove it (known options: ${known.join(', ')})`,
      });
    }
    case 'type':
      return new InputError({
        field,
        value: err.data,
        reason: `must be ${err.params.type === 'array' ? 'a list' : `a ${err.params.type}`}`,
        remedy,
        secret,
      });
    case 'uniqueItems': {
      const dup = (err.data as unknown[])[err.params.i];
      return new InputError({
        field,
        value: err.data,
        reason: `must not list ${JSON.stringify(dup)} twice`,
        remedy: `remove the second ${JSON.stringify(dup)}`,
      });
    }
    case 'maxLength':
      return new InputError({ field, value: err.data, reason: `must be at most ${err.params.limit} characters`, remedy, secret });
    case 'minLength':
      return new InputError({ field, value: err.data, reason: 'must not be empty', remedy, secret });
    default:
      return new InputError({ field, value: err.data, reason: m['x-reason'] ?? err.message ?? 'is invalid', remedy, secret });
  }
}

export interface CheckResult<T> {
  value?: T;
  errors: InputError[];
}

/** Runs one schema: unwraps secrets, applies defaults, maps ajv errors (one per field). */
function runSchema(name: SchemaName, input: unknown): { data: Data; errors: InputError[]; failed: Set<string> } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    const errors = [
      new InputError({ field: 'options', value: input, reason: 'must be an object', remedy: 'pass the options as an object' }),
    ];
    return { data: {}, errors, failed: new Set(['options']) };
  }
  const data: Data = {};
  for (const [key, value] of Object.entries(input)) data[key] = Secret.is(value) ? value.reveal() : cloneInput(value);
  const { schema, validate } = checkSchema(name);
  validate(data);
  const errors: InputError[] = [];
  const seen = new Set<string>();
  // Top-level options with any schema error; the semantic checks skip them.
  const failed = new Set<string>();
  for (const err of (validate.errors ?? []) as DefinedError[]) {
    const e = toInputError(err, schema);
    if (seen.has(e.field)) continue;
    seen.add(e.field);
    failed.add(e.field.split(/[.[]/)[0]);
    errors.push(e);
  }
  return { data, errors, failed };
}

/** Defaults are written into the copy, never into the caller's object. */
function cloneInput(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

function normalizePath(p: string): string {
  return p
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

function installChecks(d: Data, failed: Set<string>, errors: InputError[]): void {
  if (!failed.has('version')) checkVersion(d.version as string, errors);
  if (!failed.has('version') && !failed.has('components') && !failed.has('componentsExtra')) {
    checkComponents(d.components as string[], d.componentsExtra as string[], d.version as string, errors);
  }
  if (!failed.has('namespace')) checkYamlSafe('namespace', d.namespace as string, 'flux-system', errors);
  if (!failed.has('imagePullSecret')) checkYamlSafe('imagePullSecret', d.imagePullSecret as string, 'flux-registry', errors);
  if (d.registryCredentials !== undefined && !failed.has('registryCredentials') && !d.imagePullSecret) {
    errors.push(
      new InputError({
        field: 'registryCredentials',
        value: d.registryCredentials,
        secret: true,
        reason: 'needs imagePullSecret: the credentials are stored in that Secret',
        remedy: 'set imagePullSecret, e.g. "flux-registry"',
      }),
    );
  }
  if (d.registryCredentials !== undefined) d.registryCredentials = new Secret(d.registryCredentials);
}

function syncChecks(d: Data, failed: Set<string>, errors: InputError[]): void {
  const rule = (field: string, ok: boolean, reason: string, remedy: string) => {
    if (!failed.has(field) && !ok) errors.push(new InputError({ field, value: d[field], reason, remedy }));
  };
  // the reason and remedy the schema gives for the field
  const p = checkSchema('Sync').schema.properties as Record<string, Schemaish>;
  const reasonOf = (f: string) => p[f]['x-reason'] as string;
  const remedyOf = (f: string) => p[f]['x-remedy'] as string;
  if (isOciUrl(d.url)) {
    if (!failed.has('url')) checkOciUrl(d.url as string, errors);
    rule(
      'provider',
      d.provider !== 'github',
      'is a Git setting: an oci:// url has no GitHub App',
      'remove provider, or use a cloud\'s workload identity: "aws", "azure" or "gcp"',
    );
    rule(
      'recurseSubmodules',
      d.recurseSubmodules !== true,
      'is a Git setting: an OCI artifact has no submodules',
      'remove recurseSubmodules',
    );
  } else {
    rule(
      'provider',
      !['aws', 'azure', 'gcp'].includes(d.provider as string),
      "is a cloud's workload identity, which the gitless bootstrap (an oci:// url) uses here",
      'use "generic" or "github" for a Git url',
    );
    rule('url', typeof d.url !== 'string' || isValidGitUrl(d.url), reasonOf('url'), remedyOf('url'));
    rule('oci', d.oci === undefined, reasonOf('oci'), remedyOf('oci'));
  }
  rule('branch', typeof d.branch !== 'string' || isValidBranch(d.branch), reasonOf('branch'), remedyOf('branch'));
  if (!failed.has('interval')) checkInterval(d.interval as string, errors);
  const k = d.kustomization as { patches?: unknown; content?: unknown } | undefined;
  if (k && !failed.has('kustomization')) {
    rule('kustomization', !(k.patches && k.content !== undefined), reasonOf('kustomization'), remedyOf('kustomization'));
  }
  if (!isOciUrl(d.url))
    rule(
      'provider',
      d.provider !== 'github' || typeof d.url !== 'string' || d.url.startsWith('https://'),
      'must be "generic" for an ssh or http URL: GitHub App credentials work over https only',
      'use the https URL of the repository, or remove provider',
    );
  if (typeof d.path === 'string') d.path = normalizePath(d.path);
  if (typeof d.interval === 'string') d.interval = normalizeGoDuration(d.interval) ?? d.interval;
}

/** One schema and its semantic steps; also for the operator's checks (flux-instance-checks.ts). */
export function check<T>(
  schema: SchemaName,
  input: unknown,
  steps: ((d: Data, f: Set<string>, e: InputError[]) => void)[],
): CheckResult<T> {
  const { data, errors, failed } = runSchema(schema, input);
  if (!failed.has('options')) for (const step of steps) step(data, failed, errors);
  return errors.length > 0 ? { errors } : { value: data as T, errors };
}

export const checkInstall = (input: unknown) => check<InstallOptions>('Install', input, [installChecks]);
export const checkSync = (input: unknown) => check<SyncOptions>('Sync', input, [syncChecks]);
export const checkCommit = (input: unknown) => check<CommitOptions>('Commit', input, []);
export const checkRender = (input: unknown) => check<RenderOptions>('Render', input, [installChecks, syncChecks]);
export const checkBootstrap = (input: unknown) => check<BootstrapOptions>('Bootstrap', input, [installChecks, syncChecks]);
/** repository.auth: the schema, then the key (RSA, readable); fields are named without the prefix. */
export const checkGitHubAppAuth = (input: unknown) =>
  check<GitHubAppInput>('GitHubApp', githubApp().normalizeGitHubApp(input), [
    (d, failed, errors) => {
      if (!failed.has('privateKey')) githubApp().checkGitHubAppKey(d.privateKey as string, errors, 'privateKey');
    },
  ]);

function orThrow<T>(result: CheckResult<T>): T {
  InputErrors.throwIfAny(result.errors);
  return result.value as T;
}

/** Validated options with defaults applied; throws InputErrors listing every problem. */
export const validateInstall = (input: unknown) => orThrow(checkInstall(input));
export const validateSync = (input: unknown) => orThrow(checkSync(input));
export const validateCommit = (input: unknown) => orThrow(checkCommit(input));
export const validateRender = (input: unknown) => orThrow(checkRender(input));
export const validateBootstrap = (input: unknown) => orThrow(checkBootstrap(input));
