// Builds Go programs from a local source tree (a tarball of module sources) instead of the
// module proxy: for modules the proxy here does not serve, like Pulumi's current language
// hosts (../shared/anchors). The module's go.mod is edited with `go mod edit` (e.g. its
// replaces into the monorepo dropped, published versions required), then built with
// -mod=mod, so the go.sum is completed from the proxy. Cached and locked like goBuild.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, progress, withCacheLock } from './cache';
import { built, go, heartbeat, type GoBuildResult, type GoProgram } from './go-build';

export interface LocalGoBuildSpec {
  /** cache key: ~/.cache/flux-bootstrap/<name>-<version> */
  name: string;
  version: string;
  /** a .tar.gz holding the module's sources */
  tarball: string;
  /** the module's directory inside the tarball */
  moduleDir: string;
  /** `go mod edit` flags applied to the module's go.mod before the build */
  modEdits: string[];
  /** `pkg` is relative to the module's directory ('.' for its root) */
  programs: GoProgram[];
  ldflags?: string;
  /** compile with the optimizer (default false, as goBuild: `-gcflags=all=-N -l`) */
  optimize?: boolean;
  /** copies further files of the module (e.g. scripts a binary looks for beside itself) */
  afterBuild?: (ctx: { moduleDir: string; outDir: string }) => void;
}

function env(): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };
}

/** Builds (or reuses) the programs; synchronous, like goBuild. */
export function goBuildLocal(spec: LocalGoBuildSpec): GoBuildResult {
  const dir = cacheDir(spec.name, spec.version);
  const hit = built(dir, spec);
  if (hit) return hit;
  return withCacheLock(dir, () => {
    const again = built(dir, spec);
    if (again) return again;
    const started = Date.now();
    progress(`building ${spec.name} ${spec.version} from ${spec.tarball} (cold build, minutes)`);
    const work = `${dir}.work`;
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    execFileSync('tar', ['xzf', spec.tarball, '-C', work]);
    const moduleDir = path.join(work, spec.moduleDir);
    go(['mod', 'edit', ...spec.modEdits], moduleDir, env());
    const outDir = `${dir}.partial`;
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(outDir, 'bin'), { recursive: true });
    for (const p of spec.programs) {
      const t = Date.now();
      const args = ['build', '-trimpath', '-o', path.join(outDir, 'bin', p.out)];
      if (spec.ldflags) args.push('-ldflags', spec.ldflags);
      if (!spec.optimize) args.push('-gcflags=all=-N -l');
      args.push(p.pkg);
      const beat = heartbeat(`${spec.name} ${spec.version}: still compiling ${p.out}`);
      try {
        go(args, moduleDir, env());
      } finally {
        beat.kill();
      }
      progress(`built ${p.out} in ${Math.round((Date.now() - t) / 1000)} s`);
    }
    spec.afterBuild?.({ moduleDir, outDir });
    fs.copyFileSync(path.join(moduleDir, 'go.mod'), path.join(outDir, 'go.mod'));
    fs.writeFileSync(path.join(outDir, '.complete'), new Date().toISOString() + '\n');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(outDir, dir);
    fs.rmSync(work, { recursive: true, force: true });
    progress(`${spec.name} ${spec.version} ready in ${Math.round((Date.now() - started) / 1000)} s`);
    return built(dir, spec)!;
  });
}
