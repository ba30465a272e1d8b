// Import by id (`pulumi import`, the `import` resource option): an id names an existing
// repository or manifest directory, and the inputs a program would give are rebuilt from it,
// checked like any inputs, then observed with the resource's own read. Secrets never travel in
// an id: they come from the provider configuration (token, git push credentials).
//
//   Repository     github:<owner>/<name>, gitlab:<group/...>/<name>, gitea:<owner>/<name>, git:<url>
//   SyncManifests      <push url>#<branch>:<path>/<namespace>
//   ControllerInstall  <namespace>   (import-install.ts)
//
// Either may end in `?input=value&...` for further inputs (e.g. `?version=v2.9.3` or
// `?apiUrl=https://gitea.example.com`); a value that parses as JSON is taken as such.
import { InputError, InputErrors } from '../errors';
import type { Failure } from './common';
import * as repository from './repository';
import * as syncManifests from './sync-manifests';
import type { Imported, ImportSecrets } from './import-types';

export type { Imported, ImportSecrets } from './import-types';

export function splitQuery(id: string): { base: string; extra: Record<string, unknown> } {
  const q = id.lastIndexOf('?');
  if (q < 0) return { base: id, extra: {} };
  const extra: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(id.slice(q + 1))) {
    try {
      extra[k] = JSON.parse(v);
    } catch {
      extra[k] = v;
    }
  }
  return { base: id.slice(0, q), extra };
}

function badId(kind: string, id: string, form: string): InputError {
  return new InputError({ field: 'id', value: id, reason: `is not a ${kind} import id`, remedy: `use ${form}` });
}

function failed(failures: Failure[] | undefined): void {
  if (failures?.length) throw new Error(`the imported inputs are not valid: ${failures.map((f) => f.reason).join('; ')}`);
}

async function importRepository(id: string, s: ImportSecrets): Promise<Imported> {
  const { base, extra } = splitQuery(id);
  const api = /^(github|gitlab|gitea):(.+)\/([^/]+)$/.exec(base);
  const git = /^git:(.+)$/.exec(base);
  if (!api && !git)
    throw badId('Repository', id, '"github:<owner>/<name>", "gitlab:<group>/<name>", "gitea:<owner>/<name>" or "git:<url>"');
  const given: Record<string, unknown> = api
    ? { host: api[1], owner: api[2], name: api[3], token: s.token }
    : { host: 'git', url: git![1] };
  const checked = await repository.check({}, { ...given, ...extra });
  failed(checked.failures);
  const inputs = checked.inputs as Record<string, unknown>;
  // the outputs read (dynamic providers' ReadResult types them any)
  const found = (await repository.read(base, inputs)).props as Record<string, unknown> | undefined;
  if (!found)
    throw new InputError({
      field: 'id',
      value: id,
      reason: 'names no repository that exists',
      remedy: "check the host, owner and name (and the token's access)",
    });
  // imported, not created: destroy leaves the repository alone
  const props = { ...found, created: false, pushUrl: inputs.host === 'git' ? inputs.url : found.httpsUrl };
  return { id: base, props, inputs };
}

async function importSyncManifests(id: string, s: ImportSecrets): Promise<Imported> {
  const { base, extra } = splitQuery(id);
  const m = /^(.+)#([^:#]+):(.+)$/.exec(base);
  if (!m)
    throw badId(
      'SyncManifests',
      id,
      '"<push url>#<branch>:<path>/<namespace>", e.g. "ssh://git@host/fleet#main:clusters/prod/flux-system?version=v2.9.3"',
    );
  const [, pushUrl, branch, directory] = m;
  const slash = directory.lastIndexOf('/');
  // defaults left out, as a program leaves them out
  const given: Record<string, unknown> = {
    url: pushUrl,
    branch: branch === 'main' ? undefined : branch,
    path: slash < 0 ? undefined : directory.slice(0, slash),
    namespace: directory.slice(slash + 1) === 'flux-system' ? undefined : directory.slice(slash + 1),
    auth: s.auth,
    distribution: s.distribution,
    distributionDigest: s.distributionDigest,
  };
  const news = Object.fromEntries(Object.entries({ ...given, ...extra }).filter(([, v]) => v !== undefined));
  if (news.url !== pushUrl) news.pushUrl = pushUrl;
  const checked = await syncManifests.check({}, news);
  if (checked.failures?.length)
    throw new InputErrors(
      checked.failures.map(
        (f) =>
          new InputError({
            field: f.property || 'a secret input',
            value: undefined,
            reason: f.reason,
            remedy: 'add it to the id as ?<input>=<value>',
          }),
      ),
    );
  const inputs = checked.inputs as Record<string, unknown>;
  // the head and our files as they are now: read compares them with nothing stored (headSha '')
  const found = await syncManifests.read(base, { ...inputs, directory, files: {}, headSha: '' });
  const props = found.props as Record<string, unknown>;
  const files = props.files as Record<string, string>;
  if (Object.keys(files).length === 0)
    throw new InputError({
      field: 'id',
      value: id,
      reason: `finds no Flux manifests in ${directory} at ${branch}`,
      remedy: 'check the URL, branch, path and namespace',
    });
  return { id: base, props: { ...props, commit: props.headSha, version: inputs.version, directory }, inputs };
}

/** The state and inputs of an existing resource of `kind` named by `id`. */
export async function importByid(kind: string, id: string, secrets: ImportSecrets): Promise<Imported> {
  if (kind === 'Repository') return importRepository(id, secrets);
  if (kind === 'SyncManifests') return importSyncManifests(id, secrets);
  if (kind === 'ControllerInstall') {
    const { base, extra } = splitQuery(id);
    const { importControllerInstall } = require('./import-install') as typeof import('./import-install');
    return importControllerInstall(id, base, extra, secrets);
  }
  if (kind === 'ControllerPreinstall') {
    throw new InputError({
      field: 'id',
      value: id,
      reason: 'cannot be imported: ControllerPreinstall only acts on a first install',
      remedy: 'import the ControllerInstall; a ControllerPreinstall created beside it finds the namespace in use and does nothing',
    });
  }
  throw new InputError({
    field: 'id',
    value: id,
    reason: `cannot be imported: ${kind} has no import by id yet`,
    remedy: NO_IMPORT_REMEDY[kind] ?? 'declare it without import',
  });
}

/** What to do instead of an import, per kind: each one's create takes over what is there. */
const NO_IMPORT_REMEDY: Record<string, string> = {
  DeployKey: 'give the key Flux already uses as privateKey: the same key is registered again, nothing else changes',
  OciSyncManifests:
    'declare it without import, with the same url and options: create pushes nothing when the tag already holds these files (the same layer digest), else pushes them once',
};
