// The entry Pulumi's Node.js language host starts when it runs this package from source: a
// program's `pulumi package add <checkout or git URL>` finds PulumiPlugin.yaml at the package's
// root, and the host's run-plugin requires the package's `main` (this module) and calls the
// function it exports, with the engine's address in process.argv. `exports["."]` stays the
// library (the engine), which `main` does not affect.
import { main } from './main';

export = function runPlugin(): Promise<void> {
  return main(process.argv.slice(2));
};
