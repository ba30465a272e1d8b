// harness: kube-audit, git-ssh, opentofu
// A lost CDKTF state (the state file deleted) and the same program deployed again, as a pipeline
// runs it from a fresh checkout: synth, commit the files it wrote if they changed, `tofu apply`.
// The program is the plain-git one of examples/cdktf-git: a `tls_private_key`, a FluxCluster,
// and the deploy key registered by title with the harness's addKeyCommand (a `terraform_data`
// that runs it when the public key changes; docs/hosts.md asks a user's command to replace a key
// of the same title, as GitHub, GitLab and Gitea do). The namespace is the user's, made before
// the install with a Secret of theirs in it, so destroy must keep both.
// The second apply must adopt what the first made: exit 0, no commit, no DELETE on the API
// server (counted on its audit log), the namespace not Terminating, one deploy key registered
// (the new one, which Flux's Secret holds); a plan after it shows no change; destroy then
// removes Flux and keeps the namespace and the user's Secret, as it would have before.
import { DataResource, LocalBackend, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FluxCluster } from '../../provider/cdktf';
import { deployKeyTitle } from '../../provider/hosts/titles';
import { git, gitEnv, gitOk } from '../harness/git-client';
import { createBareRepo, generateKeyPair, gitSshCommand, grantKey, listGrants, repoDir, urlFor, writeKnownHosts } from '../harness/git-ssh';
import type { GitSshInfo } from '../harness/git-ssh';
import { keyCommand } from '../harness/git-ssh-key-command';
import { auditedRequests, auditMark, type KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { HARNESS_USER_AGENT, KubeRest } from '../harness/kube-rest';
import { pinToMirror, plannedChanges, runTofu, tofuOk, type OpenTofuInfo } from '../harness/opentofu';
import { harnessInfo } from '../harness/state';
import { distributionDir } from '../unit/support/reference';
import type { StagedObject } from '../../provider/cdktf/stages';

const kube = harnessInfo<KubeInfo>('kube');
const gitSsh = harnessInfo<GitSshInfo>('git-ssh');
const tofu = harnessInfo<OpenTofuInfo>('opentofu');
const rest = new KubeRest(kube);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-lost-'));
const namespace = uniqueName('flux-lost');
const repo = `fleet/${namespace}`;
const clusterPath = 'clusters/lost';
const statePath = path.join(tmp, 'terraform.tfstate');
const title = deployKeyTitle({ namespace, branch: 'main', secretName: 'flux-system', path: clusterPath });
const say = (m: string) => process.stderr.write(`[cdktf-lost-state] ${m}\n`);

afterAll(() => {
  // the state and the outdirs hold the generated private key
  if (process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
});

/** The program, synthesized as a pipeline would from a fresh checkout; the files it writes for the repository. */
function synth(): { dir: string; files: Record<string, string>; objects: StagedObject[] } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'cluster');
  new LocalBackend(stack, { path: statePath });
  const key = new PrivateKey(stack, 'deploy-key', { provider: new TlsProvider(stack, 'tls'), algorithm: 'ED25519' });
  const flux = new FluxCluster(stack, 'flux', {
    version: 'v2.9.3',
    distribution: distributionDir('v2.9.3'),
    namespace,
    path: clusterPath,
    url: urlFor(gitSsh, repo),
    credentials: { privateKey: key.privateKeyOpenssh, publicKey: key.publicKeyOpenssh, knownHosts: gitSsh.knownHosts },
    cluster: { configPath: kube.kubeconfig },
    apply: { waitForRollout: false, waitForReady: false }, // no nodes, no controllers here
  });
  // the plain-git addKeyCommand, run when the key changes: registers it read-only under its title
  const [node, script, ...args] = keyCommand('add', gitSsh.stateDir, repo);
  new DataResource(stack, 'register-deploy-key', {
    triggersReplace: [key.publicKeyOpenssh],
    provisioners: [
      {
        type: 'local-exec',
        command: `printf '%s\\n' "$PUBLIC_KEY" | '${node}' '${script}' ${args.map((a) => `'${a}'`).join(' ')}`,
        environment: { PUBLIC_KEY: key.publicKeyOpenssh, FLUX_BOOTSTRAP_KEY_TITLE: title, FLUX_BOOTSTRAP_KEY_ACCESS: 'ro' },
      },
    ],
  });
  new TerraformOutput(stack, 'public_key', { value: key.publicKeyOpenssh });
  app.synth();
  const dir = path.join(app.outdir, 'stacks', 'cluster');
  pinToMirror(tofu, path.join(dir, 'cdk.tf.json'));
  tofuOk(tofu, ['init', '-no-color'], dir);
  return { dir, files: flux.desired.files, objects: flux.objects };
}

let gitEnvironment: NodeJS.ProcessEnv;
const clone = path.join(tmp, 'clone');
const head = () => execFileSync('git', ['--git-dir', repoDir(gitSsh, repo), 'rev-parse', 'refs/heads/main'], { encoding: 'utf8' }).trim();

/** The pipeline's commit step: the files synth wrote, committed and pushed only when they changed. */
async function commitFiles(files: Record<string, string>): Promise<boolean> {
  const opts = { cwd: clone, env: gitEnvironment };
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(clone, rel)), { recursive: true });
    fs.writeFileSync(path.join(clone, rel), content);
  }
  await gitOk(['add', '-A'], opts);
  if ((await git(['diff', '--cached', '--quiet'], opts)).code === 0) return false;
  await gitOk(['commit', '-q', '-m', 'Add Flux manifests'], opts);
  await gitOk(['push', '-q', 'origin', 'HEAD:refs/heads/main'], opts);
  return true;
}

/** kind/name -> resourceVersion and generation of what the stack applies, and of the Git credentials Secret. */
async function versions(objects: StagedObject[]): Promise<Map<string, { version: string; generation?: number }>> {
  const all = [...objects, { kind: 'Secret', apiVersion: 'v1', name: 'flux-system', namespace }];
  const out = new Map<string, { version: string; generation?: number }>();
  for (const o of all) {
    const live = await rest.get(
      await rest.pathOf({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, namespace: o.namespace } }),
    );
    out.set(`${o.kind}/${o.name}`, { version: live?.metadata?.resourceVersion ?? 'absent', generation: live?.metadata?.generation });
  }
  return out;
}

const keysOf = () => listGrants(gitSsh).filter((g) => g.repo === repo && g.access === 'ro');
const secretPath = (name: string) => `/api/v1/namespaces/${namespace}/secrets/${name}`;

beforeAll(async () => {
  createBareRepo(gitSsh, repo, 'main');
  const admin = generateKeyPair(tmp, 'admin', 'ed25519');
  grantKey(gitSsh, admin.publicKey, repo, 'rw');
  gitEnvironment = gitEnv(path.join(tmp, 'home'), {
    GIT_SSH_COMMAND: gitSshCommand(admin.privateKeyFile, writeKnownHosts(gitSsh, path.join(tmp, 'known_hosts'))),
  });
  await gitOk(['init', '-q', '--initial-branch=main', clone], { env: gitEnvironment });
  await gitOk(['remote', 'add', 'origin', urlFor(gitSsh, repo)], { cwd: clone, env: gitEnvironment });
  // the user's namespace, with a Secret of theirs (a SOPS key, say)
  await rest.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, 'user');
  await rest.apply(
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sops-age', namespace }, stringData: { key: 'AGE-SECRET' } },
    'user',
  );
}, 120_000);

test('a deleted state: the same program deployed again adopts its Flux with no commit, no DELETE, one key; destroy keeps what it kept', async () => {
  // the first deploy, as the pipeline runs it
  const first = synth();
  expect(await commitFiles(first.files)).toBe(true);
  const applied = tofuOk(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], first.dir);
  say(`first apply ${applied.seconds.toFixed(1)} s`);
  const commit = head();
  expect(keysOf().map((k) => k.title)).toEqual([title]);
  const before = await rest.get(secretPath('flux-system'));

  // the state is gone; the program and the repository are not
  for (const f of [statePath, `${statePath}.backup`]) fs.rmSync(f, { force: true });
  const second = synth();
  const committed = await commitFiles(second.files);
  const was = await versions(second.objects);
  const mark = auditMark(kube);
  const again = runTofu(tofu, ['apply', '-auto-approve', '-no-color', '-parallelism=10'], second.dir);
  await new Promise((r) => setTimeout(r, 300)); // the audit log is written asynchronously
  const requests = auditedRequests(kube, mark).requests.filter((r) => r.userAgent !== HARNESS_USER_AGENT);
  const deletes = requests.filter((r) => r.verb === 'delete' || r.verb === 'deletecollection');
  const writes = requests.filter((r) => ['create', 'update', 'patch'].includes(r.verb) && !/[?&]dryRun=/.test(r.uri));
  const now = await versions(second.objects);
  const rewritten = [...now].filter(([k, v]) => was.get(k)?.version !== v.version).map(([k]) => k);
  const respecified = [...now].filter(([k, v]) => was.get(k)?.generation !== v.generation).map(([k]) => k);
  say(
    `objects with a new resourceVersion: ${rewritten.join(', ') || 'none'} of ${now.size}; with a new generation: ${respecified.join(', ') || 'none'}`,
  );
  say(
    `apply after the lost state: exit ${again.code} in ${again.seconds.toFixed(1)} s; ${requests.length} API requests, ` +
      `${writes.length} writes, ${deletes.length} deletes; ${(again.stdout.match(/Apply complete!.*/) ?? [''])[0]}`,
  );
  if (again.code !== 0)
    say(
      (again.stdout + again.stderr)
        .split('\n')
        .filter((l) => /Error|error:/.test(l))
        .join(' | '),
    );

  expect(again.code).toBe(0);
  expect(committed).toBe(false);
  expect(head()).toBe(commit);
  expect(deletes.map((d) => `${d.verb} ${d.uri}`)).toEqual([]);
  // the specs Flux's controllers act on stay as they were; the Secret takes the new key (below)
  expect(respecified).toEqual([]);
  expect(rewritten).toContain('Secret/flux-system');
  expect((await rest.get(`/api/v1/namespaces/${namespace}`))?.metadata?.deletionTimestamp).toBeUndefined();
  // one key at the end: the new one, replacing the old under the same title, the one Flux's Secret holds
  const publicKey = tofuOk(tofu, ['output', '-raw', 'public_key'], second.dir).stdout.trim();
  const keys = keysOf();
  expect(keys.map((k) => [k.title, k.publicKey.split(' ').slice(0, 2).join(' ')])).toEqual([
    [title, publicKey.split(' ').slice(0, 2).join(' ')],
  ]);
  const after = await rest.get(secretPath('flux-system'));
  expect(after.metadata.uid).toBe(before.metadata.uid); // adopted, never recreated
  expect(Buffer.from(after.data['identity.pub'], 'base64').toString().trim()).toBe(publicKey);

  // the adopted stack is whole
  expect(plannedChanges(tofu, second.dir)).toEqual([]);

  const destroy = tofuOk(tofu, ['destroy', '-auto-approve', '-no-color', '-parallelism=10'], second.dir);
  // the keys tls_private_key made, in either form, in nothing tofu printed nor in the synthesized stacks
  const privateKeys = [before, after].map((s: { data: { identity: string } }) => s.data.identity);
  const printed = [applied, again, destroy].map((r) => r.stdout + r.stderr).join('\n');
  const synthesized = [first.dir, second.dir].map((d) => fs.readFileSync(path.join(d, 'cdk.tf.json'), 'utf8')).join('\n');
  // base64 in the Secret's data, and a piece of the key's own text (past its constant header)
  const texts = privateKeys.map((b) =>
    Buffer.from(b, 'base64')
      .toString()
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join(''),
  );
  for (const k of [...privateKeys, ...texts.map((t) => t.slice(120, 180))]) {
    expect(printed.includes(k) || synthesized.includes(k)).toBe(false);
  }
  say(`destroy ${destroy.seconds.toFixed(1)} s`);
  expect(destroy.stdout).toMatch(/namespace .* kept: it existed before the install/);
  expect((await rest.get(`/api/v1/namespaces/${namespace}`))?.status?.phase).toBe('Active');
  expect(await rest.get(secretPath('sops-age'))).not.toBeNull();
  expect(await rest.get(secretPath('flux-system'))).toBeNull();
  expect(await rest.get(`/apis/apps/v1/namespaces/${namespace}/deployments/source-controller`)).toBeNull();
  // no other Flux uses them: the CRDs go (their deletion finishes after the API server's cleanup)
  const crd = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gitrepositories.source.toolkit.fluxcd.io';
  await rest.waitFor('the GitRepository CRD gone', async () => ((await rest.get(crd)) === null ? true : undefined), 60_000, 500);
}, 900_000);
