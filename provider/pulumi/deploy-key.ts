// DeployKey: the SSH key Flux pulls with, registered on the Git host, with the host's known_hosts.
import * as pulumi from '@pulumi/pulumi';
import type { HostArgs } from './repository';
import { withSecretInputs, withSecretOutputs } from './options';
import { DynamicStubResource } from './dynamic-resource';
import { unregisteredKeyWarning } from '../resources/key-registration-warning';

export interface DeployKeyArgs extends HostArgs {
  /** default flux's title `<namespace>-<branch>-<secretName>-<path>`; see deployKeyTitle() */
  title?: pulumi.Input<string>;
  /** default true: Flux only reads */
  readOnly?: pulumi.Input<boolean>;
  /** generated key type: "ed25519" (default), "ecdsa" or "rsa" */
  algorithm?: pulumi.Input<'ed25519' | 'ecdsa' | 'rsa'>;
  /** ecdsa curve, default "p384" */
  curve?: pulumi.Input<'p256' | 'p384' | 'p521'>;
  /** rsa size, default 4096 */
  bits?: pulumi.Input<number>;
  /** your own key instead of a generated one (PEM or OpenSSH; stored encrypted) */
  privateKey?: pulumi.Input<string>;
  passphrase?: pulumi.Input<string>;
  /** the host's known_hosts; default scanned from the sync URL's host at create */
  knownHosts?: pulumi.Input<string>;
  /** the URL Flux pulls from (default the host's ssh URL); its host is scanned */
  syncUrl?: pulumi.Input<string>;
  /** any new value (a date, a counter) replaces the key; the new one is registered first */
  rotation?: pulumi.Input<string | number>;
}

/** What a DeployKey outputs: the Node class and the package resource (provider/plugin/package-resources.ts) alike. */
export interface DeployKeyOutputProperties {
  /** `ssh-ed25519 AAAA...`, as Flux's identity.pub */
  readonly publicKey: pulumi.Output<string>;
  /** `SHA256:...`, as ssh-keygen -l prints it */
  readonly fingerprint: pulumi.Output<string>;
  /** secret */
  readonly privateKey: pulumi.Output<string>;
  readonly knownHosts: pulumi.Output<string>;
  /** the host's id of the registered key */
  readonly keyId: pulumi.Output<string>;
  readonly registeredTitle: pulumi.Output<string>;
  /** true when nothing was registered (plain git without addKeyCommand) */
  readonly manual: pulumi.Output<boolean>;
  /** what the last refresh found on the host: the key deleted there, or its access changed */
  readonly drift: pulumi.Output<string[]>;
}

// the class takes its output properties from the interface above (declaration merging)
export interface DeployKey extends DeployKeyOutputProperties {}
export class DeployKey extends DynamicStubResource {
  constructor(name: string, args: DeployKeyArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      publicKey: undefined,
      fingerprint: undefined,
      privateKey: args.privateKey,
      knownHosts: args.knownHosts,
      keyId: undefined,
      registeredTitle: undefined,
      manual: undefined,
      drift: undefined,
    };
    super(
      'deploy-key',
      'DeployKey',
      name,
      withSecretInputs({ ...args, ...outputs }, ['privateKey', 'passphrase', 'token']),
      withSecretOutputs(opts, ['privateKey', 'passphrase', 'token']),
    );
    const keyWarning = unregisteredKeyWarning(args.host, args.addKeyCommand);
    if (keyWarning) void pulumi.log.warn(keyWarning, this);
  }
}
