// What the repository side needs and gives, whichever host it is on. The three files are one
// commit each (the providers write through the hosts' file APIs), chained with depends_on so
// they land in flux bootstrap's order and never race for the branch head.
import type { Construct } from 'constructs';
import type { CdkLibrary } from './library';
import type { RepositoryProps } from './props';

export interface RepositoryInputs {
  /** the user's CDK library (library.ts) */
  cdk: CdkLibrary;
  scope: Construct;
  /** Terraform provider alias base, unique in the stack */
  alias: string;
  repo: RepositoryProps;
  branch: string;
  /** repository path -> content, in commit order (components, sync, kustomization) */
  files: [string, string][];
  /** commit message per file path */
  messages: Record<string, string>;
  author: { name: string; email: string };
  publicKey: string;
  readOnly: boolean;
  title: string;
  /** known_hosts host entry, "host" or "[host]:port" */
  knownHostsName: string;
}
