// `node pin-to-mirror-command.js <cdk.tf.json>...`: pinToMirror as a command, for a CDKTF app
// run by the real `cdktf`/`cdktn` CLI (cdktf.json `"app": "node main.ts && node <this> ..."`),
// so the CLI's own init/plan/apply find the provider versions the offline mirror holds.
// Reads the opentofu service's info from FLUX_BOOTSTRAP_HARNESS.
import { pinToMirror, type OpenTofuInfo } from './opentofu';
import { harnessInfo } from './state';

if (require.main === module) {
  const info = harnessInfo<OpenTofuInfo>('opentofu');
  for (const file of process.argv.slice(2)) pinToMirror(info, file);
}
