// A new user's machine, as far as a test can make one: an empty project directory, an empty
// HOME, and on PATH only Node.js, the Pulumi CLI with its language hosts (as Pulumi's own
// installer lays them out) and the machine's python3, go and git. Nothing of the checkout is
// reachable but dist/release, handed over as $RELEASE, the directory a user downloads the
// release into. Commands run through bash, as a user types them from the docs.
//
// Package managers keep their download caches (npm, pip, Go modules and builds) where the
// machine has them: a cache changes no result, and refilling it would only cost time.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PulumiInfo } from '../../harness/pulumi';
import type { ReleaseInfo } from '../../harness/release';

export interface UserProject {
  /** the (empty at first) project directory */
  dir: string;
  home: string;
  env: Record<string, string>;
  /** runs `script` with bash in `cwd` (default: the project), failing on the first error; its output */
  run(script: string, opts?: { cwd?: string; timeoutMs?: number; env?: Record<string, string> }): Promise<string>;
  /** deletes the project, its HOME and state (over 1 GB for the source route: every run left one
   *  in TMPDIR until a CI machine's disk was full); FLUX_BOOTSTRAP_KEEP_HARNESS=1 keeps them */
  remove(): void;
}

/** `rm -rf`, also through the read-only directories Go and npm leave behind. */
export function removeTree(dir: string): void {
  if (process.env.FLUX_BOOTSTRAP_KEEP_HARNESS === '1' || !fs.existsSync(dir)) return;
  execFileSync('chmod', ['-R', 'u+w', dir]);
  fs.rmSync(dir, { recursive: true, force: true });
}

const goEnv = (name: string) => {
  try {
    return execFileSync('go', ['env', name], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

/** Machine-wide settings a user's shell has (certificates, proxies, registries' mirrors): kept. */
const KEPT =
  /^(SSL_|NODE_EXTRA_CA_CERTS$|REQUESTS_CA_BUNDLE$|CURL_CA_BUNDLE$|GIT_SSL_CAINFO$|PIP_(?!CACHE)|https?_proxy$|no_proxy$|HTTPS?_PROXY$|NO_PROXY$|LANG$|TERM$|TMPDIR$|GOPROXY$|GONOSUMDB$|GOSUMDB$)/;

/** `pulumi`: where the CLI (or, for CDKTF users, their CDK CLI) and Node.js are, first on PATH. */
export function userProject(name: string, release: ReleaseInfo, pulumi: Pick<PulumiInfo, 'binDir' | 'nodeBinDir'>): UserProject {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `install-${name}-`));
  const dir = path.join(root, 'project');
  const home = path.join(root, 'home');
  fs.mkdirSync(dir);
  fs.mkdirSync(home);
  const machineHome = os.homedir();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && KEPT.test(k)) env[k] = v;
  Object.assign(env, {
    HOME: home,
    // Pulumi finds its home through the account's passwd entry, not $HOME: name it, as a new
    // user's would be
    PULUMI_HOME: path.join(home, '.pulumi'),
    PATH: [pulumi.binDir, pulumi.nodeBinDir, '/usr/local/go/bin', '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter),
    RELEASE: release.dir,
    // a file backend and a passphrase for secrets, as a user without Pulumi Cloud sets them
    PULUMI_BACKEND_URL: `file://${path.join(root, 'state')}`,
    PULUMI_CONFIG_PASSPHRASE: 'install-test',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    npm_config_cache: path.join(machineHome, '.npm'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    PIP_CACHE_DIR: path.join(machineHome, '.cache', 'pip'),
    GOMODCACHE: goEnv('GOMODCACHE'),
    GOCACHE: goEnv('GOCACHE'),
    GOTOOLCHAIN: 'local',
  });
  fs.mkdirSync(path.join(root, 'state'));
  const run = (script: string, opts: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: opts.cwd ?? dir,
        env: { ...env, ...opts.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 15 * 60 * 1000);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        else reject(new Error(`exit ${code} of:\n${script}\n--- output (last 6000 characters) ---\n${out.slice(-6000)}`));
      });
    });
  return { dir, home, env, run, remove: () => removeTree(root) };
}

/** Symbolic links under `dir` that lead into `checkout`: a user's project has none. */
export function linksInto(dir: string, checkout: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) {
        const target = path.resolve(path.dirname(p), fs.readlinkSync(p));
        if (target === checkout || target.startsWith(checkout + path.sep)) found.push(p);
      } else if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return found;
}
