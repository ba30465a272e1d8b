// The provider plugin's Go SDK module from the committed schema, made as a release makes it
// (scripts/release/sdks.ts: go.mod, go.sum, go/fluxbootstrap), for Go programs of this checkout
// (examples/pulumi-go reaches it with `replace github.com/flux-bootstrap/flux-bootstrap/sdk`).
import * as path from 'node:path';
import { goSdk } from '../../scripts/release/sdks';
import { projectRoot } from './flux-reference';

/** Writes the module into <parent>/sdk; returns that directory. */
export function goSdkModule(parent: string): string {
  return goSdk(path.join(projectRoot(), 'provider', 'plugin', 'schema.json'), parent);
}

// `node dist/tests/harness/pulumi-go-sdk.js <dir>` writes <dir>/sdk (`.` in the checkout: the
// module's home, where examples/pulumi-go's go.mod points).
if (require.main === module) {
  const [dir] = process.argv.slice(2);
  if (!dir) throw new Error('usage: pulumi-go-sdk.js <dir> (writes <dir>/sdk)');
  process.stdout.write(`${goSdkModule(path.resolve(dir))}\n`);
}
