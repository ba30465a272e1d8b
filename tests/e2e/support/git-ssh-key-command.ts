// addKeyCommand / removeKeyCommand of a plain git host, for the harness's sshd: what gitolite or
// an internal tool would be on a real server. `node git-ssh-key-command.js add|remove <stateDir> <repo>`
// - add: the public key on stdin, FLUX_BOOTSTRAP_KEY_ACCESS ro|rw; prints the key id
// - remove: FLUX_BOOTSTRAP_KEY_ID (the id add printed); succeeds when the key is already gone
import * as fs from 'node:fs';
import { grantKey, keyId, listGrants, revokeKey } from '../../harness/git-ssh';

function main(argv: string[]): void {
  const [verb, stateDir, repo] = argv;
  if (!stateDir || !repo || (verb !== 'add' && verb !== 'remove')) {
    throw new Error('usage: git-ssh-key-command add|remove <stateDir> <repo>');
  }
  if (verb === 'add') {
    const publicKey = fs.readFileSync(0, 'utf8').trim();
    const access = process.env.FLUX_BOOTSTRAP_KEY_ACCESS === 'rw' ? 'rw' : 'ro';
    grantKey({ stateDir }, publicKey, repo, access);
    process.stdout.write(`${keyId(publicKey)}\n`);
    return;
  }
  const id = process.env.FLUX_BOOTSTRAP_KEY_ID ?? '';
  if (!id) throw new Error('FLUX_BOOTSTRAP_KEY_ID is empty');
  if (listGrants({ stateDir }).some((g) => keyId(g.publicKey) === keyId(id) && g.repo === repo)) revokeKey({ stateDir }, id, repo);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
