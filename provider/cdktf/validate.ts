// Validate-then-build: every problem of the props as the engine's InputErrors, collected before
// any child construct exists, so a bad value fails `cdktf synth` with the same message the CLI
// and the Pulumi layer print.
import {
  CommitProperties,
  InstallProperties,
  SyncProperties,
  checkBootstrap,
  checkGitHubAppAuth,
  isOciUrl,
  parseGoDuration,
} from '../../schema';
import { keyOptionProblems } from '../../schema/deploy-key-checks';
import { appPairingProblems, nameProblem, ownerProblem, visibilityProblem } from '../../schema/repository-checks';
import { InputError } from '../errors';
import { repositoryUrls } from '../hosts/repository-urls';
import { installedLibraries } from './library';
import type {
  ClusterApplyProps,
  DeployKeyProps,
  FluxBootstrapProps,
  FluxClusterProps,
  FluxEngineProps,
  RegistryCredentialsProps,
  RepositoryProps,
  SshCredentialsProps,
} from './props';

/** Engine options taken from the props as they are; registryCredentials is handled apart (it may be a token). */
export const ENGINE_FIELDS = [...Object.keys(InstallProperties), ...Object.keys(SyncProperties), ...Object.keys(CommitProperties)].filter(
  (f) => f !== 'registryCredentials',
);

/** Stands in for a registryCredentials token during the check (only its pairing is checked then). */
const TOKEN_CREDENTIALS = 'user:password';

function err(field: string, value: unknown, reason: string, remedy: string, secret = false): InputError {
  return new InputError({ field, value, reason, remedy, secret });
}

/** The shared rules' errors (schema/), their fields named as the props nest them. */
function prefixed(prefix: string, found: (InputError | undefined)[]): InputError[] {
  return found.filter((e) => e !== undefined).map((e) => err(prefix + e.field, e.value, e.reason, e.remedy, e.secret));
}

/** Strings holding a Terraform reference ("${...}" tokens) and other unresolved values. */
export function isToken(v: unknown): boolean {
  // tokens of cdktf or cdktn (whichever is installed), and raw "${var.x}" interpolations written by hand
  if (typeof v === 'string' && v.includes('${')) return true;
  return (
    (typeof v === 'string' || typeof v === 'number' || Array.isArray(v) || (typeof v === 'object' && v !== null)) &&
    installedLibraries().some((cdk) => cdk.Token.isUnresolved(v))
  );
}

/** The engine options of the props, with the sync URL. */
export function engineOptions(props: FluxEngineProps, url: string): Record<string, unknown> {
  const bag = props as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of ENGINE_FIELDS) if (bag[f] !== undefined) out[f] = bag[f];
  out.url = url;
  return out;
}

/** `ssh://git@<sshHost>/<owner>/<name>`, flux's URL for host subcommands; https for a GitHub App:
 *  the Pulumi Repository's syncUrl, from the same function. */
export function syncUrlOf(repo: RepositoryProps): string {
  const inputs = { host: repo.host, owner: repo.owner, name: repo.name, apiUrl: repo.baseUrl, sshHost: repo.sshHost };
  return repositoryUrls(inputs, repo.host === 'github' && repo.auth !== undefined).syncUrl;
}

/** repository.auth: the schema's checks on the values known at synth (a variable is checked by GitHub). */
function checkApp(repo: RepositoryProps): InputError[] {
  if (repo.host !== 'github' || repo.auth === undefined) return [];
  const errors: InputError[] = [];
  // a Terraform variable stands for itself: a placeholder passes the schema, GitHub checks the value
  const known = Object.fromEntries(Object.entries(repo.auth).filter(([, v]) => !isToken(v)));
  const keyKnown = known.privateKey !== undefined;
  for (const e of checkGitHubAppAuth({ appId: '1', installationId: '1', privateKey: '-', ...known }).errors) {
    if (e.field !== 'privateKey' || keyKnown) errors.push(err(`repository.auth.${e.field}`, e.value, e.reason, e.remedy, e.secret));
  }
  return errors;
}

function checkRepository(repo: RepositoryProps | undefined): InputError[] {
  if (!repo || typeof repo !== 'object')
    return [
      err('repository', repo, 'a value is required', 'give {host: "github", owner, name} or {host: "gitlab", owner, name, knownHosts}'),
    ];
  const errors: InputError[] = [];
  const host = (repo as { host?: unknown }).host;
  if (host !== 'github' && host !== 'gitlab')
    errors.push(err('repository.host', host, 'must be "github" or "gitlab"', 'use "github" or "gitlab"'));
  for (const f of ['owner', 'name'] as const) {
    const v = repo[f];
    if (isToken(v))
      errors.push(
        err(`repository.${f}`, v, 'must be known at synth time: the sync URL is written into gotk-sync.yaml', 'use a plain string'),
      );
    else errors.push(...prefixed('repository.', [(f === 'owner' ? ownerProblem : nameProblem)(String(host), v)]));
  }
  if (host === 'gitlab' && repo.knownHosts === undefined) {
    errors.push(
      err(
        'repository.knownHosts',
        undefined,
        'a value is required for GitLab (its provider does not publish the SSH host keys)',
        'give the output of: ssh-keyscan gitlab.com',
      ),
    );
  }
  if (repo.visibility !== undefined) errors.push(...prefixed('repository.', [visibilityProblem(repo.visibility)]));
  errors.push(...prefixed('repository.', appPairingProblems(host, repo.token, (repo as { auth?: unknown }).auth)));
  for (const f of ['baseUrl', 'sshHost'] as const) {
    if (isToken(repo[f]))
      errors.push(err(`repository.${f}`, repo[f], 'must be known at synth time: it decides the sync URL', 'use a plain string'));
  }
  errors.push(...checkApp(repo));
  if (errors.length === 0) {
    try {
      syncUrlOf(repo);
    } catch (e) {
      if (e instanceof InputError) errors.push(err(`repository.${e.field}`, e.value, e.reason, e.remedy));
      else throw e;
    }
  }
  return errors;
}

function checkDeployKey(key: DeployKeyProps | undefined): InputError[] {
  if (key === undefined) return [];
  const errors = prefixed(
    'deployKey.',
    keyOptionProblems(key, (v) => !isToken(v)),
  );
  if ((key.privateKey === undefined) !== (key.publicKey === undefined)) {
    const missing = key.privateKey === undefined ? 'privateKey' : 'publicKey';
    errors.push(
      err(
        `deployKey.${missing}`,
        undefined,
        'a value is required when the other half of the key pair is given',
        'give both privateKey and publicKey, or neither to generate a key',
      ),
    );
  }
  return errors;
}

function checkCluster(cluster: unknown): InputError[] {
  if (cluster && typeof cluster === 'object') return [];
  return [
    err(
      'cluster',
      cluster,
      'a value is required',
      'give {configPath, configContext}, {host, clusterCaCertificate, token} or existing providers',
    ),
  ];
}

function checkApply(apply: ClusterApplyProps | undefined): InputError[] {
  const t = apply?.timeout;
  if (t === undefined) return [];
  const ns = typeof t === 'string' ? parseGoDuration(t) : undefined;
  return ns !== undefined && ns > 0n ? [] : [err('apply.timeout', t, 'must be a positive Go duration', 'use e.g. "5m" or "1m30s"')];
}

function checkUrl(url: unknown): InputError[] {
  if (typeof url !== 'string' || isToken(url) || url.startsWith('ssh://') || isOciUrl(url)) return [];
  return [err('url', url, 'must be an ssh:// URL: Flux pulls with the deploy key', 'use e.g. "ssh://git@github.com/acme/fleet"')];
}

/** The engine's errors for the options; values only known at apply are refused (the manifests are rendered at synth). */
function checkEngine(props: FluxEngineProps, url: string): InputError[] {
  const errors: InputError[] = [];
  const options = engineOptions(props, url);
  const tokens = Object.keys(options).filter((k) => isToken(options[k]));
  for (const k of tokens) {
    errors.push(
      err(
        k,
        options[k],
        'must be known at synth time: the manifests are rendered by `cdktf synth`',
        'use a plain value, not a Terraform reference',
      ),
    );
    delete options[k];
  }
  const creds = props.registryCredentials;
  if (creds !== undefined) options.registryCredentials = isToken(creds) ? TOKEN_CREDENTIALS : creds;
  const tokenFields = new Set(tokens);
  errors.push(...checkBootstrap(options).errors.filter((e) => !tokenFields.has(e.field.split(/[.[]/)[0])));
  return errors;
}

/** Every problem of FluxBootstrap's props; empty when the construct can be built. */
export function checkProps(props: FluxBootstrapProps): InputError[] {
  if (!props || typeof props !== 'object')
    return [err('props', props, 'a value is required', 'give at least version, repository and cluster')];
  const errors = [
    ...checkRepository(props.repository),
    ...checkDeployKey(props.deployKey),
    ...checkCluster(props.cluster),
    ...checkUrl(props.url),
    ...checkApply(props.apply),
  ];
  if (isOciUrl(props.url))
    errors.push(
      err(
        'url',
        props.url,
        'is an OCI artifact, but FluxBootstrap commits to a Git repository',
        'use FluxCluster with this url for a gitless bootstrap (push the artifact with OciSyncManifests or `flux push artifact`)',
      ),
    );
  if (errors.some((e) => e.field.startsWith('repository.')) && props.url === undefined) return errors;
  return [...errors, ...checkEngine(props, props.url ?? syncUrlOf(props.repository))];
}

/** Every problem of FluxCluster's props. */
export function checkClusterProps(props: FluxClusterProps): InputError[] {
  if (!props || typeof props !== 'object')
    return [err('props', props, 'a value is required', 'give at least version, url, credentials and cluster')];
  const errors = [...checkCluster(props.cluster), ...checkUrl(props.url), ...checkApply(props.apply)];
  if (isOciUrl(props.url)) return [...errors, ...checkRegistryCredentials(props), ...checkEngine(props, props.url)];
  const c = props.credentials as Partial<SshCredentialsProps> | undefined;
  for (const f of ['privateKey', 'publicKey', 'knownHosts'] as const) {
    if (typeof c?.[f] !== 'string' || c[f] === '')
      errors.push(
        err(`credentials.${f}`, undefined, 'a value is required', "give the key pair Flux pulls with and the host's known_hosts"),
      );
  }
  return [...errors, ...checkEngine(props, props.url)];
}

/** Gitless: the pull Secret needs a registry user unless oci.anonymous, and the CA with oci.privateCa. */
function checkRegistryCredentials(props: FluxClusterProps): InputError[] {
  const c = (props.credentials ?? {}) as RegistryCredentialsProps & Partial<SshCredentialsProps>;
  const errors: InputError[] = [];
  if (c.privateKey !== undefined)
    errors.push(
      err(
        'credentials.privateKey',
        undefined,
        'is an ssh key, but url is oci:// (Flux pulls from a registry)',
        'give {username, password} of a registry user that may pull',
        true,
      ),
    );
  if (props.oci?.anonymous !== true && (!c.username || !c.password)) {
    errors.push(
      err(
        'credentials',
        undefined,
        'needs username and password of a registry user that may pull (the pull Secret)',
        'give {username, password} (pass the password as a sensitive variable), or set oci.anonymous: true for a public artifact',
        true,
      ),
    );
  }
  if (props.oci?.privateCa === true && !c.caPem)
    errors.push(
      err(
        'credentials.caPem',
        undefined,
        'is required with oci.privateCa',
        'give the registry CA certificate (PEM), or remove oci.privateCa',
      ),
    );
  return errors;
}
