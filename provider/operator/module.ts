// The Flux Operator's Go module (github.com/controlplaneio-fluxcd/flux-operator), the one source
// of what OperatorInstall applies (config/: crd, manager, default, its kustomize layout) and of
// the Flux releases the operator carries (config/data/flux/<version>/, what a FluxInstance's
// version range is resolved against). Read from the Go module proxy like any Go module (its zip,
// checked against the module's h1: digest and cached), or from a module directory or zip on
// disk (a `go mod download` of it, an air-gapped copy).
import { promises as fsp } from 'node:fs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultCacheDir } from '../distribution/cache';
import { download } from '../distribution/download';
import { DistributionError } from '../errors';
import { ModuleZip } from './module-zip';

export const OPERATOR_MODULE = 'github.com/controlplaneio-fluxcd/flux-operator';
export const DEFAULT_MODULE_PROXY = 'https://proxy.golang.org';

/** The h1: digests of the operator releases this package was checked with (go.sum's lines). */
export const KNOWN_DIGESTS: Readonly<Record<string, string>> = {
  'v0.59.0': 'h1:jByuiWYtjSJxucGHuz68tV0DeVFz5CYrKQYfxAwE7lE=',
};

export interface OperatorModule {
  /** the operator release, e.g. "v0.59.0" */
  readonly version: string;
  /** where it was read from, for messages */
  readonly source: string;
  /** the Flux releases it carries (config/data/flux/<version>), oldest first */
  readonly releases: readonly string[];
  /** a file's text, by its path in the module (`config/default/kustomization.yaml`) */
  read(file: string): string;
  /** the files directly in a directory of the module, by name, sorted */
  list(dir: string): string[];
}

export interface LoadOperatorOptions {
  version: string;
  /** a GOPROXY-style URL (default https://proxy.golang.org), a module directory, or a module zip */
  source?: string;
  /** the module's h1: digest; default the known one for the version */
  digest?: string;
  /** download cache; default ~/.cache/flux-bootstrap/operator */
  cacheDir?: string;
  fetch?: typeof fetch;
}

const byVersion = (a: string, b: string) => {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
};

function fromDirectory(root: string, version: string): OperatorModule {
  if (!fs.existsSync(path.join(root, 'config', 'default', 'kustomization.yaml')))
    throw new DistributionError(`${root} is not the flux-operator module: config/default/kustomization.yaml is missing`);
  const flux = path.join(root, 'config', 'data', 'flux');
  const releases = fs.existsSync(flux) ? fs.readdirSync(flux).filter((d) => /^v\d+\.\d+\.\d+$/.test(d)) : [];
  return {
    version,
    source: root,
    releases: releases.sort(byVersion),
    read: (file) => fs.readFileSync(path.join(root, file), 'utf8'),
    list: (dir) =>
      fs.statSync(path.join(root, dir), { throwIfNoEntry: false })?.isDirectory()
        ? fs
            .readdirSync(path.join(root, dir), { withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => e.name)
            .sort()
        : [],
  };
}

function fromZip(zip: ModuleZip, version: string): OperatorModule {
  const prefix = `${OPERATOR_MODULE}@${version}/`;
  if (!zip.has(`${prefix}config/default/kustomization.yaml`))
    throw new DistributionError(
      `${zip.source} is not ${OPERATOR_MODULE}@${version}: ${prefix}config/default/kustomization.yaml is missing`,
    );
  const names = zip
    .names()
    .filter((n) => n.startsWith(prefix))
    .map((n) => n.slice(prefix.length));
  const releases = new Set<string>();
  for (const n of names) {
    const m = /^config\/data\/flux\/(v\d+\.\d+\.\d+)\//.exec(n);
    if (m) releases.add(m[1]);
  }
  return {
    version,
    source: zip.source,
    releases: [...releases].sort(byVersion),
    read: (file) => zip.read(prefix + file).toString('utf8'),
    list: (dir) =>
      names
        .filter((n) => n.startsWith(`${dir}/`) && !n.slice(dir.length + 1).includes('/'))
        .map((n) => n.slice(dir.length + 1))
        .sort(),
  };
}

/** The module zip's URL on a GOPROXY-style server. */
export function moduleZipUrl(proxy: string, version: string): string {
  return `${proxy.replace(/\/+$/, '')}/${OPERATOR_MODULE}/@v/${version}.zip`;
}

/** The module zip from the cache, else downloaded from the proxy, its digest checked first. */
async function fromProxy(opts: LoadOperatorOptions, proxy: string): Promise<ModuleZip> {
  const dir = opts.cacheDir ?? path.join(path.dirname(defaultCacheDir()), 'operator');
  const file = path.join(dir, `${OPERATOR_MODULE.replace(/\//g, '_')}@${opts.version}.zip`);
  const expected = opts.digest ?? KNOWN_DIGESTS[opts.version];
  try {
    const cached = new ModuleZip(await fsp.readFile(file), file);
    if (!expected || fs.existsSync(`${file}.${digestName(expected)}`)) return cached;
  } catch {
    /* not cached */
  }
  const url = moduleZipUrl(proxy, opts.version);
  const data = (await download(url, opts.fetch)).data;
  const zip = new ModuleZip(data, url);
  const digest = zip.h1();
  if (expected && digest !== expected)
    throw new DistributionError(`${url} has digest ${digest}, expected ${expected}: the download is not the module go.sum names`);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, data);
  await fsp.rename(tmp, file);
  // the digest it was checked against, beside it: a cache entry without one is downloaded again
  await fsp.writeFile(`${file}.${digestName(digest)}`, `${digest}\n`);
  return zip;
}

const digestName = (h1: string) => `h1-${h1.replace(/^h1:/, '').replace(/[/+=]/g, (c) => ({ '/': '_', '+': '-', '=': '' })[c] ?? '')}`;

const loaded = new Map<string, Promise<OperatorModule>>();

/** The operator module of `version`, read once per process and source. */
export function loadOperatorModule(opts: LoadOperatorOptions): Promise<OperatorModule> {
  const source = opts.source ?? DEFAULT_MODULE_PROXY;
  const key = `${opts.version}\0${source}\0${opts.digest ?? ''}`;
  let found = loaded.get(key);
  if (!found) {
    found = (async () => {
      if (/^https?:\/\//.test(source)) return fromZip(await fromProxy(opts, source), opts.version);
      const stat = await fsp.stat(source).catch(() => undefined);
      if (!stat)
        throw new DistributionError(
          `the operator source ${JSON.stringify(source)} is neither a module directory, a zip nor an http(s) URL`,
        );
      if (stat.isDirectory()) return fromDirectory(source, opts.version);
      const zip = new ModuleZip(await fsp.readFile(source), source);
      if (opts.digest && zip.h1() !== opts.digest) throw new DistributionError(`${source} has digest ${zip.h1()}, expected ${opts.digest}`);
      return fromZip(zip, opts.version);
    })();
    found.catch(() => loaded.delete(key));
    loaded.set(key, found);
  }
  return found;
}
