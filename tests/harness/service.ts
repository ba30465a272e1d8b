// The contract every harness service (etcd + kube-apiserver, sshd, git http, gitea, pulumi,
// flux controllers, ...) implements, so jest global setup, the `harness` CLI and the demo
// start and stop them the same way.
export interface Service<Info = Record<string, unknown>> {
  /** short, unique: 'kube', 'git-ssh', 'git-http', 'pulumi', ... */
  name: string;
  /** services that must be up first (their info is passed in `deps`) */
  needs?: string[];
  /** Builds what is missing (cached) and starts the service under workDir.
   *  Returns JSON-serialisable facts tests need (ports, paths, kubeconfig, known_hosts...). */
  start(workDir: string, deps: Record<string, unknown>): Promise<Info>;
  /** Stops exactly what start() started (by recorded pid). Must tolerate partial starts. */
  stop(workDir: string): Promise<void>;
  /** Builds what start() would build (cached), starting nothing: the test runner builds the
   *  end-to-end layer's tools in the background while the other layers run (harness CLI
   *  `build`). Services that only start programs built elsewhere have none. */
  build?(): void;
}
