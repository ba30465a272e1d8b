// Service `opentofu`: the real OpenTofu CLI and the providers the CDKTF construct uses, built
// from the Go module proxy (opentofu-build.ts) and installed offline from a local
// filesystem_mirror through a CLI config given in TF_CLI_CONFIG_FILE. Nothing runs; start()
// builds what is missing and writes the CLI config. Helpers run `tofu` in a directory.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { progress } from './cache';
import { buildProviderMirror, buildTofu, MIRRORED_PROVIDERS, OPENTOFU_VERSION } from './opentofu-build';
import type { Service } from './service';

export interface OpenTofuInfo {
  tofu: string;
  version: string;
  /** the filesystem mirror root (registry.opentofu.org/<ns>/<type>/<version>/linux_amd64/...) */
  mirror: string;
  /** CLI config: providers only from the mirror */
  cliConfig: string;
  /** provider type -> the version the mirror offers */
  providers: Record<string, string>;
}

export const opentofuService: Service<OpenTofuInfo> = {
  name: 'opentofu',
  start(workDir) {
    const t = Date.now();
    const tofu = buildTofu();
    const mirror = buildProviderMirror();
    progress(`opentofu and ${MIRRORED_PROVIDERS.length} providers ready in ${Math.round((Date.now() - t) / 1000)} s`);
    const cliConfig = path.join(workDir, 'tofurc');
    fs.writeFileSync(
      cliConfig,
      [
        'provider_installation {',
        '  filesystem_mirror {',
        `    path    = ${JSON.stringify(mirror)}`,
        '    include = ["registry.opentofu.org/*/*"]',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    return Promise.resolve({
      tofu,
      version: OPENTOFU_VERSION,
      mirror,
      cliConfig,
      providers: Object.fromEntries(MIRRORED_PROVIDERS.map((p) => [p.type, p.version])),
    });
  },
  async stop() {
    /* nothing runs */
  },
};

/** Environment for `tofu`: the mirror-only CLI config, no prompts, no checkpoint calls. */
export function tofuEnv(info: OpenTofuInfo, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, TF_CLI_CONFIG_FILE: info.cliConfig, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1', ...extra };
}

export interface TofuResult {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

export function runTofu(info: OpenTofuInfo, args: string[], cwd: string, extra: Record<string, string> = {}): TofuResult {
  const t = Date.now();
  const r = spawnSync(info.tofu, args, { cwd, env: tofuEnv(info, extra), encoding: 'utf8', maxBuffer: 256 << 20, timeout: 9 * 60 * 1000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', seconds: (Date.now() - t) / 1000 };
}

/** runTofu that throws with the output tail when tofu fails (or exits with another code). */
export function tofuOk(info: OpenTofuInfo, args: string[], cwd: string, okCodes = [0], extra: Record<string, string> = {}): TofuResult {
  const r = runTofu(info, args, cwd, extra);
  if (!okCodes.includes(r.code))
    throw new Error(`tofu ${args.join(' ')} exited ${r.code} in ${cwd}:\n${(r.stdout + r.stderr).slice(-6000)}`);
  return r;
}

/**
 * cdktf 0.21 pins each provider to the exact version its binding was generated from (github
 * 6.9.0, kubernetes 2.38.0, tls 4.1.0). The proxy reachable here serves other versions (see
 * opentofu-build.ts), so the synthesized pins are moved to the versions the mirror holds.
 * Returns what was changed, "type: from -> to".
 */
export function pinToMirror(info: OpenTofuInfo, cdkTfJson: string): string[] {
  const doc = JSON.parse(fs.readFileSync(cdkTfJson, 'utf8')) as {
    terraform?: { required_providers?: Record<string, { version?: string }> };
  };
  const changed: string[] = [];
  for (const [type, req] of Object.entries(doc.terraform?.required_providers ?? {})) {
    const mirrored = info.providers[type];
    if (mirrored && req.version !== mirrored) {
      changed.push(`${type}: ${req.version} -> ${mirrored}`);
      req.version = mirrored;
    }
  }
  fs.writeFileSync(cdkTfJson, JSON.stringify(doc, null, 2));
  return changed;
}

/** Addresses of the resources `tofu plan` would change (empty: no changes). */
export function plannedChanges(info: OpenTofuInfo, cwd: string): string[] {
  const r = tofuOk(info, ['plan', '-json', '-no-color', '-detailed-exitcode'], cwd, [0, 2]);
  const out: string[] = [];
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m = JSON.parse(line) as { type?: string; change?: { resource?: { addr?: string }; action?: string } };
    if (m.type === 'planned_change' && m.change?.resource?.addr) out.push(m.change.resource.addr);
  }
  return out;
}
