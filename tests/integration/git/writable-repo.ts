// A fresh repository on the harness sshd that accepts blob-less fetches, with a deploy key that
// may push to it: what the SyncManifests tests write to through the resource itself.
import { randomBytes } from 'node:crypto';
import { generateDeployKey } from '../../../provider/keys';
import { createBareRepo, enableAccessLog, grantKey, revokeKey, urlFor, type GitSshInfo } from '../../harness/git-ssh';
import { allowFilter } from './bare-repo';

export interface WritableRepo {
  name: string;
  /** the bare repository on the server's disk */
  dir: string;
  url: string;
  /** SyncManifests' `auth` input */
  auth: { privateKey: string; knownHosts: string };
  /** takes the key's access away again */
  revoke: () => void;
}

export function writableRepo(info: GitSshInfo, prefix: string): WritableRepo {
  enableAccessLog(info);
  const name = `${prefix}-${randomBytes(4).toString('hex')}/fleet`;
  const dir = createBareRepo(info, name);
  allowFilter(dir);
  const key = generateDeployKey();
  grantKey(info, key.publicKey, name, 'rw');
  return {
    name,
    dir,
    url: urlFor(info, name),
    auth: { privateKey: key.privateKeyPem, knownHosts: info.knownHosts },
    revoke: () => revokeKey(info, key.publicKey),
  };
}

/** A user's own kustomization.yaml for flux-system: Flux's two files and a patch of the
 *  source-controller's arguments, as the SyncManifests tests commit it beside ours. */
export const PATCHED_KUSTOMIZATION =
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-components.yaml\n- gotk-sync.yaml\n' +
  'patches:\n- patch: |\n    - op: add\n      path: /spec/template/spec/containers/0/args/-\n      value: --concurrent=8\n  target:\n    kind: Deployment\n    name: source-controller\n';
