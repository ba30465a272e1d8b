// A CDK for Terraform or CDK Terrain user, from the release alone: in an empty project with an
// empty HOME, docs/cdktf.md's install block, its cdktf.json and its plain-Git main.ts (the
// cluster side, FluxCluster, with a key the user made), then the CLI's deploy, a second deploy,
// and destroy against the harness's API server. OpenTofu and its offline provider mirror stand
// in for Terraform and the registry; no Flux controller runs, so nothing is waited for and no
// Git server is asked for anything.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CdktfCliInfo } from '../../harness/cdktf-cli';
import { distributionDir, projectRoot } from '../../harness/flux-reference';
import type { KubeInfo } from '../../harness/kube';
import { uniqueName } from '../../harness/kube-client';
import { KubeRest } from '../../harness/kube-rest';
import type { OpenTofuInfo } from '../../harness/opentofu';
import type { ReleaseInfo } from '../../harness/release';
import { docBlock } from './doc-blocks';
import { linksInto, removeTree, userProject, type UserProject } from './user-project';

export type Cli = 'cdktf' | 'cdktn';

/** The docs' blocks a user follows: the install block's id, and the id of each file they write. */
export interface DocPath {
  cli: Cli;
  install: string;
  programs: { 'main.ts': string; 'cdktf.json': string };
}

/** Seconds since `t`, one decimal. */
const since = (t: number) => Math.round((Date.now() - t) / 100) / 10;

/** After `init`, both CLIs run `tofu providers lock`, which asks the registry itself: offline,
 *  skip it (init wrote the lock file from the mirror). docs/cdktf.md, the command-line tools. */
const OFFLINE = '--skip-provider-lock';

export class CdkProject {
  readonly project: UserProject;
  private readonly bin: string;
  readonly namespace = uniqueName('flux-install').slice(0, 40);
  readonly rest: KubeRest;
  /** seconds each step took, for the report */
  readonly times: Record<string, number> = {};

  readonly cli: Cli;

  constructor(
    private readonly docs: DocPath,
    release: ReleaseInfo,
    clis: CdktfCliInfo,
    private readonly tofu: OpenTofuInfo,
    private readonly kube: KubeInfo,
  ) {
    // the harness's CLI where `npm install -g cdktf-cli` (or cdktn-cli) puts it: a link in a
    // global bin directory on the user's PATH
    const cli = (this.cli = docs.cli);
    const bin = (this.bin = fs.mkdtempSync(path.join(os.tmpdir(), `install-${cli}-cli-`)));
    fs.symlinkSync(cli === 'cdktf' ? clis.cdktf : clis.cdktn, path.join(bin, cli));
    this.project = userProject(`${cli}-plain-git`, release, { binDir: bin, nodeBinDir: path.dirname(process.execPath) });
    this.rest = new KubeRest(kube);
  }

  /** Deletes the project and the CLI's bin directory (see UserProject.remove). */
  remove(): void {
    this.project.remove();
    removeTree(this.bin);
  }

  /** The docs' install block, cdktf.json and main.ts; returns the project's installed packages. */
  async install(): Promise<string[]> {
    const t = Date.now();
    await this.project.run(docBlock('install', this.docs.install));
    this.times['npm install'] = since(t);
    const dir = this.project.dir;
    fs.writeFileSync(path.join(dir, 'main.ts'), docBlock('program', this.docs.programs['main.ts']));
    const config = JSON.parse(docBlock('program', this.docs.programs['cdktf.json'])) as { app: string };
    // The one step a user does not take: the bindings pin the providers' releases the prebuilt
    // packages pinned (kubernetes 2.38.0), which the public registry serves and the offline
    // mirror does not; after synth, this moves the pins to the mirror's versions.
    const pin = path.join(path.dirname(dir), 'pin-to-mirror.cjs');
    fs.writeFileSync(pin, PIN_SCRIPT);
    config.app = `${config.app} && node ${pin} cdktf.out/stacks/cluster/cdk.tf.json`;
    fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify(config, null, 2) + '\n');
    expect(linksInto(dir, projectRoot())).toEqual([]);
    return fs
      .readdirSync(path.join(dir, 'node_modules'))
      .flatMap((e) => (e.startsWith('@') ? fs.readdirSync(path.join(dir, 'node_modules', e)).map((x) => `${e}/${x}`) : [e]));
  }

  /** What the user does before the first deploy: a key pair registered (elsewhere) as the
   *  read-only deploy key, and the server's host key in known_hosts. */
  async makeKey(): Promise<void> {
    if (fs.existsSync(path.join(this.project.dir, 'identity'))) return;
    await this.project.run(
      [
        "ssh-keygen -q -t ed25519 -N '' -C flux -f identity",
        // what `ssh-keyscan git.example.com` prints for a server with this host key
        "ssh-keygen -q -t ed25519 -N '' -f host-key",
        'echo "git.example.com $(cut -d" " -f1,2 host-key.pub)" > known_hosts',
      ].join('\n'),
    );
  }

  private env(): Record<string, string> {
    return {
      GIT_URL: 'ssh://git@git.example.com/fleet.git',
      KUBECONFIG: this.kube.kubeconfig,
      FLUX_NAMESPACE: this.namespace,
      FLUX_PATH: 'clusters/install',
      FLUX_DISTRIBUTION: distributionDir('v2.9.3'),
      FLUX_WAIT: 'false',
      // the harness's OpenTofu as the Terraform binary, installing providers from its mirror
      TERRAFORM_BINARY_NAME: this.tofu.tofu,
      TF_CLI_CONFIG_FILE: this.tofu.cliConfig,
      PIN_TO_MIRROR: JSON.stringify(this.tofu.providers),
      CHECKPOINT_DISABLE: '1',
      CI: '1',
    };
  }

  /** `<cli> <command>` with the private key as the sensitive variable; its output. */
  async run(step: string, command: string): Promise<string> {
    const t = Date.now();
    const out = await this.project.run(`TF_VAR_deploy_key="$(cat identity)" ${this.cli} ${command}`, { env: this.env() });
    this.times[step] = since(t);
    return out.replace(/\x1b\[[0-9;]*m/g, ''); // the CLIs color OpenTofu's output
  }

  deploy(step: string): Promise<string> {
    return this.run(step, `deploy --auto-approve ${OFFLINE}`);
  }

  destroy(): Promise<string> {
    return this.run('destroy', `destroy --auto-approve ${OFFLINE}`);
  }

  async phase(): Promise<string | undefined> {
    const ns = (await this.rest.get(`/api/v1/namespaces/${this.namespace}`)) as { status?: { phase?: string } } | null;
    return ns?.status?.phase;
  }

  /** resourceVersions of objects the deploy wrote: unchanged when a deploy writes nothing. */
  async versions(): Promise<Record<string, string>> {
    const paths = [
      `/api/v1/namespaces/${this.namespace}/secrets/flux-system`,
      `/apis/apps/v1/namespaces/${this.namespace}/deployments/source-controller`,
      `/apis/source.toolkit.fluxcd.io/v1/namespaces/${this.namespace}/gitrepositories/${this.namespace}`,
      `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${this.namespace}/kustomizations/${this.namespace}`,
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gitrepositories.source.toolkit.fluxcd.io',
    ];
    const out: Record<string, string> = {};
    for (const p of paths) out[p] = ((await this.rest.get(p)) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    return out;
  }

  /** A team's own ConfigMap in a namespace of its own: not flux-bootstrap's to delete. */
  async othersObject(): Promise<string> {
    const ns = `${this.namespace}-team`;
    await this.rest.applyAll(
      [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { owner: 'team' } },
      ],
      'team',
    );
    return `/api/v1/namespaces/${ns}/configmaps/settings`;
  }
}

/** Moves required_providers' versions to the mirror's ({"kubernetes": "3.2.1", ...} in PIN_TO_MIRROR). */
const PIN_SCRIPT = `'use strict';
const fs = require('node:fs');
const mirror = JSON.parse(process.env.PIN_TO_MIRROR);
for (const file of process.argv.slice(2)) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const [type, req] of Object.entries(doc.terraform.required_providers || {})) if (mirror[type]) req.version = mirror[type];
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
}
`;

/** The three steps after the install both files take, as jest tests. */
export function deployTests(p: () => CdkProject): void {
  let others = '';

  test('deploy: Flux in the cluster with the key the user made', async () => {
    await p().makeKey();
    const out = await p().deploy('deploy');
    expect(out).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
    expect(await p().phase()).toBe('Active');
    const secret = (await p().rest.get(`/api/v1/namespaces/${p().namespace}/secrets/flux-system`)) as { data: Record<string, string> };
    const identity = fs.readFileSync(path.join(p().project.dir, 'identity'), 'utf8');
    expect(Buffer.from(secret.data.identity, 'base64').toString()).toBe(identity.trim());
    // the program writes the files the pipeline commits
    const sync = path.join(p().project.dir, 'cdktf.out', 'repository', 'clusters', 'install', p().namespace, 'gotk-sync.yaml');
    expect(fs.readFileSync(sync, 'utf8')).toContain('url: ssh://git@git.example.com/fleet.git');
  }, 900_000);

  test('a second deploy finds no changes and writes nothing to the cluster', async () => {
    const before = await p().versions();
    const out = await p().deploy('second deploy');
    expect(out).toMatch(/No changes/);
    expect(out).not.toMatch(/Apply complete! Resources: [1-9]/);
    expect(await p().versions()).toEqual(before);
  }, 900_000);

  test("destroy uninstalls Flux and leaves another team's ConfigMap", async () => {
    others = await p().othersObject();
    const out = await p().destroy();
    expect(out).toMatch(/Destroy complete! Resources: \d+ destroyed/);
    expect(await p().phase()).not.toBe('Active');
    // no custom resource of Flux is left elsewhere, so its CRDs go too (deleted in the background)
    const crd = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gitrepositories.source.toolkit.fluxcd.io';
    await p().rest.waitFor('the CRDs deleted', async () => ((await p().rest.get(crd)) === null ? true : undefined), 60_000);
    expect(((await p().rest.get(others)) as { data: Record<string, string> }).data).toEqual({ owner: 'team' });
    console.log(`${p().cli}: ${JSON.stringify(p().times)} (seconds)`);
  }, 900_000);
}
