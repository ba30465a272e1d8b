// The provider Pulumi stores in every dynamic resource's state (`__provider`): the text of a
// CommonJS module whose `handler()` returns a provider whose methods require the real
// implementation by package name at run time. The state stays small (no engine code), and a
// fixed engine reaches existing stacks, because delete and refresh run this stored text, not the
// code of the day.
//
// The text is written here, not produced by `pulumi.runtime.serializeFunction` as
// `pulumi.dynamic.Resource` does: that walks closures through the V8 inspector, about 0.6 s for
// the first resource of a program and 50 ms for each later one, at every preview, and its output
// was 2.5 KB per resource, stored twice (inputs and outputs).
import * as path from 'node:path';
import type * as pulumi from '@pulumi/pulumi';

export type ImplKind =
  | 'repository'
  | 'deploy-key'
  | 'sync-manifests'
  | 'controller-install'
  | 'oci-sync-manifests'
  | 'controller-preinstall'
  | 'operator-install'
  | 'flux-instance'
  | 'instance-manifests';

/** Package name the stub requires by: resolved from the Pulumi program's directory. */
export const PACKAGE_NAME = 'flux-bootstrap';

/**
 * The module the stub requires. Stacks written by releases before 0.2 stored
 * `dist/provider/pulumi/impl/<kind>.js`, which package.json's `exports` maps to the same file.
 */
export function implModuleName(kind: ImplKind): string {
  return `${PACKAGE_NAME}/dist/provider/resources/${kind}.js`;
}

/**
 * The provider the stored text builds. Its compiled source becomes that text, so it must stay
 * self-contained: only its parameters, `require` and `process` (the dynamic provider host's)
 * inside, nothing from this module's scope. `local` is where the copy that created the resource
 * lives, tried when the name does not resolve from the provider's working directory (a program
 * run from a checkout, or through a Pulumi.yaml `main` elsewhere).
 */
function stubHandler(mod: string, local: string): pulumi.dynamic.ResourceProvider {
  let impl: pulumi.dynamic.ResourceProvider | undefined;
  const load = (): pulumi.dynamic.ResourceProvider => {
    if (impl) return impl;
    try {
      impl = require(mod) as pulumi.dynamic.ResourceProvider;
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (err.code !== 'MODULE_NOT_FOUND' || !String(err.message).includes(mod)) throw e;
      try {
        impl = require(local) as pulumi.dynamic.ResourceProvider;
      } catch {
        throw new Error(
          `${mod} cannot be found from ${process.cwd()}: install flux-bootstrap next to @pulumi/pulumi in the program's node_modules (npm install flux-bootstrap)`,
        );
      }
    }
    return impl;
  };
  return {
    check: (olds, news) => load().check!(olds, news),
    diff: (id, olds, news) => load().diff!(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read!(id, props),
    update: (id, olds, news) => load().update!(id, olds, news),
    delete: (id, props) => load().delete!(id, props),
  };
}

const texts = new Map<ImplKind, string>();

/** The `__provider` text of one kind: the same for every resource of it in a process. */
export function stubText(kind: ImplKind): string {
  let text = texts.get(kind);
  if (text === undefined) {
    const local = path.join(__dirname, '..', 'resources', `${kind}.js`);
    // without indentation: it is stored twice per resource (no line of the source spans lines)
    const source = stubHandler.toString().replace(/^ +/gm, '');
    text = `exports.handler = () => (${source})(${JSON.stringify(implModuleName(kind))}, ${JSON.stringify(local)});\n`;
    texts.set(kind, text);
  }
  return text;
}
