// Loads @kubernetes/client-node, which is ESM-only since 1.x, from this CommonJS package.
// Node >= 22.12 can require() an ES module, so the plain require works in production.
// Jest runs CommonJS inside a sandbox whose require() refuses ES modules (ERR_REQUIRE_ESM) or
// parses them as scripts (a SyntaxError on `import`); there we borrow Node's own require from
// the main realm. Loading is lazy: the package costs ~1 s.
import type * as ClientNode from '@kubernetes/client-node';
import * as vm from 'node:vm';
import type * as NodeModule from 'node:module';

export type ClientNodeModule = typeof ClientNode;

let loaded: ClientNodeModule | undefined;

export function clientNode(): ClientNodeModule {
  if (loaded) return loaded;
  try {
    loaded = require('@kubernetes/client-node') as ClientNodeModule;
  } catch (err) {
    if (!/ES Module|ERR_REQUIRE_ESM|import statement outside a module/i.test(String((err as Error)?.message ?? err))) throw err;
    const nodeModule = vm.runInThisContext("process.getBuiltinModule('node:module')") as typeof NodeModule;
    loaded = nodeModule.createRequire(__filename)('@kubernetes/client-node') as ClientNodeModule;
  }
  return loaded;
}
