// One bad input, one message, whichever front end takes it: the Pulumi Node Bootstrap at
// construction (checkBootstrapArgs), the provider plugin's Check of the resource that holds the
// input (the gRPC handler, which the Python, YAML, Go and plugin-served Node programs reach) and
// the CDKTF construct at synth (checkProps). Each message names the field (as Bootstrap and the
// construct nest it: `repository.owner`, `deployKey.bits`), the value, the reason and the fix;
// the rules behind them live once, in schema/ (repository-checks.ts, deploy-key-checks.ts) and
// the engine's option checks.
import { generateKeyPairSync } from 'node:crypto';
import type { CheckRequest, CheckResponse } from '@pulumi/pulumi/proto/provider_pb';
import { checkProps } from '../../provider/cdktf/validate';
import type { FluxBootstrapProps } from '../../provider/cdktf/props';
import { provproto, structproto } from '../../provider/plugin/deps';
import { ProviderServer } from '../../provider/plugin/server';
import { checkBootstrapArgs, type BootstrapArgs } from '../../provider/pulumi/bootstrap';

type Bag = Record<string, unknown>;

interface Case {
  title: string;
  repository?: Bag;
  deployKey?: Bag;
  options?: Bag;
  /** the message, with the field as Bootstrap and FluxBootstrap nest it */
  message: string;
}

const REPOSITORY = { host: 'github', owner: 'acme', name: 'fleet', token: 'ghp_example' };
const APP_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

const CASES: Case[] = [
  {
    title: 'an owner with a space',
    repository: { owner: 'acme corp' },
    message: 'invalid repository.owner "acme corp": must be a user, organization or group path. Fix: use e.g. "acme" or "group/subgroup".',
  },
  {
    title: 'a name ending in .git',
    repository: { name: 'fleet.git' },
    message:
      'invalid repository.name "fleet.git": must be a repository name (letters, digits, ".", "_", "-"; no ".git"). Fix: use e.g. "fleet".',
  },
  {
    title: 'no name',
    repository: { name: undefined },
    message: 'missing repository.name: a value is required for host "github". Fix: give the repository name, e.g. "fleet".',
  },
  {
    title: 'an unknown visibility',
    repository: { visibility: 'secret' },
    message: 'invalid repository.visibility "secret": must be one of private, internal, public. Fix: use "private", like flux bootstrap.',
  },
  {
    title: 'a token beside a GitHub App',
    repository: { auth: { appId: '123', installationId: '456', privateKey: APP_KEY } },
    message:
      'invalid repository.token [secret]: cannot be combined with auth (a GitHub App). Fix: remove token: the App authenticates the API, the pushes and Flux.',
  },
  {
    title: 'an unknown key algorithm',
    deployKey: { algorithm: 'dsa' },
    message: 'invalid deployKey.algorithm "dsa": must be one of ed25519, ecdsa, rsa. Fix: use "ed25519".',
  },
  {
    title: 'an unknown curve',
    deployKey: { algorithm: 'ecdsa', curve: 'p999' },
    message: 'invalid deployKey.curve "p999": must be one of p256, p384, p521. Fix: use "p384", like the flux CLI.',
  },
  {
    title: 'an RSA size out of range',
    deployKey: { algorithm: 'rsa', bits: 1000 },
    message: 'invalid deployKey.bits 1000: must be a multiple of 8 between 2048 and 16384. Fix: use 4096.',
  },
  {
    title: 'a size for the default ed25519 key',
    deployKey: { bits: 4096 },
    message: 'invalid deployKey.bits 4096: applies only to rsa keys. Fix: remove bits, or set algorithm: "rsa".',
  },
  {
    title: 'a curve for an RSA key',
    deployKey: { algorithm: 'rsa', curve: 'p256' },
    message: 'invalid deployKey.curve "p256": applies only to ecdsa keys. Fix: remove curve, or set algorithm: "ecdsa".',
  },
  {
    title: 'a namespace Kubernetes refuses',
    options: { namespace: 'Flux_System' },
    message: 'invalid namespace "Flux_System": must be a lowercase RFC 1123 label (a-z, 0-9, \'-\'). Fix: use e.g. "flux-system".',
  },
];

const repositoryOf = (c: Case) => ({ ...REPOSITORY, ...c.repository });

/** The Node library's Bootstrap, before it builds anything. */
function pulumiNode(c: Case): string[] {
  const args = { version: 'v2.9.3', cluster: { kubeconfig: 'k' }, repository: repositoryOf(c), deployKey: c.deployKey, ...c.options };
  return checkBootstrapArgs(args as unknown as BootstrapArgs).map((e) => e.message);
}

/** The plugin's Check of the resource that takes the input, through its gRPC handler. */
async function plugin(c: Case): Promise<string[]> {
  const [type, prefix, news]: [string, string, Bag] = c.repository
    ? ['Repository', 'repository.', repositoryOf(c)]
    : c.deployKey
      ? ['DeployKey', 'deployKey.', { ...REPOSITORY, ...c.deployKey }]
      : ['SyncManifests', '', { url: 'ssh://git@github.com/acme/fleet', version: 'v2.9.3', ...c.options }];
  const req = new provproto.CheckRequest() as CheckRequest;
  req.setUrn(`urn:pulumi:dev::fleet::flux-bootstrap:index:${type}::x`);
  req.setOlds(structproto.Struct.fromJavaScript({}));
  req.setNews(structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(news)) as Bag));
  const server = new ProviderServer(
    '0.0.0',
    () => '{}',
    () => undefined,
  );
  const response = await new Promise<CheckResponse>((resolve, reject) =>
    server
      .handlers()
      .check({ request: req }, (err, value) =>
        err ? reject(new Error((err as { message?: string }).message ?? 'check failed')) : resolve(value as CheckResponse),
      ),
  );
  // the resource names its own fields (`owner`); Bootstrap nests them under `repository.`
  return response.getFailuresList().map((f) => f.getReason().replace(/^(invalid|missing) /, `$1 ${prefix}`));
}

/** The CDKTF construct's check, before any child construct exists. */
function cdktf(c: Case): string[] {
  const props = {
    version: 'v2.9.3',
    cluster: { configPath: '/kubeconfig' },
    repository: repositoryOf(c),
    deployKey: c.deployKey,
    ...c.options,
  };
  return checkProps(props as unknown as FluxBootstrapProps).map((e) => e.message);
}

test.each(CASES.map((c) => [c.title, c] as const))('%s: the same message from every front end', async (_title, c) => {
  expect({ 'Pulumi (Node)': pulumiNode(c), 'Pulumi (plugin)': await plugin(c), CDKTF: cdktf(c) }).toEqual({
    'Pulumi (Node)': [c.message],
    'Pulumi (plugin)': [c.message],
    CDKTF: [c.message],
  });
});
