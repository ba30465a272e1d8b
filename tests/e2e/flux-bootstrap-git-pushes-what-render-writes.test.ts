// harness: kube, git-ssh, flux-controllers, flux-cli
// The ground truth: the real `flux bootstrap git` of three releases, against the harness sshd
// and API server with the Flux controllers reconciling, pushes exactly the three files the
// engine renders for the same options, byte for byte. It also pushes exactly what the CLI's
// cheap `--export` commands print, which is what the differential matrix in
// tests/integration/render-matches-flux-cli-across-releases-and-options compares against.
// Releases run oldest first, each in its own namespace: each install applies its CRDs over the
// previous one's, and once a case's files are read its Flux objects are suspended, so that an
// older release's Kustomization does not re-apply its CRDs under a newer one (each stands for a
// cluster of its own).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateComponents, generateKustomization, generateSync, loadDistribution, validateRender } from '../../provider/engine';
import { runFluxUntil } from '../harness/flux-bootstrap-run';
import { bootstrapPushedDir, GOLDEN_CASE, type ReferenceFileName } from '../harness/flux-cli-reference';
import { bootstrapArgs, cliFiles, type CliCase } from '../harness/flux-cli-render';
import type { DifferentialRelease, FluxCliInfo } from '../harness/flux-cli';
import type { FluxControllersInfo } from '../harness/flux-controllers';
import { describeStatus, fluxStatus, gitRepositoryPath, kustomizationPath } from '../harness/flux-status';
import { KubeRest } from '../harness/kube-rest';
import { firstDifference } from '../harness/first-difference';
import { createBareRepo, generateKeyPair, grantKey, repoDir, urlFor, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { harnessInfo } from '../harness/state';

const FILES: ReferenceFileName[] = ['gotk-components.yaml', 'gotk-sync.yaml', 'kustomization.yaml'];

/** One case per release, oldest first, each moving several options off their defaults; the
 *  v2.9.3 one is the golden case (its pushed kustomization.yaml is cached for the unit tests). */
const CASES: Array<[DifferentialRelease, Omit<CliCase, 'version' | 'url'>]> = [
  [
    'v2.7.5',
    {
      namespace: 'flux-v275',
      componentsExtra: ['source-watcher'],
      networkPolicy: false,
      logLevel: 'debug',
      interval: '90s',
      path: './clusters/a/',
      watchAllNamespaces: false,
    },
  ],
  [
    'v2.8.1',
    {
      namespace: 'flux-v281',
      components: ['source-controller', 'kustomize-controller', 'helm-controller'],
      tolerationKeys: ['dedicated'],
      clusterDomain: 'cluster.example',
      secretName: 'git-creds',
      branch: 'fleet/prod',
      registry: 'registry.example.com/fluxcd',
      imagePullSecret: 'regcred',
      registryCredentials: 'robot:t0ken',
      recurseSubmodules: true,
      path: 'clusters/b',
    },
  ],
  ['v2.9.3', { ...GOLDEN_CASE }],
];

let kube: KubeInfo;
let gitSsh: GitSshInfo;
let cli: FluxCliInfo;
let controllers: FluxControllersInfo;
let rest: KubeRest;
let tmp: string;

beforeAll(() => {
  kube = harnessInfo<KubeInfo>('kube');
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  cli = harnessInfo<FluxCliInfo>('flux-cli');
  controllers = harnessInfo<FluxControllersInfo>('flux-controllers');
  rest = new KubeRest(kube);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-bootstrap-git-'));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** What a failed run needs to be understood: the objects' status and kustomize-controller's last lines. */
async function diagnosis(namespace: string): Promise<string> {
  const status = await fluxStatus(rest, namespace).then(
    (s) => `GitRepository: ${describeStatus(s.gitRepository)}\nKustomization: ${describeStatus(s.kustomization)}`,
    (e: Error) => `status unavailable: ${e.message}`,
  );
  const log = fs.readFileSync(controllers.controllers['kustomize-controller'].log, 'utf8').trim().split('\n').slice(-15).join('\n');
  return `${status}\nkustomize-controller log (last lines):\n${log}`;
}

/** The file at `<branch>:<file>` of a harness bare repository. */
function pushed(repo: string, branch: string, file: string): string {
  return execFileSync('git', ['--git-dir', repoDir(gitSsh, repo), 'show', `${branch}:${file}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

describe.each(CASES)('flux bootstrap git %s', (release, options) => {
  const repo = `differential/${release.replace(/\./g, '-')}`;
  const files = {} as Record<ReferenceFileName, string>;
  let c: CliCase;

  beforeAll(async () => {
    const branch = options.branch ?? 'main';
    c = { version: release, ...options, url: urlFor(gitSsh, repo) };
    const dir = path.join(tmp, release);
    fs.mkdirSync(path.join(dir, 'home', '.ssh'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'home', '.ssh', 'known_hosts'), gitSsh.knownHosts + '\n');
    createBareRepo(gitSsh, repo, branch);
    const key = generateKeyPair(dir, 'flux-key', 'ed25519');
    grantKey(gitSsh, key.publicKey, repo, 'rw'); // flux pushes with it; the controllers pull with it
    const args = [
      ...bootstrapArgs(c),
      `--private-key-file=${key.privateKeyFile}`,
      '--silent',
      `--kubeconfig=${kube.kubeconfig}`,
      '--timeout=4m',
    ];
    const namespace = validateRender({ ...c }).namespace;
    const run = await runFluxUntil(
      cli.releases[release]!.bin,
      args,
      { PATH: process.env.PATH, HOME: path.join(dir, 'home') },
      /Kustomization reconciled successfully/,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await diagnosis(namespace)}`);
    });
    for (const p of [kustomizationPath(namespace), gitRepositoryPath(namespace)]) await rest.mergePatch(p, { spec: { suspend: true } });
    process.stderr.write(`flux bootstrap git ${release}: Kustomization reconciled after ${(run.ms / 1000).toFixed(1)} s\n`);
    const opts = validateRender({ ...c });
    const target = `${opts.path ? `${opts.path}/` : ''}${opts.namespace}`;
    for (const f of FILES) files[f] = pushed(repo, branch, `${target}/${f}`);
    if (release === GOLDEN_CASE.version) {
      const cache = bootstrapPushedDir(release);
      fs.mkdirSync(cache, { recursive: true });
      fs.writeFileSync(path.join(cache, 'kustomization.yaml'), files['kustomization.yaml']);
    }
  }, 600_000);

  test('gotk-components.yaml is what the engine renders', async () => {
    const dist = await loadDistribution({ version: release, source: cli.releases[release]!.manifests });
    expect(firstDifference(generateComponents(validateRender({ ...c }), dist), files['gotk-components.yaml'])).toBeNull();
  });

  test('gotk-sync.yaml is what the engine renders', () => {
    expect(firstDifference(generateSync(validateRender({ ...c })), files['gotk-sync.yaml'])).toBeNull();
  });

  test('kustomization.yaml is what the engine renders', () => {
    expect(generateKustomization()).toBe(files['kustomization.yaml']);
  });

  test('the --export commands of the differential matrix print the same two files', () => {
    const exported = cliFiles(cli.releases[release]!.bin, c);
    expect(firstDifference(exported['gotk-components.yaml'], files['gotk-components.yaml'])).toBeNull();
    expect(firstDifference(exported['gotk-sync.yaml'], files['gotk-sync.yaml'])).toBeNull();
  });
});
