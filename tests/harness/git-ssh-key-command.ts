// The harness sshd's deploy-key registration, as a command a plain-git bootstrap runs
// (`addKeyCommand` / `removeKeyCommand` of the `git` host, the way a gitolite admin tool
// would be used):
//   node git-ssh-key-command.js add <git-ssh stateDir> <repo>     public key on stdin,
//        access in FLUX_BOOTSTRAP_KEY_ACCESS (ro|rw); prints the key id. A key registered
//        under the same title (FLUX_BOOTSTRAP_KEY_TITLE) is replaced, as a gitolite keydir
//        file of that name, or GitHub's deploy key of that title, would be
//   node git-ssh-key-command.js remove <git-ssh stateDir> <repo>  key id in FLUX_BOOTSTRAP_KEY_ID
// Both are idempotent. The grant takes effect on the next SSH login.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { grantKey, keyId, revokeKey } from './git-ssh';

/** argv for addKeyCommand / removeKeyCommand, run with the current Node. */
export function keyCommand(verb: 'add' | 'remove', stateDir: string, repo: string): string[] {
  return [process.execPath, path.join(__dirname, 'git-ssh-key-command.js'), verb, stateDir, repo];
}

function main(argv: string[]): number {
  const [verb, stateDir, repo] = argv;
  if (verb === 'add' && stateDir && repo) {
    const key = fs.readFileSync(0, 'utf8').trim();
    grantKey(
      { stateDir },
      key,
      repo,
      process.env.FLUX_BOOTSTRAP_KEY_ACCESS === 'rw' ? 'rw' : 'ro',
      process.env.FLUX_BOOTSTRAP_KEY_TITLE || undefined,
    );
    process.stdout.write(`${keyId(key)}\n`);
    return 0;
  }
  if (verb === 'remove' && stateDir && repo) {
    const id = process.env.FLUX_BOOTSTRAP_KEY_ID ?? '';
    // an id that is not a key (a title, from a registration without output) revokes nothing
    if (/^(ssh-|ecdsa-|sk-)\S+ \S+/.test(id)) revokeKey({ stateDir }, id, repo);
    return 0;
  }
  process.stderr.write('usage: git-ssh-key-command add|remove <git-ssh stateDir> <repo>\n');
  return 2;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
