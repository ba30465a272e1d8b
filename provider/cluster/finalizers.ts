// Flux custom resources carry finalizers that only their controller removes. Before the
// controller or the CRD goes away, suspend them (so a controller still running acts no more)
// and strip the finalizers (so deletion does not hang and nothing they manage is pruned).
import type { Connection } from './connection';
import { resourcePath, type ResourceInfo } from './discovery';
import { isNotFound } from './errors';
import { isRecord, type KubeObject } from './objects';
import { mapBounded } from './pool';
import { text } from '../text';

export interface CustomResourceOptions {
  /** set spec.suspend: true where the CRD's schema has it */
  suspend: boolean;
  /** remove metadata.finalizers; default true */
  stripFinalizers?: boolean;
  dryRun?: boolean;
  concurrency?: number;
  onProgress?: (message: string) => void;
}

export interface CustomResourceReport {
  suspended: string[];
  finalizersRemoved: string[];
}

/** The served version the server stores in, else the first served one. */
export function preferredResource(crd: KubeObject): ResourceInfo | undefined {
  const spec = crd.spec;
  if (!isRecord(spec) || !isRecord(spec.names) || !Array.isArray(spec.versions)) return undefined;
  const versions = spec.versions as { name: string; served?: boolean; storage?: boolean }[];
  const version = versions.find((v) => v.storage && v.served !== false) ?? versions.find((v) => v.served !== false);
  const names = spec.names as { kind?: string; plural?: string };
  if (!version || !names.kind || !names.plural) return undefined;
  return {
    apiVersion: `${text(spec.group)}/${version.name}`,
    kind: names.kind,
    plural: names.plural,
    namespaced: spec.scope !== 'Cluster',
  };
}

/** Whether the CRD's schema (of any version) has spec.suspend. */
export function hasSuspendField(crd: KubeObject): boolean {
  const versions = (crd.spec as { versions?: unknown[] } | undefined)?.versions ?? [];
  return versions.some((v) => {
    const schema = (v as { schema?: { openAPIV3Schema?: { properties?: { spec?: { properties?: Record<string, unknown> } } } } })?.schema;
    return schema?.openAPIV3Schema?.properties?.spec?.properties?.suspend !== undefined;
  });
}

/** Suspends and/or strips finalizers of every object of `crd`, in all namespaces. */
export async function stripCustomResourceFinalizers(
  conn: Connection,
  crd: KubeObject,
  options: CustomResourceOptions,
): Promise<CustomResourceReport> {
  const report: CustomResourceReport = { suspended: [], finalizersRemoved: [] };
  const info = preferredResource(crd);
  if (!info) return report;
  const list = await conn.getOrUndefined<{ items?: KubeObject[] }>(resourcePath(info), `list ${info.kind}`);
  const suspend = options.suspend && hasSuspendField(crd);
  const strip = options.stripFinalizers !== false;
  const settled = await mapBounded(list?.items ?? [], options.concurrency ?? 8, async (item) => {
    const name = `${info.kind}/${item.metadata.namespace ? `${item.metadata.namespace}/` : ''}${item.metadata.name}`;
    const willSuspend = suspend && (item.spec as { suspend?: boolean } | undefined)?.suspend !== true && !item.metadata.deletionTimestamp;
    const willStrip = strip && (item.metadata.finalizers?.length ?? 0) > 0;
    if (!willSuspend && !willStrip) return;
    const patch: Record<string, unknown> = {};
    if (willSuspend) patch.spec = { suspend: true };
    if (willStrip) patch.metadata = { finalizers: null };
    try {
      await conn.request({
        method: 'PATCH',
        path: resourcePath(info, item.metadata.namespace, item.metadata.name),
        query: { dryRun: options.dryRun ? 'All' : undefined },
        body: patch,
        contentType: 'application/merge-patch+json',
        what: name,
      });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (willSuspend) report.suspended.push(name);
    if (willStrip) report.finalizersRemoved.push(name);
    options.onProgress?.(
      `${name}${willSuspend ? ' suspended' : ''}${willSuspend && willStrip ? ' and' : ''}${willStrip ? ' finalizers removed' : ''}`,
    );
  });
  const failed = settled.find((s) => !s.ok);
  if (failed && !failed.ok) throw failed.error;
  return report;
}
