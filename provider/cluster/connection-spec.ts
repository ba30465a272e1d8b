// How a cluster is named: a kubeconfig (file or content, optional context) or inline fields.
// Turned into the options of client-node's KubeConfig, which then does auth (tokens, client
// certificates, exec plugins) the way kubectl does.
import { Secret } from '../secret';
import { ClusterError } from './errors';

export type SecretInput = string | Secret<string>;

/** client.authentication.k8s.io exec plugin, as in a kubeconfig's `users[].user.exec`. */
export interface ExecConfig {
  command: string;
  args?: string[];
  /** extra environment for the plugin */
  env?: Record<string, string> | { name: string; value: string }[];
  /** default client.authentication.k8s.io/v1 */
  apiVersion?: string;
}

export interface ConnectionSpec {
  /** path of a kubeconfig file */
  kubeconfigPath?: string;
  /** kubeconfig content (YAML or JSON), e.g. a Pulumi k8s.Provider's kubeconfig output as is */
  kubeconfig?: SecretInput;
  /** context of the kubeconfig; default its current-context */
  context?: string;
  /** API server URL, e.g. https://10.0.0.1:6443 (inline connection) */
  host?: string;
  /** PEM of the CA that signed the API server's certificate */
  caPem?: string;
  clientCertPem?: string;
  clientKeyPem?: SecretInput;
  token?: SecretInput;
  exec?: ExecConfig;
  /** skip TLS verification of the API server; never the default */
  insecure?: boolean;
  /** TLS server name when it differs from the host */
  tlsServerName?: string;
  /** HTTP(S) or SOCKS proxy for the API server */
  proxyUrl?: string;
}

/** What KubeConfig.loadFromOptions takes (client-node's Cluster/User/Context shapes). */
export interface KubeConfigOptions {
  clusters: { name: string; server: string; caData?: string; skipTLSVerify: boolean; tlsServerName?: string; proxyUrl?: string }[];
  users: { name: string; token?: string; certData?: string; keyData?: string; exec?: unknown }[];
  contexts: { name: string; cluster: string; user: string }[];
  currentContext: string;
}

const INLINE = 'flux-bootstrap';

function b64(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}

/** Which of the three ways the spec uses; exactly one is allowed. */
export function connectionKind(spec: ConnectionSpec): 'kubeconfigPath' | 'kubeconfig' | 'inline' {
  const given = [
    spec.kubeconfigPath ? 'kubeconfigPath' : undefined,
    spec.kubeconfig !== undefined && Secret.unwrap(spec.kubeconfig) !== '' ? 'kubeconfig' : undefined,
    spec.host ? 'host' : undefined,
  ].filter((k): k is string => k !== undefined);
  if (given.length === 0) {
    throw new ClusterError(
      'no Kubernetes cluster given',
      'set one of kubeconfigPath, kubeconfig (content) or host (with caPem and token, client certificate or exec)',
    );
  }
  if (given.length > 1) {
    throw new ClusterError(
      `the cluster is given more than one way (${given.join(', ')})`,
      'keep exactly one of kubeconfigPath, kubeconfig or host',
    );
  }
  return given[0] === 'host' ? 'inline' : (given[0] as 'kubeconfigPath' | 'kubeconfig');
}

/** Inline fields as a one-context kubeconfig. Pure, so it is unit-tested without a cluster. */
export function inlineKubeConfig(spec: ConnectionSpec): KubeConfigOptions {
  const host = spec.host ?? '';
  if (!/^https?:\/\/[^/]/.test(host)) {
    throw new ClusterError(`host ${JSON.stringify(host)} is not an http(s) URL`, 'use e.g. https://10.0.0.1:6443');
  }
  if (spec.context) {
    throw new ClusterError('context only applies to a kubeconfig', 'drop context, or give kubeconfigPath/kubeconfig');
  }
  if ((spec.clientCertPem === undefined) !== (spec.clientKeyPem === undefined)) {
    throw new ClusterError('clientCertPem and clientKeyPem must be given together', 'set both, or neither');
  }
  const user: KubeConfigOptions['users'][number] = { name: INLINE };
  if (spec.token !== undefined) user.token = Secret.unwrap(spec.token);
  if (spec.clientCertPem !== undefined) user.certData = b64(spec.clientCertPem);
  if (spec.clientKeyPem !== undefined) user.keyData = b64(Secret.unwrap(spec.clientKeyPem));
  if (spec.exec) {
    const env = Array.isArray(spec.exec.env)
      ? spec.exec.env
      : Object.entries(spec.exec.env ?? {}).map(([name, value]) => ({ name, value }));
    user.exec = {
      apiVersion: spec.exec.apiVersion ?? 'client.authentication.k8s.io/v1',
      command: spec.exec.command,
      args: spec.exec.args ?? [],
      env,
      interactiveMode: 'Never',
    };
  }
  const cluster: KubeConfigOptions['clusters'][number] = {
    name: INLINE,
    server: host.replace(/\/+$/, ''),
    skipTLSVerify: spec.insecure === true,
  };
  if (spec.caPem !== undefined) cluster.caData = b64(spec.caPem);
  if (spec.tlsServerName) cluster.tlsServerName = spec.tlsServerName;
  if (spec.proxyUrl) cluster.proxyUrl = spec.proxyUrl;
  return {
    clusters: [cluster],
    users: [user],
    contexts: [{ name: INLINE, cluster: INLINE, user: INLINE }],
    currentContext: INLINE,
  };
}
