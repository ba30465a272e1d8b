// A stand-in for a gitolite-style key registration tool, run by PlainGitHost as addKeyCommand /
// removeKeyCommand: `node grant-key-command.js add|remove <git-ssh stateDir> <repo>`.
// add: public key on stdin, access in FLUX_BOOTSTRAP_KEY_ACCESS; prints the key id.
// remove: the id in FLUX_BOOTSTRAP_KEY_ID (what add printed).
import * as fs from 'node:fs';
import { grantKey, keyId, revokeKey } from '../../harness/git-ssh';

const [verb, stateDir, repo] = process.argv.slice(2);
if (process.env.FAIL_WITH) {
  process.stderr.write(`registration refused: ${process.env.FAIL_WITH}\n`);
  process.exit(3);
}
if (verb === 'add') {
  const key = fs.readFileSync(0, 'utf8').trim();
  grantKey({ stateDir }, key, repo, process.env.FLUX_BOOTSTRAP_KEY_ACCESS === 'rw' ? 'rw' : 'ro');
  process.stdout.write(`${keyId(key)}\n`);
} else if (verb === 'remove') {
  const id = process.env.FLUX_BOOTSTRAP_KEY_ID ?? '';
  if (id) revokeKey({ stateDir }, id, repo);
} else {
  process.stderr.write(`usage: grant-key-command add|remove <stateDir> <repo>\n`);
  process.exit(2);
}
