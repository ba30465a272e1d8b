// desiredState: everything bootstrap must make true, as a pure function of the options and a
// distribution. It is shared by the Pulumi, CDKTF, cluster and CLI layers and does no I/O.
import { createHash } from 'node:crypto';
import { validateBootstrap } from '../schema/validate';
import type { BootstrapOptions, RenderOptions } from '../schema/types';
import { InputError, InputErrors } from './errors';
import type { Distribution } from './distribution/types';
import { componentObjects, componentsHeader, selectedComponents } from './generate/components';
import { marshal } from './generate/goyaml/emitter';
import { COMPONENTS_FILE, KUSTOMIZATION_FILE, SYNC_FILE, checkKustomizationContent, generateKustomization } from './generate/kustomization';
import { kindOf, type KubeObject } from './generate/kustomize/objects';
import { applyUserPatches, type InlinePatch } from './generate/kustomize/user-patches';
import { pullSecretShape, sourceSecretShape, type PullSecretShape, type SourceSecretShape } from './generate/secrets';
import { generateSync, syncObjects } from './generate/sync';
import { generateOciSync, ociSyncObjects, ociSyncOptionsOf } from './generate/oci-sync';
import { isOciUrl } from '../schema/oci-url';

export interface DesiredState {
  /** The concrete Flux release rendered. */
  version: string;
  /** Repository directory of the three files: "<path>/<namespace>". */
  directory: string;
  /** Repository-relative path -> file content. */
  files: Record<string, string>;
  /** Repository-relative path -> git blob id (sha1 of "blob <len>\0<content>"). */
  blobIds: Record<string, string>;
  /** gotk-components and gotk-sync objects with kustomization.yaml patches applied, in apply order. */
  objects: KubeObject[];
  secretShape: { source: SourceSecretShape; imagePull?: PullSecretShape };
  /** 'oci': gitless, Flux pulls the files as an OCI artifact (an OCIRepository) from `url`. */
  sourceKind: 'git' | 'oci';
  /** An SSH deploy key has to be registered for the repository. */
  deployKeyRequired: boolean;
  commitMessages: { components: string; sync: string };
  /** Author of both commits; an empty email is left blank, as flux bootstrap does. */
  commitAuthor: { name: string; email: string };
  /** Things the objects could not reflect, e.g. kustomization.yaml features beyond inline patches. */
  warnings: string[];
}

export function gitBlobId(content: string): string {
  const body = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

/** Namespaces and CRDs first (Flux applies them in a first stage), then everything else. */
export function applyOrder(objects: KubeObject[]): KubeObject[] {
  const first = (o: KubeObject) => kindOf(o) === 'Namespace' || kindOf(o) === 'CustomResourceDefinition';
  return [...objects.filter(first), ...objects.filter((o) => !first(o))];
}

const MODELLED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'patches', 'patchesStrategicMerge', 'patchesJson6902']);

/** The inline patches a kustomization.yaml declares, and warnings for what is not modelled. */
function declaredPatches(opts: RenderOptions): { patches: InlinePatch[]; field: string; warnings: string[] } {
  const k = opts.kustomization;
  if (!k) return { patches: [], field: 'kustomization.patches', warnings: [] };
  if (k.content === undefined) return { patches: k.patches ?? [], field: 'kustomization.patches', warnings: [] };
  const doc = checkKustomizationContent(k.content) as Record<string, unknown>;
  const warnings = Object.keys(doc)
    .filter((f) => !MODELLED_FIELDS.has(f))
    .map((f) => `kustomization.yaml field "${f}" is committed but not reflected in the objects applied at install`);
  const patches: InlinePatch[] = [];
  for (const p of (doc.patches as unknown[]) ?? []) {
    const entry = p as { patch?: unknown; path?: unknown; target?: InlinePatch['target'] };
    if (typeof entry.patch === 'string') patches.push({ patch: entry.patch, target: entry.target });
    else warnings.push(`patch file ${String(entry.path)} is not available to the engine; only inline patches are applied at install`);
  }
  for (const p of (doc.patchesStrategicMerge as unknown[]) ?? []) {
    if (typeof p === 'string' && p.includes('\n')) patches.push({ patch: p });
    else warnings.push(`patchesStrategicMerge file ${String(p)} is not available to the engine`);
  }
  for (const p of (doc.patchesJson6902 as unknown[]) ?? []) {
    const entry = p as { patch?: unknown; target?: InlinePatch['target'] };
    if (typeof entry.patch === 'string') patches.push({ patch: entry.patch, target: entry.target });
  }
  return { patches, field: 'kustomization.content', warnings };
}

function checkVersionMatches(requested: string, dist: Distribution): void {
  if (requested === 'latest' || requested === dist.version) return;
  throw new InputErrors([
    new InputError({
      field: 'version',
      value: requested,
      reason: `does not match the distribution, which is Flux ${dist.version} (${dist.source})`,
      remedy: `use "${dist.version}" or load the manifests of ${requested}`,
    }),
  ]);
}

/** Renders the files, objects and secret shape for validated or raw options. */
export function desiredState(input: unknown, dist: Distribution): DesiredState {
  const opts: BootstrapOptions = validateBootstrap(input);
  checkVersionMatches(opts.version, dist);
  const version = dist.version;
  const directory = [opts.path, opts.namespace].filter((s) => s !== '').join('/');

  const installed = componentObjects(opts, dist);
  const oci = isOciUrl(opts.url) ? ociSyncOptionsOf(opts, version) : undefined;
  const componentsYaml = componentsHeader(version, selectedComponents(opts)) + installed.map((o) => marshal(o)).join('---\n');
  const files: Record<string, string> = {
    [`${directory}/${COMPONENTS_FILE}`]: componentsYaml,
    [`${directory}/${SYNC_FILE}`]: oci ? generateOciSync(oci) : generateSync(opts),
    [`${directory}/${KUSTOMIZATION_FILE}`]: generateKustomization(opts.kustomization),
  };
  const blobIds = Object.fromEntries(Object.entries(files).map(([p, c]) => [p, gitBlobId(c)]));

  const objects = [...installed, ...(oci ? ociSyncObjects(oci) : syncObjects(opts))];
  const { patches, field, warnings } = declaredPatches(opts);
  if (patches.length > 0) applyUserPatches(objects, patches, field);

  const source = sourceSecretShape(opts);
  const imagePull = pullSecretShape(opts);
  const appendix = opts.commitMessageAppendix ? `\n\n${opts.commitMessageAppendix}` : '';
  return {
    version,
    directory,
    files,
    blobIds,
    objects: applyOrder(objects),
    secretShape: imagePull ? { source, imagePull } : { source },
    sourceKind: oci ? 'oci' : 'git',
    deployKeyRequired: source.transport === 'ssh',
    commitMessages: {
      components: `Add Flux ${version} component manifests${appendix}`,
      sync: `Add Flux sync manifests${appendix}`,
    },
    commitAuthor: { name: opts.authorName, email: opts.authorEmail },
    warnings,
  };
}
