// The provider object Pulumi serializes into every dynamic resource's state (`__provider`).
// It is a literal whose methods require the real implementation by package name at run time:
// the state stays small (no engine code captured by value), and a fixed engine reaches existing
// stacks, because delete and refresh run this stored text, not the code of the day.
// Nothing here may capture a client, a class or a module object: only the module name string.
import * as path from 'node:path';
import type * as pulumi from '@pulumi/pulumi';

export type ImplKind = 'repository' | 'deploy-key' | 'sync-manifests' | 'controller-install' | 'oci-sync-manifests' | 'controller-preinstall';

/** Package name the stub requires by: resolved from the Pulumi program's directory. */
export const PACKAGE_NAME = 'flux-bootstrap';

export function implModuleName(kind: ImplKind): string {
  return `${PACKAGE_NAME}/dist/provider/pulumi/impl/${kind}.js`;
}

export function stubProvider(kind: ImplKind): pulumi.dynamic.ResourceProvider {
  const mod = implModuleName(kind);
  // Where this copy lives, tried only when the name does not resolve from the provider's working
  // directory (a program run from a checkout, or through a Pulumi.yaml `main` elsewhere).
  const local = path.join(__dirname, 'impl', `${kind}.js`);
  // Serialized by value: keep it tiny and self-contained (only strings and `require` inside).
  const load = () => {
    try {
      return require(mod);
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (err.code !== 'MODULE_NOT_FOUND' || !String(err.message).includes(mod)) throw e;
      try {
        return require(local);
      } catch {
        throw new Error(`${mod} cannot be found from ${process.cwd()}: install flux-bootstrap next to @pulumi/pulumi in the program's node_modules (npm install flux-bootstrap)`);
      }
    }
  };
  return {
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}
