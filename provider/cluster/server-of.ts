// The API server a ConnectionSpec names, read without connecting (and without loading
// client-node): so a preview can tell that `cluster` now points at another cluster, which is a
// replacement, from a change of credentials for the same one, which is an update. The YAML
// parser is loaded on first use: a preview that finds `cluster` unchanged parses nothing.
import * as fs from 'node:fs';
import { Secret } from '../secret';
import type { ConnectionSpec } from './connection-spec';

interface KubeConfigFile {
  'current-context'?: string;
  contexts?: { name?: string; context?: { cluster?: string } }[];
  clusters?: { name?: string; cluster?: { server?: string } }[];
}

function normalise(server: string): string {
  return server.replace(/\/+$/, '');
}

/** The server of the kubeconfig's context (default current-context), or undefined. */
export function serverOfKubeconfig(text: string, context?: string): string | undefined {
  let doc: KubeConfigFile;
  try {
    doc = (require('yaml') as typeof import('yaml')).parse(text) as KubeConfigFile;
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const name = context ?? doc['current-context'];
  const clusterName = doc.contexts?.find((c) => c?.name === name)?.context?.cluster;
  const server = doc.clusters?.find((c) => c?.name === clusterName)?.cluster?.server;
  return typeof server === 'string' && server ? normalise(server) : undefined;
}

/** The API server URL `spec` connects to; undefined when it cannot be told without connecting
 *  (a kubeconfig file that is not there yet, content that does not parse). */
export function serverOf(spec: ConnectionSpec | undefined): string | undefined {
  if (!spec) return undefined;
  if (spec.host) return normalise(spec.host);
  if (spec.kubeconfig !== undefined) return serverOfKubeconfig(Secret.unwrap(spec.kubeconfig), spec.context);
  if (spec.kubeconfigPath) {
    try {
      return serverOfKubeconfig(fs.readFileSync(spec.kubeconfigPath, 'utf8'), spec.context);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
