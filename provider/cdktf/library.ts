// The CDK library a construct tree is built on: `cdktf` (HashiCorp's CDK for Terraform, archived
// at 0.21) or `cdktn` (CDK Terrain, its maintained fork). Each has its own classes, and a stack
// synthesizes only elements of its own library (a cdktf resource in a cdktn stack fails with
// "_resetResolveDiscoveredProviderFeatureUsage is not a function"), so the constructs make every
// Terraform element from the library of the user's App. Both are optional peer dependencies:
// only the one a project installed is ever loaded.
import type * as Cdktf from 'cdktf';
import type { IConstruct } from 'constructs';

/** cdktf's module; cdktn's has the same API (and more), so one type serves both. */
export type CdkLibrary = typeof Cdktf;
export type LibraryName = 'cdktf' | 'cdktn';

const NAMES: LibraryName[] = ['cdktn', 'cdktf'];
const loaded = new Map<LibraryName, CdkLibrary | null>();

function isMissing(e: unknown, name: string): boolean {
  // only the library itself missing; a broken install of it (a missing dependency) is an error
  const err = e as NodeJS.ErrnoException;
  return err?.code === 'MODULE_NOT_FOUND' && err.message.includes(`'${name}'`);
}

/** The library if the project installed it. */
export function tryLoad(name: LibraryName): CdkLibrary | undefined {
  if (!loaded.has(name)) {
    try {
      loaded.set(name, require(name) as CdkLibrary);
    } catch (e) {
      if (!isMissing(e, name)) throw e;
      loaded.set(name, null);
    }
  }
  return loaded.get(name) ?? undefined;
}

/** Every library the project installed (usually one). */
export function installedLibraries(): CdkLibrary[] {
  return NAMES.map(tryLoad).filter((l): l is CdkLibrary => l !== undefined);
}

/** Copies the program loaded that resolution from here does not give: another path (npm link,
 *  a nested install), or an ES module import resolved apart from a CommonJS require hook. */
function otherLoadedCopies(known: CdkLibrary[]): CdkLibrary[] {
  const found: CdkLibrary[] = [];
  for (const [file, m] of Object.entries(require.cache ?? {})) {
    if (!/[\\/]node_modules[\\/](cdktf|cdktn)[\\/]lib[\\/]index\.js$/.test(file)) continue;
    const lib = m?.exports as CdkLibrary | undefined;
    if (typeof lib?.App === 'function' && !known.includes(lib) && !found.includes(lib)) found.push(lib);
  }
  return found;
}

/** The library whose App or TerraformStack holds `scope`. */
export function libraryOf(scope: IConstruct): CdkLibrary {
  const libraries = NAMES.map((name) => ({ name, lib: tryLoad(name) }));
  const byName = libraries.flatMap((l) => (l.lib ? [l.lib] : []));
  const candidates = [...byName, ...otherLoadedCopies(byName)];
  for (const s of scope.node.scopes) {
    for (const lib of candidates) if (s instanceof lib.App || s instanceof lib.TerraformStack) return lib;
  }
  const found = libraries.filter((l) => l.lib);
  const where = (name: string) => {
    try {
      return require.resolve(`${name}/package.json`);
    } catch {
      return 'not installed';
    }
  };
  throw new Error(
    found.length === 0
      ? `flux-bootstrap: ${scope.node.path} needs the cdktf or the cdktn library, and neither is installed. ` +
          'Fix: npm install cdktn (CDK Terrain) or cdktf (see docs/cdktf.md#installing).'
      : `flux-bootstrap: ${scope.node.path} is not inside an App or TerraformStack of the ${found.map((l) => l.name).join(' or ')} ` +
          `that flux-bootstrap loads (${found.map((l) => `${l.name}: ${where(l.name)}`).join(', ')}). ` +
          'Fix: build the stack with that library, and keep one copy of it in the project (npm ls cdktf cdktn).',
  );
}
