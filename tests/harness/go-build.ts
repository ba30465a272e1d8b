// Builds Go programs from the Go module proxy through a throwaway wrapper module.
// `go install mod@ver` refuses modules whose go.mod has replace directives, so the wrapper
// requires the module and copies its replaces (local-path replaces are turned into
// published versions by the caller). Results are cached under cacheDir(name, version).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, progress, withCacheLock } from './cache';

export interface GoProgram {
  /** import path of the main package */
  pkg: string;
  /** binary name written to <cache>/bin */
  out: string;
}

export interface GoBuildSpec {
  /** cache key: ~/.cache/flux-bootstrap/<name>-<version> */
  name: string;
  version: string;
  /** the module that holds the programs, and its version (or pseudo-version) */
  module: string;
  moduleVersion: string;
  programs: GoProgram[];
  /** copy the replace/exclude/godebug lines of this module's go.mod (default true) */
  copyDirectives?: boolean;
  /** for a local-path replace `from => ./dir` in the module's go.mod: the published version to
   *  use instead, or null to drop the replace */
  localReplace?: (from: string, localPath: string) => string | null;
  /** more replaces: module => "other@version" or "version" */
  extraReplaces?: Record<string, string>;
  /** further modules to require (module -> version) */
  extraRequires?: Record<string, string>;
  ldflags?: string;
  tags?: string;
  cgo?: boolean;
  /** compile with the optimizer (default false: `-gcflags=all=-N -l`). A third less compile
   *  time on a cold CI machine, for tools whose speed tests do not feel; the API server and
   *  etcd, on every test's path, keep it. */
  optimize?: boolean;
  /** Build from a writable copy of the module, changed by this first (e.g. generated files
   *  its Makefile would write and its module zip lacks); the wrapper replaces the module with
   *  the copy. */
  patchModule?: (srcDir: string) => void;
  /** a directory with the Go files of a main package of our own, built as the wrapper module
   *  itself (import path `fluxbootstrap.local/wrap/<name>`) on top of the module: a small tool
   *  using a library (e.g. Pulumi's SDK generators) */
  mainSources?: string;
  /** environment for every go command, over the defaults (e.g. GOTOOLCHAIN for a module that
   *  asks for a newer Go than the machine's, or GOFIPS140 as the project's own image builds) */
  env?: Record<string, string>;
  /** extra files to copy from the module's directory into the cache dir (e.g. CRDs) */
  afterBuild?: (ctx: { moduleDir: string; outDir: string }) => void;
}

export interface GoBuildResult {
  dir: string;
  bin: Record<string, string>;
}

function goEnv(spec: GoBuildSpec): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=mod',
    CGO_ENABLED: spec.cgo ? '1' : '0',
    ...spec.env,
  };
}

export function go(args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  try {
    return execFileSync('go', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`go ${args.join(' ')} failed in ${cwd}:\n${(err.stderr ?? '').slice(-4000) || err.message}`);
  }
}

/** Replace, exclude and godebug directives of a go.mod, one per line, block syntax flattened. */
export function parseDirectives(gomod: string): { replaces: [string, string][]; others: string[] } {
  const replaces: [string, string][] = [];
  const others: string[] = [];
  let block: string | null = null;
  for (const raw of gomod.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    if (block) {
      if (line === ')') {
        block = null;
        continue;
      }
      if (block === 'replace') {
        const [from, to] = line.split('=>').map((s) => s.trim());
        replaces.push([from, to]);
      } else others.push(`${block} ${line}`);
      continue;
    }
    const m = /^(replace|exclude|godebug)\s*(\()?\s*(.*)$/.exec(line);
    if (!m) continue;
    if (m[2]) {
      block = m[1];
      continue;
    }
    if (m[1] === 'replace') {
      const [from, to] = m[3].split('=>').map((s) => s.trim());
      replaces.push([from, to]);
    } else others.push(`${m[1]} ${m[3]}`);
  }
  return { replaces, others };
}

/** The cache entry when it is complete and holds every program, else null. */
export function built(dir: string, spec: Pick<GoBuildSpec, 'programs'>): GoBuildResult | null {
  const bin = Object.fromEntries(spec.programs.map((p) => [p.out, path.join(dir, 'bin', p.out)]));
  return fs.existsSync(path.join(dir, '.complete')) && Object.values(bin).every((b) => fs.existsSync(b)) ? { dir, bin } : null;
}

function makeWritable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) makeWritable(p);
    else if (e.isFile()) fs.chmodSync(p, 0o644);
  }
}

/** Builds (or reuses) the programs; synchronous so it can run from jest global setup or a CLI. */
export function goBuild(spec: GoBuildSpec): GoBuildResult {
  const dir = cacheDir(spec.name, spec.version);
  const hit = built(dir, spec);
  if (hit) return hit;
  return withCacheLock(dir, () => {
    const again = built(dir, spec);
    if (again) return again;
    const started = Date.now();
    progress(`building ${spec.name} ${spec.version} from ${spec.module}@${spec.moduleVersion} (cold build, minutes)`);
    const env = goEnv(spec);
    const work = `${dir}.work`;
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    const info = JSON.parse(go(['mod', 'download', '-json', `${spec.module}@${spec.moduleVersion}`], work, env)) as {
      GoMod: string;
      Dir: string;
    };
    const lines = [`module ${wrapperModule(spec)}`, '', `go ${goVersion(env)}`, ''];
    lines.push(`require ${spec.module} ${spec.moduleVersion}`);
    for (const [m, v] of Object.entries(spec.extraRequires ?? {})) lines.push(`require ${m} ${v}`);
    if (spec.copyDirectives !== false) {
      const { replaces, others } = parseDirectives(fs.readFileSync(info.GoMod, 'utf8'));
      for (const [from, to] of replaces) {
        const fromMod = from.split(/\s+/)[0];
        if (to.startsWith('.') || to.startsWith('/')) {
          const v = spec.localReplace?.(fromMod, to) ?? null;
          if (v) lines.push(`replace ${fromMod} => ${fromMod} ${v}`);
        } else lines.push(`replace ${from} => ${to}`);
      }
      lines.push(...others.filter((o) => !o.startsWith('godebug')));
      const debug = others.filter((o) => o.startsWith('godebug')).map((o) => o.replace(/^godebug\s+/, ''));
      if (debug.length) lines.push(`godebug (\n\t${debug.join('\n\t')}\n)`);
    }
    if (spec.patchModule) {
      const src = path.join(work, 'src');
      fs.cpSync(info.Dir, src, { recursive: true });
      makeWritable(src); // the module cache is read-only
      spec.patchModule(src);
      lines.push(`replace ${spec.module} => ./src`);
    }
    for (const [m, to] of Object.entries(spec.extraReplaces ?? {})) {
      lines.push(to.includes('@') ? `replace ${m} => ${to.replace('@', ' ')}` : `replace ${m} => ${m} ${to}`);
    }
    fs.writeFileSync(path.join(work, 'go.mod'), lines.join('\n') + '\n');
    if (spec.mainSources) {
      for (const f of fs.readdirSync(spec.mainSources).filter((x) => x.endsWith('.go')))
        fs.copyFileSync(path.join(spec.mainSources, f), path.join(work, f));
      go(['mod', 'tidy'], work, env);
    }
    // Pin the version: a bare `go get PKG` means PKG@upgrade and would move the module to its
    // latest release (etcd server v3.6.16 silently became v3.7.3, next to v3.6.16 replaces).
    for (const p of spec.programs) {
      if (p.pkg === wrapperModule(spec)) continue; // our own main package (mainSources)
      const inModule = p.pkg === spec.module || p.pkg.startsWith(`${spec.module}/`);
      go(['get', '-tool', inModule ? `${p.pkg}@${spec.moduleVersion}` : p.pkg], work, env);
    }
    const resolved = go(['list', '-m', '-f', '{{.Version}}', spec.module], work, env).trim();
    if (resolved !== spec.moduleVersion) {
      throw new Error(`${spec.name}: wrapper resolved ${spec.module}@${resolved}, not ${spec.moduleVersion}`);
    }
    const outDir = `${dir}.partial`;
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(outDir, 'bin'), { recursive: true });
    for (const p of spec.programs) {
      const t = Date.now();
      const args = ['build', '-trimpath', '-o', path.join(outDir, 'bin', p.out)];
      if (spec.ldflags) args.push('-ldflags', spec.ldflags);
      if (!spec.optimize) args.push('-gcflags=all=-N -l');
      if (spec.tags) args.push('-tags', spec.tags);
      args.push(p.pkg);
      const beat = heartbeat(`${spec.name} ${spec.version}: still compiling ${p.out}`);
      try {
        go(args, work, env);
      } finally {
        beat.kill();
      }
      progress(`built ${p.out} in ${Math.round((Date.now() - t) / 1000)} s`);
    }
    spec.afterBuild?.({ moduleDir: info.Dir, outDir });
    fs.writeFileSync(path.join(outDir, 'go.mod'), fs.readFileSync(path.join(work, 'go.mod')));
    fs.writeFileSync(path.join(outDir, '.complete'), new Date().toISOString() + '\n');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(outDir, dir);
    fs.rmSync(work, { recursive: true, force: true });
    progress(`${spec.name} ${spec.version} ready in ${Math.round((Date.now() - started) / 1000)} s`);
    return built(dir, spec)!;
  });
}

/** The wrapper module's import path: where mainSources are built. */
export function wrapperModule(spec: Pick<GoBuildSpec, 'name'>): string {
  return `fluxbootstrap.local/wrap/${spec.name}`;
}

function goVersion(env: NodeJS.ProcessEnv): string {
  const v = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', env }).trim(); // go1.26.8
  return v.replace(/^go/, '');
}

/** goBuild blocks the event loop for minutes, so a tiny separate process says it is alive. */
export function heartbeat(what: string): ChildProcess {
  // It exits by itself once the building process is gone, so a crash leaves nothing behind.
  const script = `const t=Date.now();setInterval(()=>{try{process.kill(${process.pid},0)}catch{process.exit()}},5000);setInterval(()=>process.stderr.write('[harness] ${what.replace(/'/g, '')} ('+Math.round((Date.now()-t)/60000)+' min)\\n'),60000)`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
  child.unref();
  return child;
}
