// harness: kube, git-ssh, pulumi, pulumi-languages
// examples/pulumi-yaml and examples/pulumi-python through the flux-bootstrap provider plugin,
// on the real CLI and language hosts: up from nothing, a no-change preview that costs no git
// session and no cluster write (counted on the servers), `preview --diff` after a version bump
// naming the one file that changes, destroy; and `pulumi import` of a bootstrap made with plain
// git, with a clean preview after it. No Flux controller runs here, so nothing is waited for.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Stack } from '@pulumi/pulumi/automation';
import { connect, type Connection, type KubeObject } from '../../provider/cluster';
import { distributionDir, projectRoot } from '../harness/flux-reference';
import { createBareRepo, enableAccessLog, generateKeyPair, grantKey, repoDir, urlFor, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { KubeRest } from '../harness/kube-rest';
import { plainGitBootstrap, removePlainBootstrap } from '../harness/plain-git-bootstrap';
import type { PulumiInfo } from '../harness/pulumi';
import type { PulumiLanguagesInfo } from '../harness/pulumi-languages';
import { harnessInfo } from '../harness/state';
import { installExample, programEnv, pythonSdk, stackOf, stateSizes, yamlProgramHead, type Language } from './plugin/program';
import { writeCost } from './plugin/write-cost';

const KEY_COMMAND = path.join(projectRoot(), 'dist', 'tests', 'harness', 'git-ssh-key-command.js');
const suffix = `${Date.now().toString(36)}${process.pid}`;

let gitSsh: GitSshInfo;
let kube: KubeInfo;
let pulumi: PulumiInfo;
let langs: PulumiLanguagesInfo;
let conn: Connection;
let tmp: string;

beforeAll(async () => {
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  kube = harnessInfo<KubeInfo>('kube');
  pulumi = harnessInfo<PulumiInfo>('pulumi');
  langs = harnessInfo<PulumiLanguagesInfo>('pulumi-languages');
  enableAccessLog(gitSsh);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-plugin-e2e-'));
  conn = await connect({ kubeconfigPath: kube.kubeconfig });
}, 120_000);

afterAll(() => {
  conn?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const git = (repo: string, args: string[]) =>
  execFileSync('git', ['--git-dir', repoDir(gitSsh, repo), ...args], { encoding: 'utf8' }).trim();
const head = (repo: string) => git(repo, ['rev-parse', 'refs/heads/main']);
const commits = (repo: string) => Number(git(repo, ['rev-list', '--count', 'refs/heads/main']));

const cost = <T>(repo: string, ns: string, fn: () => Promise<T>) => writeCost({ gitSsh, kube, conn }, repo, ns, fn);

describe.each<Language>(['yaml', 'python'])('the %s example through the provider plugin', (language) => {
  const REPO = `plugin/${language}-${suffix}`;
  const NS = `flux-${language}-${suffix}`.slice(0, 40);
  const DIR = `clusters/e2e/${NS}`;
  let stack: Stack;
  let output = '';
  const onOutput = (s: string) => {
    output += s;
  };

  beforeAll(async () => {
    createBareRepo(gitSsh, REPO);
    const push = generateKeyPair(tmp, `push-${language}`);
    grantKey(gitSsh, push.publicKey, REPO, 'rw');
    const dir = path.join(tmp, language);
    installExample(language, dir, langs);
    const sdk = language === 'python' ? pythonSdk(tmp, langs.venv) : undefined;
    stack = await stackOf(pulumi, dir, 'e2e', programEnv(pulumi, language, sdk, langs.venv));
    await stack.setAllConfig({
      repositoryUrl: { value: urlFor(gitSsh, REPO) },
      pushPrivateKey: { value: push.privateKey, secret: true },
      knownHosts: { value: gitSsh.knownHosts },
      kubeconfig: { value: fs.readFileSync(kube.kubeconfig, 'utf8'), secret: true },
      path: { value: 'clusters/e2e' },
      namespace: { value: NS },
      version: { value: 'v2.8.5' },
      // a provider setting: where the release manifests come from
      'flux-bootstrap:distribution': { value: distributionDir('v2.8.5') },
    });
    // booleans and lists as structured stack config (`--path`): YAML's typed config takes no text
    for (const key of ['waitReconciliation', 'waitDeployments']) await stack.setConfig(key, { value: 'false' }, true);
    const argv = (verb: string) => [process.execPath, KEY_COMMAND, verb, gitSsh.stateDir, REPO];
    for (const [key, list] of [
      ['addKeyCommand', argv('add')],
      ['removeKeyCommand', argv('remove')],
    ] as const) {
      for (const [i, v] of list.entries()) await stack.setConfig(`${key}[${i}]`, { value: v }, true);
    }
  }, 1_800_000);

  afterAll(async () => {
    try {
      await stack?.destroy();
    } catch {
      /* the destroy test failed: leave nothing behind if possible */
    }
  });

  test('up from nothing: one commit with the three files, Flux applied, the stored state small', async () => {
    const r = await stack.up({ onOutput });
    expect(r.summary.result).toBe('succeeded');
    expect(commits(REPO)).toBe(1);
    expect(r.outputs.commit.value).toBe(head(REPO));
    expect(git(REPO, ['ls-tree', '-r', '--name-only', 'refs/heads/main']).split('\n')).toEqual([
      `${DIR}/gotk-components.yaml`,
      `${DIR}/gotk-sync.yaml`,
      `${DIR}/kustomization.yaml`,
    ]);
    expect(
      (await conn.getOrUndefined<KubeObject>(`/apis/apps/v1/namespaces/${NS}/deployments/source-controller`))?.metadata.labels?.[
        'app.kubernetes.io/version'
      ],
    ).toBe('v2.8.5');
    expect(output).not.toContain('BEGIN OPENSSH PRIVATE KEY');
    const sizes = await stateSizes(stack);
    console.log(`${language}: stored state per resource (characters): ${JSON.stringify(sizes)}`);
    // the component and its five package resources: no dynamic resource, no serialized provider
    expect(Object.keys(sizes).sort()).toEqual(
      ['Bootstrap', 'ControllerInstall', 'ControllerPreinstall', 'DeployKey', 'Repository', 'SyncManifests'].map(
        (k) => `flux-bootstrap:index:${k}`,
      ),
    );
  }, 900_000);

  test('a no-change preview: nothing to do, no git session, no cluster write', async () => {
    const before = head(REPO);
    const c = await cost(REPO, NS, () => stack.preview({ onOutput }));
    expect(Object.keys(c.value.changeSummary)).toEqual(['same']);
    expect(c.gitSessions).toBe(0);
    expect(c.apiWrites).toBe(0);
    expect(c.versionsAfter).toBe(c.versionsBefore);
    expect(head(REPO)).toBe(before);
  }, 600_000);

  test('preview --diff after a version bump names the one file that changes, per file', async () => {
    await stack.setAllConfig({ version: { value: 'v2.9.3' }, 'flux-bootstrap:distribution': { value: distributionDir('v2.9.3') } });
    const before = head(REPO);
    const p = await stack.preview({ diff: true, color: 'never' });
    expect(p.changeSummary).toMatchObject({ update: 2 });
    expect(p.stdout).toMatch(/~ .*gotk-components\.yaml/);
    expect(p.stdout).not.toMatch(/~ .*gotk-sync\.yaml/);
    // nothing reads as removed (the plugin's per-file entries once printed `- files: {all three}`);
    // without colour, or the marks would hide behind escape codes and nothing here could fail
    expect(p.stdout).not.toMatch(/^\s*- /m);
    expect(head(REPO)).toBe(before);
    const r = await stack.up();
    expect(r.summary.resourceChanges).toMatchObject({ update: 2 });
    expect(commits(REPO)).toBe(2);
    expect(git(REPO, ['diff', '--name-only', before, head(REPO)])).toBe(`${DIR}/gotk-components.yaml`);
  }, 900_000);

  test('destroy removes the files in one commit and Flux from the cluster', async () => {
    const r = await stack.destroy();
    expect(r.summary.result).toBe('succeeded');
    expect(commits(REPO)).toBe(3);
    expect(git(REPO, ['ls-tree', '-r', '--name-only', 'refs/heads/main'])).toBe('');
    expect(await conn.getOrUndefined(`/apis/apps/v1/namespaces/${NS}/deployments/source-controller`)).toBeUndefined();
  }, 900_000);
});

describe('pulumi import of a bootstrap made with plain git (YAML)', () => {
  const REPO = `plugin/import-${suffix}`;
  const NS = `flux-import-${suffix}`.slice(0, 40);
  const EXTRA = '["image-reflector-controller","image-automation-controller"]';
  // the plain recipe renames every "flux-system" of flux's files, the Secret's name included
  let stack: Stack;
  let rest: KubeRest;

  const program = (url: string, commit: string) => `${yamlProgramHead('flux-bootstrap-import', [
    'deployPrivateKey: { type: string, secret: true }',
    'deployPublicKey: { type: string }',
    'knownHosts: { type: string }',
  ])}resources:
  repository:
    type: flux-bootstrap:index:Repository
    properties: { host: git, url: "${url}" }
    options: { import: "git:${url}" }
  manifests:
    type: flux-bootstrap:index:SyncManifests
    properties: { url: "${url}", path: clusters/harness, namespace: ${NS}, secretName: ${NS}, version: v2.9.3, componentsExtra: ${EXTRA}, keepFilesOnDestroy: true }
    options:
      import: '${url}#main:clusters/harness/${NS}?version=v2.9.3&secretName=${NS}&componentsExtra=${EXTRA}&keepFilesOnDestroy=true'
  install:
    type: flux-bootstrap:index:ControllerInstall
    properties:
      url: "${url}"
      path: clusters/harness
      namespace: ${NS}
      secretName: ${NS}
      version: v2.9.3
      componentsExtra: ${EXTRA}
      # quoted: braces end a plain value inside a flow mapping
      credentials: { privateKey: "\${deployPrivateKey}", publicKey: "\${deployPublicKey}", knownHosts: "\${knownHosts}" }
      commit: \${manifests.commit}
      wait: { reconciliation: false, deployments: false }
    options:
      import: '${NS}?version=v2.9.3&secretName=${NS}&url=${encodeURIComponent(url)}&path=clusters/harness&componentsExtra=${EXTRA}&commit=${commit}&wait={"reconciliation":false,"deployments":false}'
`;

  beforeAll(async () => {
    rest = new KubeRest(kube);
    const made = await plainGitBootstrap({ rest, gitSsh, workDir: path.join(tmp, 'plain'), repo: REPO, namespace: NS });
    const dir = path.join(tmp, 'import');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), program(made.url, made.commit));
    stack = await stackOf(pulumi, dir, 'import', programEnv(pulumi, 'yaml'));
    await stack.setAllConfig({
      deployPrivateKey: { value: made.deployKey.privateKey, secret: true },
      deployPublicKey: { value: made.deployKey.publicKey.split(/\s+/).slice(0, 2).join(' ') },
      knownHosts: { value: gitSsh.knownHosts },
      'flux-bootstrap:distribution': { value: distributionDir('v2.9.3') },
      'flux-bootstrap:gitAuth': {
        value: JSON.stringify({ privateKey: fs.readFileSync(path.join(tmp, 'plain', 'admin'), 'utf8'), knownHosts: gitSsh.knownHosts }),
        secret: true,
      },
      'flux-bootstrap:cluster': { value: JSON.stringify({ kubeconfig: fs.readFileSync(kube.kubeconfig, 'utf8') }), secret: true },
    });
  }, 1_800_000);

  afterAll(async () => {
    await removePlainBootstrap(rest, NS).catch(() => undefined);
  });

  test('up imports the three resources without a commit or a cluster write; the preview after it is clean and free', async () => {
    const before = head(REPO);
    const imported = await cost(REPO, NS, () => stack.up());
    expect(imported.value.summary.resourceChanges).toEqual({ create: 1, import: 3 });
    expect(head(REPO)).toBe(before);
    expect(imported.apiWrites).toBe(0);
    expect(imported.versionsAfter).toBe(imported.versionsBefore);
    const c = await cost(REPO, NS, () => stack.preview());
    expect(Object.keys(c.value.changeSummary)).toEqual(['same']);
    expect(c.gitSessions).toBe(0);
    expect(c.apiWrites).toBe(0);
    expect(c.versionsAfter).toBe(c.versionsBefore);
    console.log(`import: stored state per resource (characters): ${JSON.stringify(await stateSizes(stack))}`);
  }, 900_000);

  test('destroy keeps the repository and the files (keepFilesOnDestroy), and uninstalls the imported Flux', async () => {
    const before = head(REPO);
    await stack.destroy();
    expect(head(REPO)).toBe(before);
    expect(await conn.getOrUndefined(`/apis/apps/v1/namespaces/${NS}/deployments/source-controller`)).toBeUndefined();
  }, 600_000);
});
