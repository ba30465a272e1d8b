// What an import by id is given and gives back: shared by import-inputs.ts, which dispatches by
// kind, and import-install.ts, which it loads lazily (so neither imports the other's types).
export interface ImportSecrets {
  token?: string;
  /** ControllerInstall: the cluster to read */
  cluster?: Record<string, unknown>;
  auth?: Record<string, unknown>;
  distribution?: string;
  distributionDigest?: string;
}

export interface Imported {
  id: string;
  props: Record<string, unknown>;
  inputs: Record<string, unknown>;
}
