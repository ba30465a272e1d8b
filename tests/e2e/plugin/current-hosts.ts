// Tests that need the current Pulumi language hosts (package add, RunPlugin, Go programs): the
// harness decides whether it runs them (tests/harness/pulumi-hosts.ts) and says so in
// PulumiInfo.currentHosts; a bare clone runs the v3.68 hosts, and these tests skip, saying why.
import type { PulumiInfo } from '../../harness/pulumi';
import { NO_CURRENT_HOSTS } from '../../harness/pulumi-hosts';

/** `describe`, or `describe.skip` with the reason on stderr when the current hosts are absent. */
export function describeWithCurrentHosts(pulumi: Pick<PulumiInfo, 'currentHosts'>, what: string): jest.Describe {
  if (pulumi.currentHosts) return describe;
  process.stderr.write(`[skipped] ${what}: ${NO_CURRENT_HOSTS}\n`);
  return describe.skip;
}
