// What `flux bootstrap git` does, done by hand with plain git and plain server-side apply, for
// proving the controller half of the flow without the provider: the real files flux bootstrap
// v2.9.3 committed (flux-cli-reference.ts: the copy in ../shared, or the real CLI's), pushed to a
// harness repository, a deploy key granted read-only on the harness sshd, the flux-system
// secret, and the components and sync objects applied.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireGoldenReference } from './flux-cli-reference';
import { gitEnv, gitOk } from './git-client';
import {
  createBareRepo,
  generateKeyPair,
  gitSshCommand,
  grantKey,
  urlFor,
  writeKnownHosts,
  type GitSshInfo,
  type KeyPair,
} from './git-ssh';
import { parseObjects, type KubeObj, type KubeRest } from './kube-rest';

export interface PlainBootstrap {
  url: string;
  branch: string;
  /** commit pushed, and the revision Flux reports for it: `<branch>@sha1:<commit>` */
  commit: string;
  revision: string;
  namespace: string;
  /** the path of the cluster in the repository */
  clusterPath: string;
  /** a working clone (rw key) for further commits */
  clone: string;
  gitEnv: NodeJS.ProcessEnv;
  deployKey: KeyPair;
  applied: KubeObj[];
}

/** The three reference files, renamed to `namespace` and pointed at `url`/`branch`/`clusterPath`. */
export function referenceFiles(namespace: string, url: string, branch: string, clusterPath: string): Record<string, string> {
  const reference = requireGoldenReference();
  const rename = (s: string) => s.replace(/flux-system/g, namespace);
  const sync = rename(reference['gotk-sync.yaml'])
    .replace(/url: .*/, `url: ${url}`)
    .replace(/branch: .*/, `branch: ${branch}`)
    .replace(/path: .*/, `path: ./${clusterPath}`);
  return {
    'gotk-components.yaml': rename(reference['gotk-components.yaml']),
    'gotk-sync.yaml': sync,
    'kustomization.yaml': reference['kustomization.yaml'],
  };
}

/** Writes files (repo-relative path -> content), commits and pushes; returns the new head. */
export async function commitAndPush(
  b: Pick<PlainBootstrap, 'clone' | 'gitEnv' | 'branch'>,
  files: Record<string, string | null>,
  message: string,
): Promise<string> {
  const opts = { cwd: b.clone, env: b.gitEnv };
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(b.clone, rel);
    if (content === null) {
      await gitOk(['rm', '-q', '--', rel], opts);
      continue;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    await gitOk(['add', '--', rel], opts);
  }
  await gitOk(['commit', '-q', '-m', message], opts);
  await gitOk(['push', '-q', 'origin', `HEAD:refs/heads/${b.branch}`], opts);
  return (await gitOk(['rev-parse', 'HEAD'], opts)).trim();
}

export async function plainGitBootstrap(opts: {
  rest: KubeRest;
  gitSsh: GitSshInfo;
  workDir: string;
  repo: string;
  namespace: string;
  branch?: string;
  clusterPath?: string;
  extraFiles?: Record<string, string>;
}): Promise<PlainBootstrap> {
  const { rest, gitSsh, workDir, repo, namespace } = opts;
  const branch = opts.branch ?? 'main';
  const clusterPath = opts.clusterPath ?? 'clusters/harness';
  fs.mkdirSync(workDir, { recursive: true });
  createBareRepo(gitSsh, repo, branch);
  const url = urlFor(gitSsh, repo);
  const knownHosts = writeKnownHosts(gitSsh, path.join(workDir, 'known_hosts'));
  const admin = generateKeyPair(workDir, 'admin', 'ed25519');
  grantKey(gitSsh, admin.publicKey, repo, 'rw');
  // flux bootstrap's default deploy key: ecdsa p384, read-only
  const deployKey = generateKeyPair(workDir, 'deploy', 'ecdsa');
  grantKey(gitSsh, deployKey.publicKey, repo, 'ro');

  const env = gitEnv(path.join(workDir, 'home'), { GIT_SSH_COMMAND: gitSshCommand(admin.privateKeyFile, knownHosts) });
  const clone = path.join(workDir, 'clone');
  await gitOk(['init', '-q', `--initial-branch=${branch}`, clone], { env });
  await gitOk(['remote', 'add', 'origin', url], { cwd: clone, env });
  const b = { clone, gitEnv: env, branch };
  const files = referenceFiles(namespace, url, branch, clusterPath);
  const inRepo: Record<string, string> = { ...opts.extraFiles };
  for (const [f, c] of Object.entries(files)) inRepo[`${clusterPath}/${namespace}/${f}`] = c;
  const commit = await commitAndPush(b, inRepo, 'Add Flux v2.9.3 component manifests and sync manifests');

  // what flux bootstrap applies: components, the source secret, then the sync objects
  const components = parseObjects(files['gotk-components.yaml']);
  const secret: KubeObj = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: namespace, namespace },
    stringData: {
      identity: deployKey.privateKey,
      'identity.pub': deployKey.publicKey.split(/\s+/).slice(0, 2).join(' '),
      known_hosts: gitSsh.knownHosts,
    },
  };
  const sync = parseObjects(files['gotk-sync.yaml']);
  const applied = await rest.applyAll([...components, secret, ...sync], 'flux');
  return { url, branch, commit, revision: `${branch}@sha1:${commit}`, namespace, clusterPath, clone, gitEnv: env, deployKey, applied };
}

/** Takes a plain bootstrap out of the cluster without pruning what it deployed: suspend the
 *  Kustomization (its finalizer then skips garbage collection), delete it and the GitRepository,
 *  strip their finalizers (the controllers may stop before they would), delete the namespace
 *  and the cluster-scoped RBAC named after it. The CRDs stay (other bootstraps may use them). */
export async function removePlainBootstrap(rest: KubeRest, namespace: string): Promise<void> {
  const flux = [
    `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${namespace}/kustomizations/${namespace}`,
    `/apis/source.toolkit.fluxcd.io/v1/namespaces/${namespace}/gitrepositories/${namespace}`,
  ];
  await rest.mergePatch(flux[0], { spec: { suspend: true } }).catch(() => undefined);
  for (const p of flux) await rest.delete(p).catch(() => undefined);
  // once deleted, nothing can add a finalizer back
  for (const p of flux) await rest.mergePatch(p, { metadata: { finalizers: null } }).catch(() => undefined);
  await rest.delete(`/api/v1/namespaces/${namespace}`);
  const selector = encodeURIComponent(`app.kubernetes.io/instance=${namespace}`);
  for (const kind of ['clusterroles', 'clusterrolebindings']) {
    const list = await rest.get(`/apis/rbac.authorization.k8s.io/v1/${kind}?labelSelector=${selector}`);
    for (const item of list?.items ?? []) await rest.delete(`/apis/rbac.authorization.k8s.io/v1/${kind}/${item.metadata.name}`);
  }
  await rest.waitFor(
    `namespace ${namespace} gone`,
    async () => ((await rest.get(`/api/v1/namespaces/${namespace}`)) === null ? true : undefined),
    120_000,
    500,
  );
}
